/*
 * The escape suite (issue "Writes that hold against a hostile engineer"): every attempt a hostile
 * service owner made against the gateway, and more, against the simulated demo clusters over
 * HTTP. Jordan owns video-consultation (telehealth-video) and tries to reach clinical-records'
 * patient-records, system namespaces, cluster-scoped kinds, Secrets and the values Careplane never
 * shows. Each attempt is refused with 400 / 403 and a message that says why, and each refusal is
 * in the audit log. Every body, stream chunk and log line of the run is checked for canary values.
 * More of the suite: escape.admin.simulator.test.ts (what a platform admin may, a new namespace)
 * and escape.limits.simulator.test.ts (bad input is a 4xx, rate limits).
 */
import { as, ID, JORDAN, KENJI, PRIYA } from './__testUtils__/demoWorld';
import {
  apply,
  backend,
  call,
  clusterQueue,
  deployment,
  EAST,
  expectRefused,
  GPU,
  hostPathPod,
  LEGACY,
  namespaceManifest,
  patchOwnDeployment,
  post,
  secret,
  seen,
  sim,
  TRAINING,
  useEscapeWorld,
  VIDEO,
} from './__testUtils__/escapeWorld';

jest.setTimeout(120_000);

useEscapeWorld();

describe('as the owner of video-consultation, against other teams and the platform', () => {
  it.each([
    [
      "creates a Deployment in another team's namespace",
      apply(EAST, deployment('patient-records', 'video-consultation')),
      /namespace 'patient-records' on cluster cloud-east is not granted to component:default\/video-consultation/,
    ],
    [
      'creates a privileged hostPath Pod in kube-system',
      apply(LEGACY, hostPathPod),
      /namespace 'kube-system' is a system namespace/,
    ],
    [
      'creates a Namespace',
      apply(EAST, namespaceManifest('jordans-own', 'video-consultation')),
      /Namespace is cluster-scoped/,
    ],
    [
      'creates a ClusterQueue with 1,000 GPUs',
      apply(GPU, clusterQueue),
      /ClusterQueue is cluster-scoped/,
    ],
    [
      "force-applies over another team's Deployment with its own label",
      apply(
        EAST,
        deployment('patient-records', 'patient-records', 'patient-records'),
        { force: true },
      ),
      /namespace 'patient-records' on cluster cloud-east is not granted/,
    ],
    [
      "force-applies over another team's Deployment relabelled as his",
      apply(
        EAST,
        deployment('patient-records', 'video-consultation', 'patient-records'),
        { force: true },
      ),
      /namespace 'patient-records' on cluster cloud-east is not granted/,
    ],
    [
      "relabels another team's Namespace as his",
      apply(EAST, namespaceManifest('patient-records', 'video-consultation'), {
        force: true,
      }),
      /Namespace is cluster-scoped/,
    ],
    [
      'writes a Secret in his own namespace',
      apply(LEGACY, secret),
      /service owners may not write Secret objects/,
    ],
    [
      'moves his own Deployment to another entity',
      apply(
        LEGACY,
        deployment(
          'video-consultation',
          'patient-records',
          'video-consultation',
        ),
        { force: true },
      ),
      /must be labelled backstage\.io\/kubernetes-id=video-consultation.*it says 'patient-records'/,
    ],
  ])('refuses: %s (403, audited)', async (_what, body, message) => {
    await expectRefused(await post('/apply', body), 403, message);
  });

  it.each([
    [
      "another team's Namespace (and everything in it)",
      { kind: 'Namespace', name: 'patient-records' },
      /Namespace is cluster-scoped/,
    ],
    [
      "another team's Deployment",
      {
        kind: 'Deployment',
        namespace: 'patient-records',
        name: 'patient-records-api',
      },
      /namespace 'patient-records' on cluster legacy-onprem is not granted/,
    ],
    [
      'a Pod in kube-system',
      { kind: 'Pod', namespace: 'kube-system', name: 'kube-apiserver' },
      /system namespace/,
    ],
  ])('refuses to delete %s', async (_what, target, message) => {
    const res = await post('/delete', {
      entityRef: VIDEO,
      cluster: LEGACY,
      reason: 'escape test',
      ...target,
    });
    await expectRefused(res, 403, message);
  });

  it("refuses pod logs of another team's pods", async () => {
    const pod = sim.simulation
      .cluster(LEGACY)
      .objectsOf('', 'Pod')
      .find(p => p.metadata.labels?.[ID] === 'patient-records')!;
    const res = await call(
      'get',
      `/logs?entityRef=${encodeURIComponent(
        VIDEO,
      )}&cluster=${LEGACY}&namespace=${pod.metadata.namespace}&pod=${
        pod.metadata.name
      }`,
      JORDAN,
    );
    await expectRefused(
      res,
      403,
      /not granted to component:default\/video-consultation/,
    );
  });

  it('refuses writes for an entity he does not own', async () => {
    const res = await post(
      '/apply',
      apply(LEGACY, deployment('video-consultation', 'video-consultation')),
      KENJI,
    );
    await expectRefused(
      res,
      403,
      /Not allowed: clusters.resource.apply on component:default\/video-consultation/,
      KENJI,
    );
  });
});

describe('patches that cannot read, names that mean what they say', () => {
  const env = '/spec/template/spec/containers/0/env/0/value';
  it.each([
    ['copy', [{ op: 'copy', from: env, path: '/metadata/annotations/x' }]],
    ['move', [{ op: 'move', from: env, path: '/metadata/annotations/x' }]],
    ['test', [{ op: 'test', path: env, value: 'guess' }]],
  ])('refuses a JSON patch %s (400, audited)', async (op, patch) => {
    const res = await post('/patch', patchOwnDeployment('json', patch));
    await expectRefused(
      res,
      400,
      new RegExp(`op "${op}" is not allowed; use add, remove or replace`),
    );
  });

  it.each([
    [
      'removes the owner label (merge)',
      'merge',
      { metadata: { labels: { [ID]: null } } },
    ],
    ['drops every label (merge)', 'merge', { metadata: { labels: null } }],
    [
      'hands the object to another entity (merge)',
      'merge',
      { metadata: { labels: { [ID]: 'patient-records' } } },
    ],
    [
      'replaces the labels (json)',
      'json',
      [{ op: 'replace', path: '/metadata/labels', value: { app: 'x' } }],
    ],
    [
      'removes the owner label (json)',
      'json',
      [{ op: 'remove', path: '/metadata/labels/backstage.io~1kubernetes-id' }],
    ],
  ])('refuses a patch that %s (403)', async (_what, type, patch) => {
    const res = await post('/patch', patchOwnDeployment(type, patch));
    await expectRefused(
      res,
      403,
      /ownership moves only through a platform admin/,
    );
  });

  it.each([
    [
      '..',
      'video-consultation',
      /Pod name "\.\." is not a valid Kubernetes object name/,
    ],
    ['.', 'video-consultation', /Pod name "\." is not a valid/],
    ['a/b', 'video-consultation', /Pod name "a\/b" is not a valid/],
    ['%2e%2e', 'video-consultation', /Pod name "%2e%2e" is not a valid/],
    ['x', '..', /namespace "\.\." is not a valid Kubernetes namespace name/],
  ])(
    'refuses kind Pod, name %p in namespace %p before any URL is built',
    async (name, namespace, message) => {
      for (const path of ['/patch', '/delete']) {
        const res = await post(path, {
          entityRef: VIDEO,
          cluster: LEGACY,
          kind: 'Pod',
          namespace,
          name,
          patchType: 'merge',
          patch: { metadata: { annotations: { a: 'b' } } },
          reason: 'escape test',
        });
        await expectRefused(res, 400, message);
      }
    },
  );

  it('audits a body the schema refuses', async () => {
    const res = await post('/apply', { entityRef: VIDEO, cluster: LEGACY });
    await expectRefused(res, 400, /manifest/);
  });

  it('refuses an unknown cluster with 400 and audits it', async () => {
    const res = await post(
      '/apply',
      apply('nope', deployment('video-consultation', 'video-consultation')),
    );
    await expectRefused(res, 400, /Unknown cluster 'nope'/);
  });
});

describe('canary values never leave the backend', () => {
  it('redacts env values of TrainJob and Rollout specs and kind-less Secret / ConfigMap list items', async () => {
    const training = await post(
      '/objects/by-entity',
      { entityRef: TRAINING, kinds: ['TrainJob'], clusters: [GPU] },
      KENJI,
    );
    expect(training.status).toBe(200);
    const jobs = training.body.clusters[0].items;
    expect(jobs.length).toBeGreaterThan(0);
    const env = jobs.flatMap((j: any) => j.object.spec.trainer?.env ?? []);
    expect(env).toContainEqual({ name: 'WANDB_API_KEY', valueRedacted: true });

    const video = await post(
      '/objects/by-entity',
      {
        entityRef: VIDEO,
        kinds: ['Rollout', 'Secret', 'ConfigMap'],
        clusters: [EAST, LEGACY],
      },
      KENJI,
    );
    expect(video.status).toBe(200);
    const items = video.body.clusters.flatMap((c: any) => c.items);
    expect(items.map((i: any) => i.kind)).toEqual(
      expect.arrayContaining(['Rollout', 'Secret', 'ConfigMap']),
    );
    const secrets = items.filter((i: any) => i.kind === 'Secret');
    expect(secrets.every((s: any) => s.object.data === undefined)).toBe(true);
    expect(secrets[0].object.dataKeys.length).toBeGreaterThan(0);
  });

  it('redacts write answers and stream events by the kind requested', async () => {
    const { port } = backend.server.address() as { port: number };
    const controller = new AbortController();
    const res = await fetch(`http://localhost:${port}/api/clusters/v1/stream`, {
      headers: as(KENJI),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    let text = '';
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const chunk = new TextDecoder().decode((await reader.read()).value);
        seen.push(chunk);
        text += chunk;
      }
    };
    await readUntil('"ready"');
    const streamId = /"streamId":"([^"]+)"/.exec(text)![1];
    const put = await call('put', `/stream/${streamId}/watches/t`, KENJI, {
      entityRef: TRAINING,
      kinds: ['TrainJob'],
      clusters: [GPU],
    });
    expect(put.status).toBe(204);
    const job = sim.simulation
      .cluster(GPU)
      .objectsOf('trainer.kubeflow.org', 'TrainJob')
      .find(j => (j as any).spec?.trainer?.env)!;
    const patched = await post(
      '/patch',
      {
        entityRef: TRAINING,
        cluster: GPU,
        kind: 'TrainJob',
        namespace: job.metadata.namespace,
        name: job.metadata.name,
        patchType: 'merge',
        patch: { metadata: { annotations: { 'escape-test': 'touched' } } },
        reason: 'escape test',
      },
      PRIYA,
    );
    expect(patched.status).toBe(200);
    expect(patched.body.object.object.spec.trainer.env[0]).toEqual({
      name: 'WANDB_API_KEY',
      valueRedacted: true,
    });
    await readUntil('escape-test');
    controller.abort();

    const own = await post('/apply', {
      ...apply(
        LEGACY,
        deployment(
          'video-consultation',
          'video-consultation',
          'video-consultation',
          {
            env: [{ name: 'API_KEY', value: 'ESCAPE-CANARY-ENV' }],
          },
        ),
      ),
      dryRun: true,
      force: true,
    });
    expect(own.status).toBe(200);
    expect(own.text).not.toContain('ESCAPE-CANARY-ENV');
  });

  it('keeps them out of the audit export', async () => {
    for (const format of ['csv', 'json']) {
      const res = await call('get', `/audit?format=${format}`, PRIYA);
      expect(res.status).toBe(200);
    }
  });
});
