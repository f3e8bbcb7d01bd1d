/*
 * The escape suite (issue "Writes that hold against a hostile engineer"): every attempt a hostile
 * service owner made against the gateway, and more, against the simulated demo clusters over
 * HTTP. Jordan owns video-consultation (telehealth-video) and tries to reach clinical-records'
 * patient-records, system namespaces, cluster-scoped kinds, Secrets and the values Careplane never
 * shows. Each attempt is refused with 400 / 403 and a message that says why, and each refusal is
 * in the audit log; Priya (platform admin) may do what admins may, but not what nobody may.
 * Every body, stream chunk and log line of the run is checked for canary values.
 */
import { mockServices } from '@backstage/backend-test-utils';
import {
  startSimulator,
  type RunningSimulator,
} from '@careplane/cluster-simulator';
import request from 'supertest';
import {
  as,
  DEMO_SCENARIO,
  ID,
  JORDAN,
  KENJI,
  PRIYA,
  startDemoBackend,
} from './__testUtils__/demoWorld';

jest.setTimeout(120_000);

const VIDEO = 'component:default/video-consultation';
const TRAINING = 'component:default/triage-model-training';
const LEGACY = 'legacy-onprem';
const EAST = 'cloud-east';
const WEST = 'cloud-west';
const GPU = 'gpu-research';
const CANARIES = [
  'CANARY-SECRET-VALUE-',
  'CANARY-CONFIGMAP-VALUE-',
  'CANARY-ENV-VALUE-',
  'ESCAPE-CANARY-',
];

let sim: RunningSimulator;
let backend: Awaited<ReturnType<typeof startDemoBackend>>;
const seen: string[] = [];
const restore: Array<() => void> = [];

/** Everything the backend process writes to stdout / stderr (its log lines) is checked too. */
function captureOutput() {
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    (stream as any).write = (chunk: any, ...rest: any[]) => {
      seen.push(String(chunk));
      return original(chunk, ...rest);
    };
    restore.push(() => {
      (stream as any).write = original;
    });
  }
}

function startBackend(extra: object = {}) {
  return startDemoBackend(sim, {
    features: [mockServices.rootLogger.factory({ level: 'debug' })],
    clusters: {
      retry: { maxRetries: 1, baseDelay: '1ms', maxDelay: '1s' },
      rateLimit: { writesPerMinute: 1000, logReadsPerMinute: 1000 },
      ...extra,
    },
  });
}

beforeAll(async () => {
  captureOutput();
  sim = await startSimulator({
    scenarioFile: DEMO_SCENARIO,
    ports: 'ephemeral',
    speed: 0,
  });
  backend = await startBackend();
});

afterAll(async () => {
  await backend?.stop();
  await sim?.stop();
  restore.forEach(r => r());
  const all = seen.join('\n');
  const leaked = CANARIES.filter(c => all.includes(c));
  if (leaked.length) {
    throw new Error(`canary strings left the backend: ${leaked.join(', ')}`);
  }
});

async function call(
  method: 'get' | 'post' | 'put',
  path: string,
  user: string,
  body?: object,
) {
  let req = request(backend.server)
    [method](`/api/clusters/v1${path}`)
    .set(as(user));
  if (body) req = req.send(body);
  const res = await req;
  seen.push(res.text);
  return res;
}
const post = (path: string, body: object, user = JORDAN) =>
  call('post', path, user, body);

/** The newest audit record of `user`, as an admin reads it. */
async function lastAudit(user: string) {
  const res = await call(
    'get',
    `/audit?actor=${encodeURIComponent(user)}&limit=1`,
    PRIYA,
  );
  expect(res.status).toBe(200);
  return res.body.items[0];
}

/** A refusal: the status, a message that says why, and a `denied` audit record saying the same. */
async function expectRefused(
  res: request.Response,
  status: number,
  message: RegExp,
  user = JORDAN,
) {
  expect({ status: res.status, message: res.body?.error?.message }).toEqual({
    status,
    message: expect.stringMatching(message),
  });
  const record = await lastAudit(user);
  expect(record).toMatchObject({ actor: user, outcome: 'denied' });
  expect(record.error).toMatch(message);
}

const deployment = (
  namespace: string,
  id: string,
  name = `${id}-x`,
  extra: object = {},
) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace, labels: { [ID]: id } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { [ID]: id } },
    template: {
      metadata: { labels: { [ID]: id } },
      spec: { containers: [{ name: 'app', image: 'app:1', ...extra }] },
    },
  },
});

const hostPathPod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'node-shell',
    namespace: 'kube-system',
    labels: { [ID]: 'video-consultation' },
  },
  spec: {
    containers: [
      {
        name: 'shell',
        image: 'busybox',
        securityContext: { privileged: true },
        volumeMounts: [{ name: 'host', mountPath: '/host' }],
      },
    ],
    volumes: [{ name: 'host', hostPath: { path: '/' } }],
  },
};

const clusterQueue = {
  apiVersion: 'kueue.x-k8s.io/v1beta2',
  kind: 'ClusterQueue',
  metadata: { name: 'all-the-gpus', labels: { [ID]: 'video-consultation' } },
  spec: {
    namespaceSelector: {},
    resourceGroups: [
      {
        coveredResources: ['nvidia.com/gpu'],
        flavors: [
          {
            name: 'a100',
            resources: [{ name: 'nvidia.com/gpu', nominalQuota: 1000 }],
          },
        ],
      },
    ],
  },
};

const namespaceManifest = (name: string, id: string) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels: { [ID]: id } },
});

const secret = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: {
    name: 'mine',
    namespace: 'video-consultation',
    labels: { [ID]: 'video-consultation' },
  },
  stringData: { token: 'ESCAPE-CANARY-SECRET' },
};

const apply = (cluster: string, manifest: object, extra: object = {}) => ({
  entityRef: VIDEO,
  cluster,
  manifest,
  reason: 'escape test',
  ...extra,
});

const patchOwnDeployment = (patchType: string, patch: unknown) => ({
  entityRef: VIDEO,
  cluster: LEGACY,
  kind: 'Deployment',
  namespace: 'video-consultation',
  name: 'video-consultation',
  patchType,
  patch,
  reason: 'escape test',
});

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

describe('nobody can take a cluster away from everyone; bad input is a 4xx', () => {
  it('answers 400 to deeply nested bodies and never counts them against the cluster', async () => {
    let deep: any = { leaf: true };
    for (let i = 0; i < 1000; i++) deep = { n: deep };
    for (let i = 0; i < 6; i++) {
      const res = await post(
        '/apply',
        apply(
          LEGACY,
          deployment('video-consultation', 'video-consultation', 'deep', {
            args: [JSON.stringify(i)],
            extra: deep,
          }),
        ),
      );
      await expectRefused(res, 400, /manifest is nested deeper than 64 levels/);
    }
    const clusters = (await call('get', '/clusters', KENJI)).body.items;
    const legacy = clusters.find((c: any) => c.name === LEGACY);
    expect(legacy.health.circuit).toBe('closed');
    // the owner's own writes on that cluster still go through
    const ok = await post('/apply', {
      ...apply(
        LEGACY,
        deployment(
          'video-consultation',
          'video-consultation',
          'video-consultation',
        ),
      ),
      dryRun: true,
      force: true, // over the scenario's own field manager, on his own object
    });
    expect(ok.status).toBe(200);
  });

  it("keeps a cluster's 4xx a 4xx with its reason and without its address", async () => {
    const res = await post('/patch', {
      ...patchOwnDeployment('json', [
        { op: 'remove', path: '/spec/does/not/exist' },
      ]),
      dryRun: true,
    });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/^Cluster legacy-onprem: /);
    expect(res.text).not.toMatch(/127\.0\.0\.1|http:\/\//);
    expect(await lastAudit(JORDAN)).toMatchObject({ outcome: 'failure' });
  });

  it('answers 400 for a stream watch on an unknown cluster and starts nothing', async () => {
    const { port } = backend.server.address() as { port: number };
    const controller = new AbortController();
    const res = await fetch(`http://localhost:${port}/api/clusters/v1/stream`, {
      headers: as(KENJI),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('"ready"')) {
      text += new TextDecoder().decode((await reader.read()).value);
    }
    const streamId = /"streamId":"([^"]+)"/.exec(text)![1];
    const informers = async () =>
      (await call('get', '/clusters', PRIYA)).body.items.find(
        (c: any) => c.name === EAST,
      ).stats.informers;
    const before = await informers();
    const put = await call('put', `/stream/${streamId}/watches/w1`, KENJI, {
      entityRef: VIDEO,
      kinds: ['CronJob'],
      clusters: [EAST, 'nope'],
    });
    expect(put.status).toBe(400);
    expect(put.body.error.message).toMatch(/Unknown cluster 'nope'/);
    expect(await informers()).toBe(before);
    controller.abort();
  });
});

describe('as a platform admin', () => {
  it.each([
    [
      "another team's namespace",
      apply(EAST, deployment('patient-records', 'video-consultation')),
    ],
    ['kube-system', apply(LEGACY, hostPathPod)],
    [
      'a Namespace',
      apply(EAST, namespaceManifest('jordans-own', 'video-consultation')),
    ],
    ['a ClusterQueue', apply(GPU, clusterQueue)],
    ['a Secret', apply(LEGACY, secret)],
    [
      'an owner label change',
      apply(EAST, namespaceManifest('patient-records', 'video-consultation'), {
        force: true,
      }),
    ],
  ])('may write %s (dry run)', async (_what, body) => {
    const res = await post('/apply', { ...body, dryRun: true }, PRIYA);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('ESCAPE-CANARY');
    expect(await lastAudit(PRIYA)).toMatchObject({ outcome: 'success' });
  });

  it('may not send reading JSON patch operations or bad names either', async () => {
    const copy = await post(
      '/patch',
      patchOwnDeployment('json', [
        { op: 'copy', from: '/spec', path: '/metadata/annotations/x' },
      ]),
      PRIYA,
    );
    await expectRefused(copy, 400, /op "copy" is not allowed/, PRIYA);
    const dots = await post(
      '/delete',
      {
        entityRef: VIDEO,
        cluster: LEGACY,
        kind: 'Pod',
        namespace: 'video-consultation',
        name: '..',
        reason: 'x',
      },
      PRIYA,
    );
    await expectRefused(dots, 400, /not a valid Kubernetes object name/, PRIYA);
  });
});

describe('a new namespace through the narrow path', () => {
  it('creates the entity’s namespace once, labelled by the platform, then lets the owner write in it', async () => {
    const created = await post('/namespaces', {
      entityRef: VIDEO,
      cluster: WEST,
      labels: { 'istio-injection': 'enabled' },
      policies: [
        {
          apiVersion: 'v1',
          kind: 'LimitRange',
          metadata: { name: 'container-defaults' },
          spec: { limits: [{ type: 'Container', default: { cpu: '500m' } }] },
        },
      ],
      reason: 'new home',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      kind: 'Namespace',
      name: 'video-consultation',
      policies: [{ kind: 'LimitRange', name: 'container-defaults' }],
    });
    const ns = sim.simulation
      .cluster(WEST)
      .objectsOf('', 'Namespace')
      .find(n => n.metadata.name === 'video-consultation')!;
    expect(ns.metadata.labels).toMatchObject({
      [ID]: 'video-consultation',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'istio-injection': 'enabled',
    });
    expect(ns.metadata.annotations).toMatchObject({
      'careplane.io/data-classification': 'phi',
    });
    const write = await post(
      '/apply',
      apply(WEST, deployment('video-consultation', 'video-consultation')),
    );
    expect(write.status).toBe(200);

    const again = await post('/namespaces', {
      entityRef: VIDEO,
      cluster: WEST,
      reason: 'again',
    });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(
      /Namespace 'video-consultation' already exists on cluster cloud-west/,
    );
  });

  it.each([
    [
      'a Pod Security label of its own',
      { labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } },
      400,
      /label "pod-security.kubernetes.io\/enforce" may not be set on a new namespace/,
    ],
    [
      'a Secret as a policy',
      {
        policies: [
          { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } },
        ],
      },
      400,
      /"Secret" cannot come with a new namespace/,
    ],
  ])('refuses %s', async (_what, extra, status, message) => {
    const res = await post('/namespaces', {
      entityRef: VIDEO,
      cluster: GPU,
      reason: 'x',
      ...extra,
    });
    await expectRefused(res, status, message);
  });

  it('refuses a namespace for an entity the caller does not own', async () => {
    const res = await post(
      '/namespaces',
      { entityRef: VIDEO, cluster: GPU, reason: 'x' },
      KENJI,
    );
    await expectRefused(
      res,
      403,
      /Not allowed: clusters.resource.apply/,
      KENJI,
    );
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

describe('per-person rate limits', () => {
  it('answers 429 past the limit and audits the refusal, for that person only', async () => {
    const limited = await startBackend({
      rateLimit: { writesPerMinute: 3, logReadsPerMinute: 3 },
    });
    try {
      const body = {
        ...apply(
          LEGACY,
          deployment(
            'video-consultation',
            'video-consultation',
            'video-consultation',
          ),
        ),
        dryRun: true,
        force: true,
      };
      const send = (user: string) =>
        request(limited.server)
          .post('/api/clusters/v1/apply')
          .set(as(user))
          .send(body);
      for (let i = 0; i < 3; i++) expect((await send(JORDAN)).status).toBe(200);
      const over = await send(JORDAN);
      expect(over.status).toBe(429);
      expect(over.body.error.message).toMatch(
        /at most 3 a minute per person \(clusters.rateLimit\); try again in \d+ s/,
      );
      expect((await send(PRIYA)).status).toBe(200);
      const audit = await request(limited.server)
        .get(
          `/api/clusters/v1/audit?actor=${encodeURIComponent(JORDAN)}&limit=1`,
        )
        .set(as(PRIYA));
      expect(audit.body.items[0]).toMatchObject({ outcome: 'denied' });
    } finally {
      await limited.stop();
    }
  });
});
