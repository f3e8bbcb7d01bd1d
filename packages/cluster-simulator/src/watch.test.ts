import {
  CoreV1Api,
  makeInformer,
  V1ConfigMap,
  Watch,
} from '@kubernetes/client-node';
import { RunningSimulator, startSimulator } from './server';
import {
  eventually,
  kubeConfigFor,
  testScenario,
} from './__testUtils__/testUtils';

describe('watch, informers and faults', () => {
  let sim: RunningSimulator;
  let core: CoreV1Api;

  beforeEach(async () => {
    sim = await startSimulator({
      scenario: testScenario(),
      ports: 'ephemeral',
      speed: 0,
      bookmarkIntervalMs: 50,
    });
    sim.advance(10);
    core = kubeConfigFor(sim.clusters[0]).makeApiClient(CoreV1Api);
  });
  afterEach(() => sim.stop());

  const collectWatch = async (query: Record<string, string>) => {
    const events: Array<{ type: string; object: any }> = [];
    let done: unknown = 'open';
    const ctl = await new Watch(kubeConfigFor(sim.clusters[0])).watch(
      '/api/v1/namespaces/web/configmaps',
      query,
      (type, object) => events.push({ type, object }),
      err => {
        done = err ?? null;
      },
    );
    return { events, ctl, done: () => done };
  };

  it('streams events from a resourceVersion, with selector transitions and bookmarks', async () => {
    const list = await core.listNamespacedConfigMap({ namespace: 'web' });
    const w = await collectWatch({
      resourceVersion: list.metadata!.resourceVersion!,
      labelSelector: 'watched=yes',
      allowWatchBookmarks: 'true',
    });
    await core.createNamespacedConfigMap({
      namespace: 'web',
      body: { metadata: { name: 'w1', labels: { watched: 'yes' } } },
    });
    await core.createNamespacedConfigMap({
      namespace: 'web',
      body: { metadata: { name: 'ignored' } },
    });
    await core.patchNamespacedConfigMap({
      name: 'w1',
      namespace: 'web',
      body: [{ op: 'replace', path: '/metadata/labels/watched', value: 'no' }],
    });
    await eventually(
      () => w.events.some(e => e.type === 'DELETED'),
      'DELETED event',
    );
    const deletedAt = w.events.findIndex(e => e.type === 'DELETED');
    await eventually(
      () => w.events.slice(deletedAt).some(e => e.type === 'BOOKMARK'),
      'a bookmark after the changes',
    );
    const changes = w.events.filter(e => e.type !== 'BOOKMARK');
    expect(changes.map(e => `${e.type} ${e.object.metadata.name}`)).toEqual([
      'ADDED w1',
      'DELETED w1',
    ]);
    const bookmark = w.events
      .slice(deletedAt)
      .find(e => e.type === 'BOOKMARK')!;
    expect(
      Number(bookmark.object.metadata.resourceVersion),
    ).toBeGreaterThanOrEqual(
      Number(changes[1].object.metadata.resourceVersion),
    );
    w.ctl.abort();
  });

  it('answers an expired resourceVersion with a 410 ERROR event and closes the watch', async () => {
    const list = await core.listNamespacedConfigMap({ namespace: 'web' });
    await core.createNamespacedConfigMap({
      namespace: 'web',
      body: { metadata: { name: 'later' } },
    });
    sim.simulation.cluster('alpha').store.compact();
    const w = await collectWatch({
      resourceVersion: list.metadata!.resourceVersion!,
    });
    await eventually(() => w.done() !== 'open', 'watch to close');
    expect(w.events).toHaveLength(1);
    expect(w.events[0]).toMatchObject({
      type: 'ERROR',
      object: { kind: 'Status', code: 410, reason: 'Expired' },
    });
  });

  it('keeps an informer in sync across a dropped watch and a 410', async () => {
    const kc = kubeConfigFor(sim.clusters[0]);
    const api = kc.makeApiClient(CoreV1Api);
    const informer = makeInformer<V1ConfigMap>(
      kc,
      '/api/v1/namespaces/web/configmaps',
      () => api.listNamespacedConfigMap({ namespace: 'web' }),
    );
    const errors: unknown[] = [];
    let connects = 0;
    informer.on('error', e => errors.push(e));
    informer.on('connect', () => connects++);
    await informer.start();
    const names = () =>
      informer
        .list('web')
        .map(c => c.metadata!.name)
        .sort();
    await core.createNamespacedConfigMap({
      namespace: 'web',
      body: { metadata: { name: 'inf-1' } },
    });
    await eventually(() => names().includes('inf-1'), 'informer to see inf-1');

    // 1. The server closes every watch (like a timeout); the informer re-watches from its resourceVersion.
    expect(sim.faults('alpha').dropWatches('close')).toBeGreaterThan(0);
    await eventually(
      () => connects >= 2 && sim.faults('alpha').openWatches > 0,
      're-watch',
    );
    await core.createNamespacedConfigMap({
      namespace: 'web',
      body: { metadata: { name: 'inf-2' } },
    });
    await eventually(() => names().includes('inf-2'), 'informer to see inf-2');

    // 2. History is compacted while the watch is down: resuming gets 410, the informer re-lists.
    const before = connects;
    sim.faults('alpha').set({ hang: true, match: { verbs: ['watch'] } });
    sim.faults('alpha').dropWatches('close');
    await eventually(() => connects > before, 'informer to try to re-watch');
    await core.deleteNamespacedConfigMap({ name: 'inf-1', namespace: 'web' });
    await core.createNamespacedConfigMap({
      namespace: 'web',
      body: { metadata: { name: 'inf-3' } },
    });
    sim.simulation.cluster('alpha').store.compact();
    sim.faults('alpha').clear();
    await eventually(
      () => names().includes('inf-3') && !names().includes('inf-1'),
      'informer to converge after 410',
    );
    expect(connects).toBeGreaterThan(before + 1);
    expect(errors).toEqual([]);
    await informer.stop();
  });

  it('injects latency, 5xx errors and 429 with Retry-After', async () => {
    const f = sim.faults('alpha');
    f.set({ throttleRate: 1, retryAfterSeconds: 7 });
    const throttled = await fetch(`${sim.clusters[0].url}/api/v1/namespaces`, {
      headers: { authorization: `Bearer ${sim.clusters[0].token}` },
    });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('7');
    expect(await throttled.json()).toMatchObject({
      kind: 'Status',
      reason: 'TooManyRequests',
      code: 429,
    });

    f.set({ errorRate: 1, errorCode: 503, match: { verbs: ['list'] } });
    await expect(core.listNamespace()).rejects.toMatchObject({ code: 503 });
    expect((await core.readNamespace({ name: 'web' })).metadata?.name).toBe(
      'web',
    );

    f.set({ latencyMs: 150, jitterMs: 10 });
    const decision = f.decide('get', 'namespaces', '/api/v1/namespaces/web');
    expect(decision.delayMs).toBeGreaterThanOrEqual(150);
    expect(decision.delayMs).toBeLessThan(160);
    expect((await core.readNamespace({ name: 'web' })).metadata?.name).toBe(
      'web',
    );
    f.clear();
  });

  it('takes a cluster down (connection refused) and hangs it, then recovers', async () => {
    const f = sim.faults('alpha');
    f.set({ down: true });
    await eventually(async () => {
      try {
        await core.listNamespace();
        return undefined;
      } catch (e: any) {
        return String(e.code ?? e.message).includes('ECONNREFUSED') ||
          String(e.message).includes('ECONNREFUSED')
          ? true
          : undefined;
      }
    }, 'connection refused');
    f.clear();
    await eventually(
      async () =>
        await core
          .listNamespace()
          .then(() => true)
          .catch(() => undefined),
      'cluster back up',
    );

    f.set({ hang: true });
    const controller = new AbortController();
    const pending = fetch(`${sim.clusters[0].url}/api/v1/namespaces`, {
      headers: { authorization: `Bearer ${sim.clusters[0].token}` },
      signal: controller.signal,
    });
    let settled = false;
    pending.then(
      () => (settled = true),
      () => (settled = true),
    );
    await new Promise(r => setTimeout(r, 100));
    expect(settled).toBe(false);
    controller.abort();
    await expect(pending).rejects.toThrow();
    f.clear();
  });

  it('closes watches after dropWatchesAfterMs', async () => {
    sim.faults('alpha').set({ dropWatchesAfterMs: 50 });
    const w = await collectWatch({ resourceVersion: '0' });
    await eventually(() => w.done() !== 'open', 'watch dropped by the server');
    expect(w.done()).toBeNull();
  });
});
