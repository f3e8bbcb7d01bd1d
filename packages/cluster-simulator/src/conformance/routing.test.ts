import { AppsV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { failureOf, Harness, startHarness } from '../__testUtils__/conformance';
import { kubeConfigFor } from '../__testUtils__/testUtils';

/*
 * Conformance: which 404 / 405 a path gets. kube-apiserver serves built-in
 * group versions with go-restful, so routing misses under them are JSON
 * `Status` bodies (staging/src/k8s.io/apiserver/pkg/server/handler.go:176-184
 * serviceErrorHandler -> apimachinery/pkg/api/errors/errors.go:436-520
 * NewGenericServerResponse); anything else falls through kube-aggregator,
 * kube-apiserver and apiextensions-apiserver's crdHandler to the final
 * NotFound handler, Go's http.NotFound
 * (staging/src/k8s.io/apiserver/pkg/util/notfoundhandler/not_found_handler.go:64).
 */
describe('conformance: routing, 404 and 405', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.sim.stop());

  it('answers plain-text 404 for a custom resource whose CRD is absent', async () => {
    // apiextensions-apiserver pkg/apiserver/customresource_handler.go:254-258: no CRD -> delegate.
    const beta = await failureOf(
      kubeConfigFor(h.sim.clusters[1])
        .makeApiClient(CustomObjectsApi)
        .listNamespacedCustomObject({
          group: 'argoproj.io',
          version: 'v1alpha1',
          namespace: 'default',
          plural: 'rollouts',
        }),
    );
    expect(beta?.code).toBe(404);
    expect(beta?.body).toBe('404 page not found\n');
    const raw = await h.raw(
      'GET',
      '/apis/argoproj.io/v1alpha1/namespaces/default/rollouts',
      { cluster: 1 },
    );
    expect(raw.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(raw.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers plain-text 404 for an unknown group and its discovery', async () => {
    for (const path of [
      '/apis/nonexistent.example.com/v1/widgets',
      '/apis/nonexistent.example.com/v1',
      '/apis/nonexistent.example.com',
      '/no/such/path',
    ]) {
      const res = await h.raw('GET', path);
      expect([path, res.status, res.text]).toEqual([
        path,
        404,
        '404 page not found\n',
      ]);
    }
  });

  it('answers plain-text 404 for an unserved version or unknown resource of a CRD group', async () => {
    // customresource_handler.go:254-258 (CRD name from resource+group not found) and :283-286
    // (!HasServedCRDVersion) both delegate to the NotFound handler.
    const unknownResource = await h.raw(
      'GET',
      '/apis/argoproj.io/v1alpha1/namespaces/web/experiments',
    );
    expect(unknownResource.text).toBe('404 page not found\n');
    const unservedVersion = await h.raw(
      'GET',
      '/apis/argoproj.io/v1/namespaces/web/rollouts',
    );
    expect(unservedVersion.text).toBe('404 page not found\n');
  });

  it('answers a JSON Status 404 for an unknown resource of a built-in group', async () => {
    // handler.go:176-184 + errors.go:447-449: generic message, empty details.
    const res = await h.raw('GET', '/api/v1/namespaces/web/widgets');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'the server could not find the requested resource',
      reason: 'NotFound',
      details: {},
      code: 404,
    });
    const version = await h.raw('GET', '/apis/apps/v2/deployments');
    expect(version.json?.reason).toBe('NotFound');
  });

  it('keeps a JSON Status 404 NotFound for a missing object of a known kind', async () => {
    // staging/src/k8s.io/apiserver/pkg/storage/errors/storage.go InterpretGetError -> NewNotFound.
    const apps = h.kc().makeApiClient(AppsV1Api);
    const missing = await failureOf(
      apps.readNamespacedDeployment({ name: 'nope', namespace: 'web' }),
    );
    expect(missing?.code).toBe(404);
    expect(missing?.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'deployments.apps "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', group: 'apps', kind: 'deployments' },
      code: 404,
    });
  });

  it('answers 405 MethodNotAllowed for a verb the route does not have', async () => {
    // go-restful has no POST route for a named object: errors.go:472-474 through handler.go.
    const res = await h.raw('POST', '/api/v1/namespaces/web/configmaps/x', {
      body: { metadata: { name: 'x' } },
    });
    expect(res.status).toBe(405);
    expect(res.json).toMatchObject({
      reason: 'MethodNotAllowed',
      message:
        'the server does not allow this method on the requested resource',
      details: {},
    });
    const log = await h.raw('DELETE', '/api/v1/namespaces/web/pods/x/log');
    expect(log.status).toBe(405);
  });

  it('answers 404 NotFound for an unknown subresource of a custom resource', async () => {
    // customresource_handler.go:349-353: default case NewNotFound(group resource, name).
    const res = await h.raw(
      'GET',
      '/apis/argoproj.io/v1alpha1/namespaces/web/rollouts/web/scale',
    );
    expect(res.status).toBe(404);
    expect(res.json.message).toBe('rollouts.argoproj.io "web" not found');
  });

  it('serves discovery of built-in and CRD groups, including the newly served kinds', async () => {
    const apps = await h.raw('GET', '/apis/apps/v1');
    const names = apps.json.resources.map((r: any) => r.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'daemonsets',
        'controllerrevisions',
        'deployments/scale',
      ]),
    );
    const core = await h.raw('GET', '/api/v1');
    expect(core.json.resources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'persistentvolumeclaims' }),
        expect.objectContaining({
          name: 'serviceaccounts/token',
          group: 'authentication.k8s.io',
          version: 'v1',
          kind: 'TokenRequest',
          verbs: ['create'],
        }),
      ]),
    );
    const batch = await h.raw('GET', '/apis/batch/v1');
    expect(batch.json.resources.map((r: any) => r.name)).toContain('cronjobs');
    const authz = await h.raw('GET', '/apis/authorization.k8s.io/v1');
    expect(authz.json.resources[0]).toMatchObject({
      name: 'selfsubjectaccessreviews',
      verbs: ['create'],
    });
  });

  it('answers /version and health with the simulated v1.32 server', async () => {
    const v = await h.raw('GET', '/version');
    expect(v.json).toMatchObject({ major: '1', minor: '32' });
    const health = await h.raw('GET', '/readyz');
    expect(health.text).toBe('ok');
  });
});
