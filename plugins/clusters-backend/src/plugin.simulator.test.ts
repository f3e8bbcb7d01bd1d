/*
 * The whole plugin (startTestBackend) against the cluster simulator's demo world over HTTP on
 * ephemeral ports: the real KubeClient / client-node KubeConfig talk to simulated API servers.
 * The simulator runs with speed 0, so simulated time only moves with advance(): nothing here
 * depends on how fast the machine is (waits poll for a state, they never assert a duration).
 * More of the suite: plugin.probe.simulator.test.ts (probe, stale, throttling, absent CRDs) and
 * plugin.canary.simulator.test.ts (canary values, server-side apply).
 */
import { summarizePod } from '@careplane/plugin-clusters-common';
import { ID, KENJI } from './__testUtils__/demoWorld';
import {
  clusterOf,
  EAST,
  get,
  LEGACY,
  names,
  openStream,
  sim,
  simPods,
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
});
