/*
 * Cold start (issue 15): the informers of the entity pages' kinds start with the backend, and a
 * page view while a kind is still syncing answers with the kinds that are ready and `syncing`
 * for the rest instead of holding the whole answer. Against the demo simulator; the pod LIST of
 * legacy-onprem hangs until the test lifts it, so "still syncing" is a state, not a race.
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
  openSseStream,
  PRIYA,
  startDemoBackend,
} from './__testUtils__/demoWorld';

jest.setTimeout(60_000);

const LEGACY = 'legacy-onprem';
const EAST = 'cloud-east';
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

describe('cold start', () => {
  it('syncs at backend start; the first page view answers with the ready kinds and syncing for the rest', async () => {
    sim = await startSimulator({
      scenarioFile: DEMO_SCENARIO,
      ports: 'ephemeral',
      speed: 0,
    });
    // legacy-onprem's pods never arrive until lifted (a huge or slow cluster, without an error)
    sim.faults(LEGACY).set({
      hang: true,
      match: { resources: ['pods'], verbs: ['list', 'watch'] },
    });
    backend = await startDemoBackend(sim, {
      clusters: { cache: { warmOnStart: true } },
      location: c =>
        c.name === LEGACY
          ? { timeouts: { request: '50s', firstSync: '1s' } }
          : {},
    });

    // before anyone asked: every workload kind of every cluster is watched, except the hung pods
    const kinds = workloadKinds.length;
    await until(async () =>
      sim.clusters.every(
        ({ name }) =>
          sim.faults(name).openWatches ===
          (name === LEGACY ? kinds - 1 : kinds),
      ),
    );

    // the first page view: answered while legacy-onprem's pod LIST still hangs
    const res = await request(backend.server).get(WORKLOADS).set(as(PRIYA));
    expect(res.status).toBe(200);
    const legacy = res.body.clusters.find((c: any) => c.cluster === LEGACY);
    expect(legacy).toMatchObject({ status: 'syncing', pods: [] });
    expect(legacy.error).toBeUndefined();
    for (const k of legacy.kinds) {
      expect(k).toMatchObject({ status: k.kind === 'Pod' ? 'syncing' : 'ok' });
      expect(k.error).toBeUndefined();
    }
    // the ready kinds are there: the Deployment of legacy-onprem, all of cloud-east
    expect(legacy.deployments.map((d: any) => d.name)).toEqual([
      'video-consultation',
    ]);
    const east = res.body.clusters.find((c: any) => c.cluster === EAST);
    expect(east.status).toBe('ok');
    expect(east.pods.length).toBeGreaterThan(0);

    // a live view of the page, opened while the pods are syncing
    const stream = await openSseStream(backend.server, PRIYA);
    await stream.watch('w1', {
      entityRef: 'component:default/video-consultation',
      kinds: ['Pod'],
      clusters: [LEGACY],
    });
    const from = stream.events.length;

    // the LIST answers: the pods appear and the cluster is live
    sim.faults(LEGACY).set({});
    // the live view is told the kind is ok, then to fetch what the first sync found
    await stream.next(
      e => e.type === 'status' && e.kind?.status === 'ok',
      from,
    );
    await stream.next(e => e.type === 'resync' && e.kind === 'Pod', from);
    stream.close();
    const live = await until(async () => {
      const again = await request(backend.server).get(WORKLOADS).set(as(PRIYA));
      const c = again.body.clusters.find((x: any) => x.cluster === LEGACY);
      return c.status === 'ok' && c;
    });
    expect(live.pods.map((p: any) => p.name).sort()).toEqual(
      sim.simulation
        .cluster(LEGACY)
        .objectsOf('', 'Pod', 'video-consultation')
        .filter(
          p =>
            p.metadata.labels?.['backstage.io/kubernetes-id'] ===
            'video-consultation',
        )
        .map(p => p.metadata.name)
        .sort(),
    );
  });
});
