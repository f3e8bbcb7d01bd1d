/*
 * The whole plugin (startTestBackend) against the cluster simulator's demo world over HTTP on
 * ephemeral ports: the real KubeClient / client-node KubeConfig talk to simulated API servers.
 * The simulator runs with speed 0, so simulated time only moves with advance(): nothing here
 * depends on how fast the machine is (waits poll for a state, they never assert a duration).
 */
import {
  startSimulator,
  type RunningSimulator,
} from '@careplane/cluster-simulator';
import { summarizePod } from '@careplane/plugin-clusters-common';
import request from 'supertest';
import {
  as,
  DEMO_SCENARIO,
  entities,
  ID,
  JORDAN,
  KENJI,
  openSseStream,
  PRIYA,
  ref,
  startDemoBackend,
} from './__testUtils__/demoWorld';

jest.setTimeout(60_000);

const CANARY_PREFIXES = [
  'CANARY-SECRET-VALUE-',
  'CANARY-CONFIGMAP-VALUE-',
  'CANARY-ENV-VALUE-',
];

const VIDEO = 'component:default/video-consultation';
const LEGACY = 'legacy-onprem';
const EAST = 'cloud-east';
const kubernetesIds: string[] = entities
  .filter(e => e.kind === 'Component' && e.metadata.annotations?.[ID])
  .map(e => e.metadata.annotations[ID]);

// ---------------------------------------------------------------------------------------------
// Harness: a fresh simulator and backend per test; every response body and stream chunk is
// recorded so afterEach can check that no canary string ever left the backend.

let sim: RunningSimulator;
let backend: Awaited<ReturnType<typeof startDemoBackend>>;
let seen: string[] = [];
const openStreams: AbortController[] = [];

async function start(
  options: {
    faults?: (s: RunningSimulator) => void;
    locations?: Record<string, object>;
  } = {},
) {
  sim = await startSimulator({
    scenarioFile: DEMO_SCENARIO,
    ports: 'ephemeral',
    speed: 0,
  });
  options.faults?.(sim);
  backend = await startDemoBackend(sim, {
    location: c => options.locations?.[c.name] ?? {},
  });
}

async function get(path: string, user = KENJI) {
  const res = await request(backend.server)
    .get(`/api/clusters/v1${path}`)
    .set(as(user));
  seen.push(res.text);
  return res;
}

async function post(path: string, body: object, user = KENJI) {
  const res = await request(backend.server)
    .post(`/api/clusters/v1${path}`)
    .set(as(user))
    .send(body);
  seen.push(res.text);
  return res;
}

const workloads = async (name: string, clusters = [LEGACY, EAST]) => {
  const res = await get(
    `/entities/component/default/${name}/workloads?clusters=${clusters.join(
      ',',
    )}`,
  );
  expect(res.status).toBe(200);
  return res.body as { clusters: any[] };
};

const clusterOf = (body: { clusters: any[] }, name: string) =>
  body.clusters.find(c => c.cluster === name);

/** The plugin's own per-cluster API request counters (`GET /v1/clusters`). */
async function stats(cluster: string) {
  const res = await get('/clusters', PRIYA);
  const item = res.body.items.find((c: any) => c.name === cluster);
  const counters: Record<string, number> = {
    ...item.stats.requests,
    throttled: item.stats.throttled,
  };
  return counters;
}

/** Polls until `check` is truthy (no duration is asserted; jest's timeout is the bound). */
async function until<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
): Promise<T> {
  for (;;) {
    const v = await check();
    if (v) return v;
    await new Promise(r => setTimeout(r, 20));
  }
}

/** What the simulator's store holds: the entity's pods on a cluster, by name. */
function simPods(cluster: string, id: string) {
  return sim.simulation
    .cluster(cluster)
    .objectsOf('', 'Pod')
    .filter(p => p.metadata.labels?.[ID] === id);
}
const names = (xs: any[]): string[] =>
  xs.map(x => x.name ?? x.metadata.name).sort();

/** An SSE client over real HTTP (the browser's fetch API); every chunk is checked for canaries. */
async function openStream(user = KENJI) {
  const stream = await openSseStream(backend.server, user, text =>
    seen.push(text),
  );
  openStreams.push(stream.controller);
  return {
    ...stream,
    async watch(watchId: string, body: object) {
      expect(await stream.watch(watchId, body)).toBe(204);
    },
  };
}

afterEach(async () => {
  openStreams.splice(0).forEach(c => c.abort());
  await backend?.stop();
  await sim?.stop();
  // Whatever a test did, no canary string left the backend in any body or stream event.
  const all = seen.join('\n');
  seen = [];
  const leaked = CANARY_PREFIXES.filter(canary => all.includes(canary));
  if (leaked.length) {
    throw new Error(`canary strings left the backend: ${leaked.join(', ')}`);
  }
});

// ---------------------------------------------------------------------------------------------

describe('clusters plugin against the simulated demo clusters', () => {
  it("answers an entity's workloads on two clusters with pod readiness", async () => {
    await start();
    const body = await workloads('video-consultation');

    const legacy = clusterOf(body, LEGACY);
    expect(legacy.status).toBe('ok');
    expect(legacy.error).toBeUndefined();
    expect(legacy.kinds.map((k: any) => [k.kind, k.status])).toEqual(
      [
        'Deployment',
        'StatefulSet',
        'Pod',
        'Service',
        'HorizontalPodAutoscaler',
        'PodDisruptionBudget',
        'Job',
      ].map(k => [k, 'ok']),
    );
    // a Deployment of 3 on legacy-onprem, all rolled out and ready
    expect(legacy.deployments.map((d: any) => [d.name, d.replicas])).toEqual([
      [
        'video-consultation',
        { desired: 3, ready: 3, updated: 3, available: 3, observed: true },
      ],
    ]);
    expect(names(legacy.pods)).toEqual(
      names(simPods(LEGACY, 'video-consultation')),
    );
    expect(legacy.pods).toHaveLength(3);
    for (const pod of legacy.pods) {
      expect(pod.summary).toMatchObject({
        phase: 'Running',
        ready: true,
        readyContainers: 1,
        totalContainers: 1,
        restarts: 0,
        reasons: [],
        owner: { kind: 'ReplicaSet' },
      });
    }
    expect(names(legacy.services)).toEqual(['video-consultation']);

    // an Argo canary on cloud-east, paused at 20 %: 5 stable pods + 1 canary pod, all ready;
    // the Rollout is not a workload kind, so there is no Deployment there
    const east = clusterOf(body, EAST);
    expect(east.status).toBe('ok');
    expect(east.deployments).toEqual([]);
    expect(east.pods).toHaveLength(6);
    expect(names(east.pods)).toEqual(
      names(simPods(EAST, 'video-consultation')),
    );
    expect(east.pods.every((p: any) => p.summary.ready)).toBe(true);
    expect(new Set(east.pods.map((p: any) => p.summary.owner.kind))).toEqual(
      new Set(['ReplicaSet']),
    );
    expect(
      new Set(east.pods.map((p: any) => p.object.metadata.labels[ID])),
    ).toEqual(new Set(['video-consultation']));
  });

  it('delivers a pod becoming Ready over SSE from the watch, without a new LIST', async () => {
    await start();
    const stream = await openStream();
    await stream.watch('w1', {
      entityRef: VIDEO,
      kinds: ['Pod'],
      clusters: [LEGACY],
    });
    // the informer listed and is now watching
    await until(() => sim.faults(LEGACY).openWatches === 1);
    const before = await stats(LEGACY);
    expect(before).toMatchObject({ list: 1, watch: 1 });

    // a pod dies; its ReplicaSet replaces it; the new pod becomes Ready as simulated time passes
    const victim = simPods(LEGACY, 'video-consultation')[0].metadata.name!;
    sim.simulation
      .cluster(LEGACY)
      .removeOf('', 'Pod', 'video-consultation', victim);
    const from = stream.events.length;
    sim.advance(1);
    const created = await stream.next(
      e => e.type === 'upsert' && e.object.name !== victim,
      from,
    );
    const replacement = created.object.name;
    expect(summarizePod(created.object.object).ready).toBe(false);
    sim.advance(30);
    const readyEvent = await stream.next(
      e =>
        e.type === 'upsert' &&
        e.object.name === replacement &&
        summarizePod(e.object.object).ready,
      from,
    );
    expect(readyEvent).toMatchObject({
      watchId: 'w1',
      object: { cluster: LEGACY, kind: 'Pod', namespace: 'video-consultation' },
    });
    expect(
      stream.events.find(e => e.type === 'delete' && e.object.name === victim),
    ).toBeDefined();

    // all of it came over the one watch: no LIST, no new watch
    expect(await stats(LEGACY)).toMatchObject({ list: 1, watch: 1 });
    // and the REST answer (same cache) agrees with the simulator
    const legacy = clusterOf(
      await workloads('video-consultation', [LEGACY]),
      LEGACY,
    );
    expect(names(legacy.pods)).toEqual(
      names(simPods(LEGACY, 'video-consultation')),
    );
    expect(names(legacy.pods)).toContain(replacement);
    expect(legacy.pods.every((p: any) => p.summary.ready)).toBe(true);
  });

  it('resumes a dropped watch without re-listing, and re-lists after 410 Gone', async () => {
    await start();
    const pods = () => simPods(LEGACY, 'video-consultation');
    const answer = async () =>
      clusterOf(await workloads('video-consultation', [LEGACY]), LEGACY);
    await answer();
    // 7 workload kinds, each listed once and watched
    await until(() => sim.faults(LEGACY).openWatches === 7);
    const synced = await stats(LEGACY);
    expect(synced).toMatchObject({ list: 7, watch: 7 });

    // the watches drop, and a pod goes away before they reconnect (same tick: they cannot
    // have reconnected yet); the resumed watches must replay the deletion from history
    const [a, b] = names(pods());
    expect(sim.faults(LEGACY).dropWatches('close')).toBe(7);
    sim.simulation.cluster(LEGACY).removeOf('', 'Pod', 'video-consultation', a);
    const resumed = await until(async () => {
      const c = await answer();
      return !names(c.pods).includes(a) && c;
    });
    expect(resumed.status).toBe('ok');
    expect(names(resumed.pods)).toEqual(names(pods()));
    await until(() => sim.faults(LEGACY).openWatches === 7);
    const afterResume = await stats(LEGACY);
    expect(afterResume.list).toBe(synced.list);
    expect(afterResume.watch).toBe(synced.watch + 7);

    // now history is compacted while the watches are down: resuming gets 410, so each
    // informer re-lists, and the answer is still the simulator's truth
    expect(sim.faults(LEGACY).dropWatches('close')).toBe(7);
    sim.simulation.cluster(LEGACY).removeOf('', 'Pod', 'video-consultation', b);
    sim.simulation.cluster(LEGACY).store.compact();
    const relisted = await until(async () => {
      const c = await answer();
      return !names(c.pods).includes(b) && c;
    });
    expect(relisted.status).toBe('ok');
    expect(names(relisted.pods)).toEqual(names(pods()));
    await until(() => sim.faults(LEGACY).openWatches === 7);
    const afterGone = await stats(LEGACY);
    expect(afterGone.list).toBe(synced.list + 7);
  });

  it('answers unavailable for a cluster that is down while the other answers ok', async () => {
    await start({
      faults: s => s.faults(EAST).set({ down: true }),
      locations: { [EAST]: { timeouts: { request: '1s', firstSync: '2s' } } },
    });
    const body = await workloads('video-consultation');
    const legacy = clusterOf(body, LEGACY);
    expect(legacy.status).toBe('ok');
    expect(legacy.pods).toHaveLength(3);
    const east = clusterOf(body, EAST);
    expect(east).toMatchObject({
      cluster: EAST,
      status: 'unavailable',
      pods: [],
      deployments: [],
      error: {
        name: 'ServiceUnavailableError',
        // the circuit may have opened by now; either way the cause is named
        // (the cause without the API server's address: no URL in error messages)
        message: expect.stringMatching(
          /^Cluster cloud-east is unreachable \(ECONNREFUSED\)|last error: Cluster cloud-east is unreachable \(ECONNREFUSED\)\)$/,
        ),
      },
    });
    const clusters = (await get('/clusters', KENJI)).body.items;
    expect(clusters.find((c: any) => c.name === EAST).health.status).toBe(
      'unavailable',
    );
    expect(clusters.find((c: any) => c.name === LEGACY).health.status).toBe(
      'healthy',
    );
  });

  it('probes version and installed kinds of every cluster; a down cluster is unavailable, with no LIST', async () => {
    await start({
      faults: s => s.faults(EAST).set({ down: true }),
      locations: { [EAST]: { timeouts: { request: '1s', firstSync: '2s' } } },
    });
    // no entity page was opened: the probe at plugin start alone fills this in
    const items: any[] = await until(async () => {
      const res = await get('/clusters');
      const all = res.body.items;
      return all.every(
        (c: any) => c.version || (c.name === EAST && c.health.error),
      )
        ? all
        : undefined;
    });
    const byName = (name: string) => items.find((c: any) => c.name === name);
    const installed = (name: string) =>
      byName(name)
        .kinds.filter((k: any) => k.status === 'installed')
        .map((k: any) => k.kind);
    for (const name of [LEGACY, 'cloud-west', 'gpu-research']) {
      expect(byName(name).health.status).toBe('healthy');
      expect(byName(name).version).toMatchObject({
        gitVersion: sim.simulation.cluster(name).version,
        platform: 'linux/amd64',
      });
      expect(byName(name).kinds.every((k: any) => k.status !== 'unknown')).toBe(
        true,
      );
    }
    expect(installed(LEGACY)).toEqual(['PolicyReport']);
    expect(installed('gpu-research')).toEqual([
      'TrainJob',
      'PyTorchJob',
      'Workload',
      'LocalQueue',
      'ClusterQueue',
    ]);
    const east = byName(EAST);
    expect(east.health.status).toBe('unavailable');
    expect(east.health.error.message).toMatch(
      /Cluster cloud-east is unreachable \(ECONNREFUSED\)/,
    );
    expect(east.health.error.message).not.toMatch(/127\.0\.0\.1|http:/);
    expect(east.version).toBeUndefined();
    expect(east.kinds.every((k: any) => k.status === 'unknown')).toBe(true);
    for (const c of items) {
      expect(c.stats.requests).toMatchObject({ list: 0, watch: 0 });
    }
  });

  it('keeps serving a synced cluster as stale when it goes down', async () => {
    await start();
    const first = clusterOf(
      await workloads('video-consultation', [EAST]),
      EAST,
    );
    expect(first.status).toBe('ok');
    await until(() => sim.faults(EAST).openWatches === 7);
    sim.faults(EAST).set({ down: true });
    const stale = await until(async () => {
      const c = clusterOf(await workloads('video-consultation', [EAST]), EAST);
      return c.status === 'stale' && c;
    });
    expect(stale.syncedAt).toEqual(expect.any(String));
    expect(stale.error.message).toMatch(/cloud-east/);
    expect(names(stale.pods)).toEqual(names(first.pods));
  });

  it('honours Retry-After when the API server throttles (429)', async () => {
    await start();
    const faults = sim.faults(EAST);
    faults.set({
      throttleRate: 1,
      retryAfterSeconds: 1,
      match: { verbs: ['list'], resources: ['pods'] },
    });
    // throttle exactly the first pod LIST, and record when each pod LIST reached the server
    const podLists: Array<{ at: number; code?: number }> = [];
    const decide = faults.decide.bind(faults);
    jest.spyOn(faults, 'decide').mockImplementation((verb, resource, path) => {
      const decision = decide(verb, resource, path);
      if (verb === 'list' && resource === 'pods') {
        podLists.push({ at: Date.now(), code: decision.error?.code });
        if (decision.error) faults.clear();
      }
      return decision;
    });

    const east = clusterOf(await workloads('video-consultation', [EAST]), EAST);
    expect(east.status).toBe('ok');
    expect(east.pods).toHaveLength(6);
    expect(podLists.map(l => l.code)).toEqual([429, undefined]);
    // the retry waited for Retry-After (1 s), not the 1 ms backoff configured: a lower bound,
    // which a slow machine cannot break
    expect(podLists[1].at - podLists[0].at).toBeGreaterThanOrEqual(990);
    expect(await stats(EAST)).toMatchObject({ throttled: 1 });
  });

  it('reports a kind whose CRD is absent as not-installed', async () => {
    await start();
    const res = await post('/objects/by-entity', {
      entityRef: VIDEO,
      kinds: ['Rollout'],
      clusters: [LEGACY, EAST],
    });
    expect(res.status).toBe(200);
    const [legacy, east] = res.body.clusters;
    expect(legacy).toEqual({
      cluster: LEGACY,
      status: 'not-installed',
      kinds: [{ kind: 'Rollout', status: 'not-installed' }],
      items: [],
    });
    expect(east).toMatchObject({ cluster: EAST, status: 'ok' });
    expect(
      east.items.map((i: any) => [i.kind, i.name, i.object.status.phase]),
    ).toEqual([['Rollout', 'video-consultation', 'Paused']]);
  });

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
