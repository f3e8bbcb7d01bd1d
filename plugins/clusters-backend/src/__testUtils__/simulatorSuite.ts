/*
 * The harness of the plugin.*.simulator suites: the whole plugin (startTestBackend) against the
 * cluster simulator's demo world over HTTP on ephemeral ports, a fresh simulator and backend per
 * test, every response body and stream chunk recorded for the canary check.
 */
import {
  startSimulator,
  type RunningSimulator,
} from '@careplane/cluster-simulator';
import request from 'supertest';
import {
  as,
  DEMO_SCENARIO,
  entities,
  ID,
  KENJI,
  openSseStream,
  PRIYA,
  startDemoBackend,
} from './demoWorld';

export const CANARY_PREFIXES = [
  'CANARY-SECRET-VALUE-',
  'CANARY-CONFIGMAP-VALUE-',
  'CANARY-ENV-VALUE-',
];

export const VIDEO = 'component:default/video-consultation';
export const LEGACY = 'legacy-onprem';
export const EAST = 'cloud-east';
export const kubernetesIds: string[] = entities
  .filter(e => e.kind === 'Component' && e.metadata.annotations?.[ID])
  .map(e => e.metadata.annotations[ID]);

// ---------------------------------------------------------------------------------------------
// Harness: a fresh simulator and backend per test; every response body and stream chunk is
// recorded so afterEach can check that no canary string ever left the backend.

export let sim: RunningSimulator;
export let backend: Awaited<ReturnType<typeof startDemoBackend>>;
export let seen: string[] = [];
export const openStreams: AbortController[] = [];

export async function start(
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

export async function get(path: string, user = KENJI) {
  const res = await request(backend.server)
    .get(`/api/clusters/v1${path}`)
    .set(as(user));
  seen.push(res.text);
  return res;
}

export async function post(path: string, body: object, user = KENJI) {
  const res = await request(backend.server)
    .post(`/api/clusters/v1${path}`)
    .set(as(user))
    .send(body);
  seen.push(res.text);
  return res;
}

export const workloads = async (name: string, clusters = [LEGACY, EAST]) => {
  const res = await get(
    `/entities/component/default/${name}/workloads?clusters=${clusters.join(
      ',',
    )}`,
  );
  expect(res.status).toBe(200);
  return res.body as { clusters: any[] };
};

export const clusterOf = (body: { clusters: any[] }, name: string) =>
  body.clusters.find(c => c.cluster === name);

/** The plugin's own per-cluster API request counters (`GET /v1/clusters`). */
export async function stats(cluster: string) {
  const res = await get('/clusters', PRIYA);
  const item = res.body.items.find((c: any) => c.name === cluster);
  const counters: Record<string, number> = {
    ...item.stats.requests,
    throttled: item.stats.throttled,
  };
  return counters;
}

/** Polls until `check` is truthy (no duration is asserted; jest's timeout is the bound). */
export async function until<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
): Promise<T> {
  for (;;) {
    const v = await check();
    if (v) return v;
    await new Promise(r => setTimeout(r, 20));
  }
}

/** What the simulator's store holds: the entity's pods on a cluster, by name. */
export function simPods(cluster: string, id: string) {
  return sim.simulation
    .cluster(cluster)
    .objectsOf('', 'Pod')
    .filter(p => p.metadata.labels?.[ID] === id);
}
export const names = (xs: any[]): string[] =>
  xs.map(x => x.name ?? x.metadata.name).sort();

/** An SSE client over real HTTP (the browser's fetch API); every chunk is checked for canaries. */
export async function openStream(user = KENJI) {
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

/**
 * A fresh simulator and backend per test (each test calls {@link start}); afterEach stops them and
 * checks that no canary string left the backend in any body or stream event of the test.
 */
export function useFreshWorldPerTest() {
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
}
