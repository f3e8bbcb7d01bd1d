/*
 * The whole plugin against the simulated demo clusters, continued (see plugin.simulator.test.ts):
 * no canary value ever leaves the backend, and server-side apply.
 */
import { ID, JORDAN, KENJI, PRIYA, ref } from './__testUtils__/demoWorld';
import {
  clusterOf,
  get,
  kubernetesIds,
  LEGACY,
  openStream,
  post,
  seen,
  sim,
  start,
  until,
  useFreshWorldPerTest,
  VIDEO,
  workloads,
} from './__testUtils__/simulatorSuite';

jest.setTimeout(60_000);

useFreshWorldPerTest();

describe('clusters plugin against the simulated demo clusters', () => {
  it('never lets a canary value out, in answers or stream events', async () => {
    await start();
    // positive control: the simulator really serves the canaries
    const raw = sim.simulation.cluster(LEGACY);
    const secret = raw.objectOf(
      '',
      'Secret',
      'video-consultation',
      'video-consultation-secrets',
    )!;
    const secretValues = Object.values(secret.data as Record<string, string>);
    expect(Buffer.from(secretValues[0], 'base64').toString()).toMatch(
      /^CANARY-SECRET-VALUE-/,
    );
    expect(
      JSON.stringify(
        raw.objectOf(
          '',
          'ConfigMap',
          'video-consultation',
          'video-consultation-config',
        ),
      ),
    ).toContain('CANARY-CONFIGMAP-VALUE-');
    expect(
      JSON.stringify(
        raw.objectOf(
          'apps',
          'Deployment',
          'video-consultation',
          'video-consultation',
        ),
      ),
    ).toContain('CANARY-ENV-VALUE-');

    const kinds = [
      'Secret',
      'ConfigMap',
      'Deployment',
      'StatefulSet',
      'Pod',
      'Rollout',
      'Job',
    ];
    const stream = await openStream();
    for (const id of kubernetesIds) {
      await stream.watch(id, { entityRef: ref('Component', id), kinds });
    }
    for (const id of kubernetesIds) {
      await get(`/entities/component/default/${id}/workloads`);
      const res = await post('/objects/by-entity', {
        entityRef: ref('Component', id),
        kinds,
      });
      expect(res.status).toBe(200);
    }
    const res = await post('/objects/by-entity', {
      entityRef: VIDEO,
      kinds: ['Secret', 'ConfigMap'],
      clusters: [LEGACY],
    });
    expect(
      res.body.clusters[0].items.map((i: any) => [
        i.kind,
        i.name,
        i.object.dataKeys,
      ]),
    ).toEqual([
      [
        'Secret',
        'video-consultation-secrets',
        ['api-token', 'database-password'],
      ],
      [
        'ConfigMap',
        'video-consultation-config',
        ['FHIR_BASE_URL', 'LOG_LEVEL', 'feature-flags.json'],
      ],
    ]);

    // changes to the secret-bearing objects stream out stripped
    const from = stream.events.length;
    raw.mutate(
      '',
      'Secret',
      'video-consultation',
      'video-consultation-secrets',
      s => {
        s.data.rotated = Buffer.from('CANARY-SECRET-VALUE-ROTATED').toString(
          'base64',
        );
      },
    );
    raw.mutate(
      '',
      'ConfigMap',
      'video-consultation',
      'video-consultation-config',
      c => {
        c.data.extra = 'CANARY-CONFIGMAP-VALUE-EXTRA';
      },
    );
    sim.advance(300); // the demo's rollouts move on: a stream of pod and workload events
    const rotated = await stream.next(
      e => e.type === 'upsert' && e.object.kind === 'Secret',
      from,
    );
    expect(rotated.object.object.dataKeys).toEqual([
      'api-token',
      'database-password',
      'rotated',
    ]);
    await stream.next(
      e => e.type === 'upsert' && e.object.kind === 'ConfigMap',
      from,
    );
    // cloud-west's scheduling rollout moved on: its Deployment streams out with env values
    await stream.next(
      e =>
        e.type === 'upsert' &&
        e.object.kind === 'Deployment' &&
        e.object.cluster === 'cloud-west',
      from,
    );
    const envs = stream.events
      .filter(e => e.type === 'upsert' && e.object.kind === 'Deployment')
      .flatMap(e => e.object.object.spec.template.spec.containers[0].env);
    expect(envs.length).toBeGreaterThan(0);
    expect(envs.find((e: any) => e.name === 'SESSION_SIGNING_KEY')).toEqual({
      name: 'SESSION_SIGNING_KEY',
      valueRedacted: true,
    });

    // nor in base64 (Secret data as served)
    const all = seen.join('\n');
    for (const value of secretValues) expect(all).not.toContain(value);
    // (afterEach checks the canary prefixes across every body and event)
  });

  describe('server-side apply', () => {
    const manifest = (replicas: number) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'video-consultation',
        namespace: 'video-consultation',
        labels: { [ID]: 'video-consultation' },
      },
      spec: { replicas },
    });
    const deployment = () =>
      sim.simulation
        .cluster(LEGACY)
        .objectOf(
          'apps',
          'Deployment',
          'video-consultation',
          'video-consultation',
        )!;
    const managers = () =>
      (deployment().metadata.managedFields ?? []).map(
        (m: any) => `${m.manager}/${m.operation}`,
      );
    const audit = async () =>
      (await get(`/audit?cluster=${LEGACY}`, PRIYA)).body.items;

    it('is refused to a non-owner, with an audit record of the denial', async () => {
      await start();
      const res = await post(
        '/apply',
        {
          entityRef: VIDEO,
          cluster: LEGACY,
          manifest: manifest(4),
          reason: 'scale',
        },
        KENJI,
      );
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('NotAllowedError');
      expect(deployment().spec.replicas).toBe(3);
      expect(managers()).not.toContain('careplane/Apply');
      expect(await audit()).toEqual([
        expect.objectContaining({
          action: 'apply',
          actor: KENJI,
          actorType: 'user',
          outcome: 'denied',
          cluster: LEGACY,
          namespace: 'video-consultation',
          kind: 'Deployment',
          name: 'video-consultation',
          entityRef: VIDEO,
          dryRun: false,
          reason: 'scale',
        }),
      ]);
    });

    it('dry-runs and applies for an owner with field manager careplane, audited', async () => {
      await start();
      const body = (extra: object) => ({
        entityRef: VIDEO,
        cluster: LEGACY,
        manifest: manifest(4),
        ...extra,
      });
      // replicas belong to another field manager: a plain apply is a conflict, as on a real
      // API server, surfaced as 409 and audited as a failure
      const conflict = await post('/apply', body({ dryRun: true }), JORDAN);
      expect(conflict.status).toBe(409);
      expect(conflict.body.error).toMatchObject({
        name: 'ConflictError',
        message: expect.stringMatching(/^Cluster legacy-onprem: .*conflict/i),
      });

      const dry = await post(
        '/apply',
        body({ dryRun: true, force: true }),
        JORDAN,
      );
      expect(dry.status).toBe(200);
      expect(dry.body).toMatchObject({
        cluster: LEGACY,
        kind: 'Deployment',
        namespace: 'video-consultation',
        name: 'video-consultation',
        dryRun: true,
        object: { object: { spec: { replicas: 4 } } },
      });
      expect(dry.body.object.object.metadata.managedFields).toBeUndefined();
      // nothing changed on the cluster
      expect(deployment().spec.replicas).toBe(3);
      expect(managers()).not.toContain('careplane/Apply');

      const real = await post(
        '/apply',
        body({ force: true, reason: 'more capacity for the evening peak' }),
        JORDAN,
      );
      expect(real.status).toBe(200);
      expect(real.body).toMatchObject({
        dryRun: false,
        object: { object: { spec: { replicas: 4 } } },
      });
      expect(deployment().spec.replicas).toBe(4);
      expect(managers()).toContain('careplane/Apply');

      expect(await audit()).toEqual([
        expect.objectContaining({
          id: real.body.auditId,
          action: 'apply',
          actor: JORDAN,
          outcome: 'success',
          dryRun: false,
          reason: 'more capacity for the evening peak',
          patchSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        }),
        expect.objectContaining({
          id: dry.body.auditId,
          action: 'apply',
          actor: JORDAN,
          outcome: 'success',
          dryRun: true,
        }),
        expect.objectContaining({
          action: 'apply',
          actor: JORDAN,
          outcome: 'failure',
          dryRun: true,
          error: conflict.body.error.message,
        }),
      ]);

      // the cluster's controllers act on it, and the cache follows through its watches
      sim.advance(30);
      const legacy = await until(async () => {
        const c = clusterOf(
          await workloads('video-consultation', [LEGACY]),
          LEGACY,
        );
        return (
          c.pods.length === 4 && c.pods.every((p: any) => p.summary.ready) && c
        );
      });
      expect(legacy.deployments[0].replicas).toEqual({
        desired: 4,
        ready: 4,
        updated: 4,
        available: 4,
        observed: true,
      });
    });
  });
});
