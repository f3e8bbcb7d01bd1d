import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { failureOf, Harness, startHarness } from '../__testUtils__/conformance';

/*
 * Conformance: LIST. Sources are kubernetes/kubernetes v1.32 (staging
 * paths; the same files are the k8s.io/apiserver and k8s.io/apimachinery
 * v0.32 modules).
 */
describe('conformance: list', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.sim.stop());

  it('answers a typed list whose items carry no kind or apiVersion', async () => {
    // staging/src/k8s.io/apimachinery/pkg/runtime/helper.go:222 WithVersionEncoder.Encode sets the
    // GroupVersionKind of the top-level object only; typed list items keep an empty TypeMeta.
    const res = await h.raw('GET', '/api/v1/namespaces/web/pods');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ kind: 'PodList', apiVersion: 'v1' });
    expect(res.json.items.length).toBe(2);
    for (const item of res.json.items) {
      expect(item).not.toHaveProperty('kind');
      expect(item).not.toHaveProperty('apiVersion');
      expect(item.metadata.namespace).toBe('web');
    }
  });

  it('keeps kind and apiVersion on custom resource list items', async () => {
    // Custom resources are unstructured.Unstructured: each item carries its own apiVersion/kind
    // (staging/src/k8s.io/apiextensions-apiserver/pkg/registry/customresource/etcd.go stores and
    // lists unstructured objects).
    const custom = h.kc().makeApiClient(CustomObjectsApi);
    await custom.createNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace: 'web',
      plural: 'analysisruns',
      body: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'AnalysisRun',
        metadata: { name: 'listed' },
        spec: { metrics: [] },
      },
    });
    const res = await h.raw(
      'GET',
      '/apis/argoproj.io/v1alpha1/namespaces/web/analysisruns',
    );
    expect(res.json.kind).toBe('AnalysisRunList');
    expect(res.json.items[0]).toMatchObject({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisRun',
    });
  });

  it('ignores limit for resourceVersion=0 (served from the watch cache)', async () => {
    // staging/src/k8s.io/apiserver/pkg/storage/cacher/cacher.go:796-802 computeListLimit:
    // "as of today, the limit is ignored for requests that set RV == 0".
    const all = await h.raw('GET', '/api/v1/namespaces/web/configmaps');
    const zero = await h.raw(
      'GET',
      '/api/v1/namespaces/web/configmaps?limit=1&resourceVersion=0',
    );
    expect(zero.json.items.length).toBe(all.json.items.length);
    expect(zero.json.items.length).toBeGreaterThan(1);
    expect(zero.json.metadata.continue).toBeUndefined();
  });

  it('honours limit and continues from a consistent snapshot', async () => {
    // staging/src/k8s.io/apiserver/pkg/storage/etcd3/store.go:640-653 resolveGetListRev: a
    // continuation reads at the token's revision, so objects created after the first page
    // do not appear in later pages.
    const core = h.kc().makeApiClient(CoreV1Api);
    for (const n of ['snap-a', 'snap-b', 'snap-c'])
      await core.createNamespacedConfigMap({
        namespace: 'web',
        body: { metadata: { name: n, labels: { snap: 'yes' } } },
      });
    const first = await core.listNamespacedConfigMap({
      namespace: 'web',
      labelSelector: 'snap=yes',
      limit: 1,
    });
    expect(first.items.map(c => c.metadata!.name)).toEqual(['snap-a']);
    await core.createNamespacedConfigMap({
      namespace: 'web',
      body: { metadata: { name: 'snap-bb', labels: { snap: 'yes' } } },
    });
    const names: string[] = [];
    let token = first.metadata!._continue;
    while (token) {
      const page = await core.listNamespacedConfigMap({
        namespace: 'web',
        labelSelector: 'snap=yes',
        limit: 1,
        _continue: token,
      });
      expect(page.metadata!.resourceVersion).toBe(
        first.metadata!.resourceVersion,
      );
      names.push(...page.items.map(c => c.metadata!.name!));
      token = page.metadata!._continue;
    }
    expect(names).toEqual(['snap-b', 'snap-c']);
  });

  it('reports remainingItemCount only for unfiltered lists', async () => {
    // staging/src/k8s.io/apiserver/pkg/storage/continue.go:111-117 PrepareContinueToken sets
    // remainingItemCount only when the predicate is empty.
    const plain = await h.raw(
      'GET',
      '/api/v1/namespaces/web/configmaps?limit=1',
    );
    expect(plain.json.metadata.remainingItemCount).toBeGreaterThan(0);
    const filtered = await h.raw(
      'GET',
      '/api/v1/namespaces/web/configmaps?limit=1&labelSelector=snap%3Dyes',
    );
    expect(filtered.json.metadata.continue).toBeDefined();
    expect(filtered.json.metadata.remainingItemCount).toBeUndefined();
  });

  it('answers 410 Expired with a fresh token for a continue token older than compaction', async () => {
    // staging/src/k8s.io/apiserver/pkg/storage/etcd3/errors.go handleCompactedErrorForPaging:
    // ResourceExpired(inconsistentContinue) with ListMeta.Continue set to a token at rv -1.
    const first = await h.raw(
      'GET',
      '/api/v1/namespaces/web/configmaps?limit=1',
    );
    await h.raw('POST', '/api/v1/namespaces/web/configmaps', {
      body: { metadata: { name: 'after-compaction' } },
    });
    h.sim.simulation.cluster('alpha').store.compact();
    const res = await h.raw(
      'GET',
      `/api/v1/namespaces/web/configmaps?limit=1&continue=${first.json.metadata.continue}`,
    );
    expect(res.status).toBe(410);
    expect(res.json).toMatchObject({
      kind: 'Status',
      reason: 'Expired',
      code: 410,
      message: expect.stringMatching(
        /^The provided continue parameter is too old to display a consistent list result\. You can start a new list without the continue parameter, or use the continue token in this response/,
      ),
    });
    const fresh = JSON.parse(
      Buffer.from(res.json.metadata.continue, 'base64url').toString(),
    );
    expect(fresh).toMatchObject({ v: 'meta.k8s.io/v1', rv: -1 });
    const rest = await h.raw(
      'GET',
      `/api/v1/namespaces/web/configmaps?limit=100&continue=${res.json.metadata.continue}`,
    );
    expect(rest.status).toBe(200);
  });

  it('rejects a continue token together with a resourceVersion (400)', async () => {
    // staging/src/k8s.io/apiserver/pkg/storage/etcd3/store.go:644-646.
    const first = await h.raw(
      'GET',
      '/api/v1/namespaces/web/configmaps?limit=1',
    );
    const res = await h.raw(
      'GET',
      `/api/v1/namespaces/web/configmaps?limit=1&resourceVersion=5&continue=${first.json.metadata.continue}`,
    );
    expect(res.status).toBe(400);
    expect(res.json.message).toBe(
      'specifying resource version is not allowed when using continue',
    );
  });

  it('rejects a malformed continue token (400)', async () => {
    // staging/src/k8s.io/apiserver/pkg/storage/etcd3/store.go:719-722 and continue.go:47-80.
    const token = Buffer.from(
      '{"v":"meta.k8s.io/v2","rv":1,"start":"a"}',
    ).toString('base64url');
    const res = await h.raw(
      'GET',
      `/api/v1/namespaces/web/configmaps?limit=1&continue=${token}`,
    );
    expect(res.status).toBe(400);
    expect(res.json.message).toBe(
      'invalid continue token: continue key is not valid: server does not recognize this encoded version meta.k8s.io/v2',
    );
  });

  it('lists at an exact past resourceVersion, and 410s once it is compacted', async () => {
    // https://kubernetes.io/docs/reference/using-api/api-concepts/#semantics-for-get-and-list
    // (resourceVersionMatch=Exact) and etcd3/errors.go: "The resourceVersion for the provided
    // list is too old."
    const before = await h.raw('GET', '/api/v1/namespaces/web/configmaps');
    const rv = before.json.metadata.resourceVersion;
    await h.raw('POST', '/api/v1/namespaces/web/configmaps', {
      body: { metadata: { name: 'newer-than-rv' } },
    });
    const exact = await h.raw(
      'GET',
      `/api/v1/namespaces/web/configmaps?resourceVersion=${rv}&resourceVersionMatch=Exact`,
    );
    expect(exact.json.metadata.resourceVersion).toBe(rv);
    expect(exact.json.items.map((c: any) => c.metadata.name)).not.toContain(
      'newer-than-rv',
    );
    h.sim.simulation.cluster('alpha').store.compact();
    const gone = await h.raw(
      'GET',
      `/api/v1/namespaces/web/configmaps?resourceVersion=${rv}&resourceVersionMatch=Exact`,
    );
    expect(gone.status).toBe(410);
    expect(gone.json.message).toBe(
      'The resourceVersion for the provided list is too old.',
    );
  });

  it('answers 504 Timeout for a resourceVersion newer than the store', async () => {
    // staging/src/k8s.io/apiserver/pkg/storage/errors.go NewTooLargeResourceVersionError.
    const now = Number(
      (await h.raw('GET', '/api/v1/namespaces')).json.metadata.resourceVersion,
    );
    const res = await h.raw(
      'GET',
      `/api/v1/namespaces?resourceVersion=${
        now + 1000
      }&resourceVersionMatch=NotOlderThan`,
    );
    expect(res.status).toBe(504);
    expect(res.json).toMatchObject({
      reason: 'Timeout',
      message: `Timeout: Too large resource version: ${
        now + 1000
      }, current: ${now}`,
      details: {
        causes: [{ reason: 'ResourceVersionTooLarge' }],
        retryAfterSeconds: 1,
      },
    });
  });

  it('validates list options (422 ListOptions)', async () => {
    // staging/src/k8s.io/apimachinery/pkg/apis/meta/internalversion/validation/validation.go:28-54.
    const noRv = await h.raw(
      'GET',
      '/api/v1/namespaces?resourceVersionMatch=Exact',
    );
    expect(noRv.status).toBe(422);
    expect(noRv.json.message).toBe(
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
    );
    const initial = await h.raw(
      'GET',
      '/api/v1/namespaces?sendInitialEvents=true',
    );
    expect(initial.json.message).toBe(
      'ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list',
    );
  });

  it('rejects a malformed label selector with 400 through client-node', async () => {
    // staging/src/k8s.io/apiserver/pkg/endpoints/handlers/get.go: DecodeParameters errors are
    // NewBadRequest.
    const core = h.kc().makeApiClient(CoreV1Api);
    const bad = await failureOf(
      core.listNamespacedPod({ namespace: 'web', labelSelector: 'a in (b' }),
    );
    expect(bad?.code).toBe(400);
    expect(bad?.body.reason).toBe('BadRequest');
  });
});
