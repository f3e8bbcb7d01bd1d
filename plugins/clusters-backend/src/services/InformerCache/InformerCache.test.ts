import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { parseLabelSelector } from '@careplane/plugin-clusters-common';
import { setupServer } from 'msw/node';
import {
  CANARY,
  eventually,
  FakeApiServer,
  pod,
} from '../../__testUtils__/FakeApiServer';
import { KubeClient } from '../KubeClient/KubeClient';
import { InformerCache } from './InformerCache';
import { InformerEvent } from './Informer';
import { KindRegistry } from './KindRegistry';

const server = setupServer();
registerMswTestHooks(server);

const PODS = '/api/v1/pods';

function setup(
  options: {
    idleTimeoutMs?: number;
    sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  } = {},
) {
  const api = new FakeApiServer('https://c1.test', 'tok-1');
  server.use(...api.handlers());
  const logger = mockServices.logger.mock();
  const client = KubeClient.create(
    {
      name: 'c1',
      url: api.baseUrl,
      auth: { type: 'serviceAccountToken', token: 'tok-1' },
      timeouts: { requestMs: 2000, firstSyncMs: 2000, watchIdleMs: 60_000 },
    },
    {
      retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5 },
      circuitBreaker: { failureThreshold: 5, cooldownMs: 60_000 },
      logger,
    },
  );
  const cache = new InformerCache(
    new Map([['c1', client]]),
    new KindRegistry(),
    {
      logger,
      idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
      crdRecheckIntervalMs: 60_000,
      informer: {
        sleep: options.sleep ?? (() => new Promise(r => setTimeout(r, 5))),
      },
    },
  );
  return { api, cache, client };
}

describe('InformerCache', () => {
  let cleanup: Array<() => void> = [];
  afterEach(() => {
    cleanup.forEach(c => c());
    cleanup = [];
  });

  it('starts nothing until a kind is first asked for', async () => {
    const { api, cache } = setup();
    cleanup.push(() => cache.close());
    api.add(PODS, pod('a-1', 'a'));
    expect(api.requests).toHaveLength(0);
    const informer = cache.get('c1', 'Pod');
    await informer.waitForFirstAttempt(2000);
    expect(informer.status().error).toBeUndefined();
    expect(api.lists(PODS)).toHaveLength(1);
    expect(cache.running()).toEqual([{ cluster: 'c1', kind: 'Pod' }]);
  });

  it('looks objects up by label from memory, stripped', async () => {
    const { api, cache } = setup();
    cleanup.push(() => cache.close());
    for (let i = 0; i < 5; i++) api.add(PODS, pod(`a-${i}`, 'a'));
    for (let i = 0; i < 3; i++) api.add(PODS, pod(`b-${i}`, 'b'));
    const informer = cache.get('c1', 'Pod');
    await informer.waitForFirstAttempt(2000);
    const listsBefore = api.lists().length;
    const found = informer.select(
      parseLabelSelector('backstage.io/kubernetes-id=b'),
    );
    expect(found.map(f => f.name).sort()).toEqual(['b-0', 'b-1', 'b-2']);
    expect(
      informer.select(
        parseLabelSelector('app in (a,b),backstage.io/kubernetes-id!=a'),
      ),
    ).toHaveLength(3);
    expect(
      informer.select(
        parseLabelSelector('backstage.io/kubernetes-id=a'),
        'other',
      ),
    ).toHaveLength(0);
    expect(api.lists()).toHaveLength(listsBefore);
    const json = JSON.stringify(found);
    for (const canary of Object.values(CANARY))
      expect(json).not.toContain(canary);
    expect(found[0].object.metadata.managedFields).toBeUndefined();
    expect(found[0].object.spec.containers[0].env).toEqual([
      { name: 'DB_PASSWORD', valueRedacted: true },
      {
        name: 'FROM_SECRET',
        valueFrom: { secretKeyRef: { name: 's', key: 'k' } },
      },
    ]);
  });

  it('applies watch events and resumes a dropped watch from its resourceVersion', async () => {
    const { api, cache } = setup();
    cleanup.push(() => cache.close());
    api.add(PODS, pod('a-1', 'a'));
    const informer = cache.get('c1', 'Pod');
    const events: InformerEvent[] = [];
    cleanup.push(informer.subscribe(e => events.push(e)));
    await informer.waitForFirstAttempt(2000);
    await eventually(
      () => api.watches(PODS).length === 1 && informer.status().status === 'ok',
    );
    api.add(PODS, pod('a-2', 'a'));
    await eventually(() => informer.size === 2);
    const rvAfterEvent = String(api.rv);
    api.dropWatches();
    await eventually(() => api.watches(PODS).length === 2);
    expect(api.watches(PODS)[1].query.get('resourceVersion')).toBe(
      rvAfterEvent,
    );
    expect(api.lists(PODS)).toHaveLength(1);
    api.remove(PODS, 'a', 'a-1');
    await eventually(() => informer.size === 1);
    expect(
      events
        .filter(e => e.type !== 'status')
        .map(e => [e.type, (e as any).object?.name]),
    ).toEqual([
      ['upsert', 'a-2'],
      ['delete', 'a-1'],
    ]);
  });

  it('re-lists after 410 Gone and tells subscribers to resync', async () => {
    const { api, cache } = setup();
    cleanup.push(() => cache.close());
    api.add(PODS, pod('a-1', 'a'));
    const informer = cache.get('c1', 'Pod');
    const events: InformerEvent[] = [];
    cleanup.push(informer.subscribe(e => events.push(e)));
    await informer.waitForFirstAttempt(2000);
    await eventually(() => api.watches(PODS).length === 1);
    // objects change while the watch is down and the server compacts history
    api.dropWatches();
    api.goneFor.add(String(api.rv));
    api.add(PODS, pod('a-2', 'a'));
    await eventually(() => api.lists(PODS).length === 2);
    await eventually(() => informer.size === 2);
    await eventually(() => events.some(e => e.type === 'resync'));
    expect(api.lists(PODS)).toHaveLength(2);
    expect(
      events.filter(e => e.type === 'upsert').map(e => (e as any).object.name),
    ).toEqual(['a-2']);
    expect(cache.stats('c1').relists).toBe(1);
  });

  it('turns stale with the probe error at once when the cluster stops answering, and reconnects when told', async () => {
    // waits between attempts last until woken: only reconnect() can bring the informer back
    const { api, cache } = setup({
      sleep: (_ms, signal) =>
        new Promise(r => signal.addEventListener('abort', () => r())),
    });
    cleanup.push(() => cache.close());
    api.add(PODS, pod('a-1', 'a'));
    const informer = cache.get('c1', 'Pod');
    const events: InformerEvent[] = [];
    cleanup.push(informer.subscribe(e => events.push(e)));
    await informer.waitForFirstAttempt(2000);
    await eventually(
      () => api.watches(PODS).length === 1 && informer.status().status === 'ok',
    );

    const probeError = new Error('Cluster c1 did not answer within 2000 ms');
    cache.markUnreachable('c1', probeError);
    expect(informer.status()).toMatchObject({
      kind: 'Pod',
      status: 'stale',
      syncedAt: expect.any(String),
      error: { message: 'Cluster c1 did not answer within 2000 ms' },
    });
    expect(events.filter(e => e.type === 'status').pop()).toMatchObject({
      status: { status: 'stale' },
    });
    // the watch was ended; the data is still served, marked stale
    expect(informer.size).toBe(1);
    await new Promise(r => setTimeout(r, 20));
    expect(informer.status().status).toBe('stale');
    expect(api.watches(PODS)).toHaveLength(1);

    cache.reconnect('c1');
    await eventually(() => api.watches(PODS).length === 2);
    // (the fake answers a watch's headers with its first event)
    api.add(PODS, pod('a-2', 'a'));
    await eventually(
      () => informer.size === 2 && informer.status().status === 'ok',
    );
    expect(informer.status().error).toBeUndefined();
    // resumed from where it was: no re-list
    expect(api.lists(PODS)).toHaveLength(1);
    expect(cache.stats('c1').relists).toBe(0);
  });

  it('reports an absent CRD as not-installed, not as an error', async () => {
    const { api, cache } = setup();
    cleanup.push(() => cache.close());
    api.missing.add('/apis/argoproj.io/v1alpha1/rollouts');
    const informer = cache.get('c1', 'Rollout');
    await informer.waitForFirstAttempt(2000);
    expect(informer.status()).toEqual({
      kind: 'Rollout',
      status: 'not-installed',
    });
  });

  it('stops informers nobody uses', async () => {
    const { api, cache } = setup({ idleTimeoutMs: 1000 });
    cleanup.push(() => cache.close());
    api.add(PODS, pod('a-1', 'a'));
    const informer = cache.get('c1', 'Pod');
    await informer.waitForFirstAttempt(2000);
    expect(cache.sweep(informer.lastUsedAt + 10)).toBe(0);
    expect(cache.sweep(informer.lastUsedAt + 1000)).toBe(1);
    expect(informer.stopped).toBe(true);
    expect(cache.stats('c1')).toEqual({
      informers: 0,
      objects: 0,
      approxBytes: 0,
      relists: 0,
    });
  });

  it('keeps subscribed informers and reports memory per cluster', async () => {
    const { api, cache } = setup({ idleTimeoutMs: 1000 });
    cleanup.push(() => cache.close());
    api.add(PODS, pod('a-1', 'a'));
    const informer = cache.get('c1', 'Pod');
    cleanup.push(informer.subscribe(() => {}));
    await informer.waitForFirstAttempt(2000);
    expect(cache.sweep(Date.now() + 10_000)).toBe(0);
    expect(cache.stats('c1')).toMatchObject({ informers: 1, objects: 1 });
    expect(cache.stats('c1').approxBytes).toBeGreaterThan(100);
    // and per kind: objects and the bytes of one (its stripped JSON)
    expect(cache.stats('c1').kinds).toEqual([
      {
        kind: 'Pod',
        objects: 1,
        bytesPerObject: cache.stats('c1').approxBytes,
      },
    ]);
  });
});
