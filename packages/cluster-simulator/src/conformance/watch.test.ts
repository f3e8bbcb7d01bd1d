import { Watch } from '@kubernetes/client-node';
import { Harness, startHarness } from '../__testUtils__/conformance';
import { eventually } from '../__testUtils__/testUtils';

/*
 * Conformance: WATCH (kubernetes v1.32, WatchList beta and on).
 */
describe('conformance: watch', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.sim.stop());

  /** Reads a whole (ending) watch response over raw HTTP. */
  const readStream = async (path: string) => {
    const res = await h.raw('GET', path);
    const events = res.text
      .split('\n')
      .filter(l => l.trim() !== '')
      .map(l => JSON.parse(l));
    return { status: res.status, events };
  };

  it('answers a too-old resourceVersion with HTTP 200, one ERROR event (410 Expired) and the end of the stream', async () => {
    // staging/src/k8s.io/apiserver/pkg/storage/cacher/watch_cache.go:734-736 ("too old resource
    // version: %d (%d)") returned through cacher.go:650-654 newErrWatcher: "once we have passed
    // authn/authz/admission, ... other errors must fail with a watch event of type ERROR".
    const list = await h.raw('GET', '/api/v1/namespaces/web/configmaps');
    const rv = Number(list.json.metadata.resourceVersion);
    await h.raw('POST', '/api/v1/namespaces/web/configmaps', {
      body: { metadata: { name: 'compacted-away' } },
    });
    const store = h.sim.simulation.cluster('alpha').store;
    store.compact();
    const { status, events } = await readStream(
      `/api/v1/namespaces/web/configmaps?watch=true&resourceVersion=${rv}`,
    );
    expect(status).toBe(200);
    expect(events).toEqual([
      {
        type: 'ERROR',
        object: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: `too old resource version: ${rv} (${store.oldestResumableVersion})`,
          reason: 'Expired',
          code: 410,
        },
      },
    ]);
  });

  it('delivers the 410 to client-node’s Watch as one ERROR event, then done', async () => {
    const rv = h.sim.simulation.cluster('alpha').store.resourceVersion;
    await h.raw('POST', '/api/v1/namespaces/web/configmaps', {
      body: { metadata: { name: 'later' } },
    });
    h.sim.simulation.cluster('alpha').store.compact();
    const seen: Array<[string, any]> = [];
    let done = false;
    await new Watch(h.kc()).watch(
      '/api/v1/namespaces/web/configmaps',
      { resourceVersion: String(rv) },
      (type, obj) => seen.push([type, obj]),
      () => {
        done = true;
      },
    );
    await eventually(() => done, 'watch to end');
    expect(seen).toHaveLength(1);
    expect(seen[0][0]).toBe('ERROR');
    expect(seen[0][1]).toMatchObject({ code: 410, reason: 'Expired' });
  });

  it('sends the initial state then a k8s.io/initial-events-end bookmark for sendInitialEvents', async () => {
    // staging/src/k8s.io/apiserver/pkg/storage/cacher/cacher.go:1400-1402 isListWatchRequest and
    // setInitialEventsEndBookmarkIfRequested; WatchList is on by default in 1.32
    // (pkg/features/kube_features.go:436-439).
    const { events } = await readStream(
      '/api/v1/namespaces/web/pods?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=1',
    );
    const types = events.map(e => e.type);
    expect(types.slice(0, 2)).toEqual(['ADDED', 'ADDED']);
    expect(events[2]).toMatchObject({
      type: 'BOOKMARK',
      object: {
        kind: 'Pod',
        apiVersion: 'v1',
        metadata: { annotations: { 'k8s.io/initial-events-end': 'true' } },
      },
    });
  });

  it('requires resourceVersionMatch=NotOlderThan with sendInitialEvents (422)', async () => {
    // staging/src/k8s.io/apimachinery/pkg/apis/meta/internalversion/validation/validation.go:59-63.
    const res = await h.raw(
      'GET',
      '/api/v1/namespaces/web/pods?watch=true&sendInitialEvents=true&allowWatchBookmarks=true',
    );
    expect(res.status).toBe(422);
    expect(res.json.message).toBe(
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
    );
  });

  it('replays changes after a resourceVersion, with watch objects carrying kind and apiVersion', async () => {
    // Watch events encode each object on its own (apiserver/pkg/endpoints/handlers/watch.go).
    const rv = h.sim.simulation.cluster('alpha').store.resourceVersion;
    await h.raw('POST', '/api/v1/namespaces/web/configmaps', {
      body: { metadata: { name: 'replayed' } },
    });
    const { events } = await readStream(
      `/api/v1/namespaces/web/configmaps?watch=true&resourceVersion=${rv}&timeoutSeconds=1`,
    );
    expect(events[0]).toMatchObject({
      type: 'ADDED',
      object: {
        kind: 'ConfigMap',
        apiVersion: 'v1',
        metadata: { name: 'replayed' },
      },
    });
  });

  it('rejects unsupported field selectors on watch too (400)', async () => {
    const res = await h.raw(
      'GET',
      '/api/v1/namespaces/web/configmaps?watch=true&fieldSelector=data.x%3Dy',
    );
    expect(res.status).toBe(400);
    expect(res.json.message).toBe(
      '"data.x" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
  });
});
