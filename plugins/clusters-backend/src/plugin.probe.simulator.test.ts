/*
 * The whole plugin against the simulated demo clusters, continued (see plugin.simulator.test.ts):
 * the probe, a cluster going down, throttling and CRDs that are absent.
 */

import {
  clusterOf,
  EAST,
  get,
  LEGACY,
  names,
  post,
  sim,
  start,
  stats,
  until,
  useFreshWorldPerTest,
  VIDEO,
  workloads,
} from './__testUtils__/simulatorSuite';

jest.setTimeout(60_000);

useFreshWorldPerTest();

describe('clusters plugin against the simulated demo clusters', () => {
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
});
