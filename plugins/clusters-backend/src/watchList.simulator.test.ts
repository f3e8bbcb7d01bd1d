/*
 * First syncs by streaming list (issue 15): WatchList as kube-apiserver 1.32 serves it (the
 * simulator follows it: `sendInitialEvents=true` needs `resourceVersionMatch=NotOlderThan`, the
 * initial state arrives as ADDED events closed by a `k8s.io/initial-events-end` bookmark), and
 * paged LIST for a server that refuses it.
 */
import {
  startSimulator,
  type RunningSimulator,
} from '@careplane/cluster-simulator';
import { workloadKinds } from '@careplane/plugin-clusters-common';
import request from 'supertest';
import {
  as,
  DEMO_SCENARIO,
  ID,
  PRIYA,
  startDemoBackend,
} from './__testUtils__/demoWorld';

jest.setTimeout(60_000);

const LEGACY = 'legacy-onprem';
const WORKLOADS =
  '/api/clusters/v1/entities/component/default/video-consultation/workloads';

let sim: RunningSimulator;
let backend: Awaited<ReturnType<typeof startDemoBackend>>;

afterEach(async () => {
  await backend?.stop();
  await sim?.stop();
});

async function until<T>(check: () => Promise<T | false | undefined>) {
  for (;;) {
    const value = await check();
    if (value) return value;
    await new Promise(r => setTimeout(r, 20));
  }
}

async function start() {
  sim = await startSimulator({
    scenarioFile: DEMO_SCENARIO,
    ports: 'ephemeral',
    speed: 0,
  });
  backend = await startDemoBackend(sim, {
    clusters: { cache: { warmOnStart: false, watchList: true } },
  });
}

const legacyOf = async () => {
  const res = await request(backend.server).get(WORKLOADS).set(as(PRIYA));
  return res.body.clusters.find((c: any) => c.cluster === LEGACY);
};
const requestsOf = async (cluster: string) => {
  const res = await request(backend.server)
    .get('/api/clusters/v1/clusters')
    .set(as(PRIYA));
  return res.body.items.find((c: any) => c.name === cluster).stats.requests;
};
const truePods = () =>
  sim.simulation
    .cluster(LEGACY)
    .objectsOf('', 'Pod', 'video-consultation')
    .filter(p => p.metadata.labels?.[ID] === 'video-consultation')
    .map(p => String(p.metadata.name))
    .sort();

describe('streaming list (WatchList)', () => {
  it('syncs every kind with one watch each and no LIST, then follows changes on the same stream', async () => {
    await start();
    const legacy = await until(async () => {
      const c = await legacyOf();
      return c.status === 'ok' && c;
    });
    expect(legacy.pods.map((p: any) => p.name).sort()).toEqual(truePods());
    expect(await requestsOf(LEGACY)).toMatchObject({
      list: 0,
      watch: workloadKinds.length,
    });

    // a pod deleted after the sync leaves the answer through the same watch
    const gone = truePods()[0];
    const cluster = sim.simulation.cluster(LEGACY);
    cluster.delete(cluster.typeByKind('', 'Pod')!, 'video-consultation', gone);
    const after = await until(async () => {
      const c = await legacyOf();
      return !c.pods.some((p: any) => p.name === gone) && c;
    });
    expect(after.status).toBe('ok');
    expect(await requestsOf(LEGACY)).toMatchObject({
      list: 0,
      watch: workloadKinds.length,
    });
  });

  it('falls back to paged LIST when the server refuses streaming lists (422)', async () => {
    await start();
    // as a server with WatchList off: every watch is refused until lifted
    sim.faults(LEGACY).set({
      errorRate: 1,
      errorCode: 422,
      match: { verbs: ['watch'] },
    });
    await legacyOf();
    await until(
      async () => (await requestsOf(LEGACY)).list === workloadKinds.length,
    );
    sim.faults(LEGACY).set({});
    const legacy = await until(async () => {
      const c = await legacyOf();
      return c.status === 'ok' && c;
    });
    expect(legacy.pods.map((p: any) => p.name).sort()).toEqual(truePods());
    // one LIST per kind: once refused, the informer no longer tries to stream
    expect((await requestsOf(LEGACY)).list).toBe(workloadKinds.length);
  });
});
