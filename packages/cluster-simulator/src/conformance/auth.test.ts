import {
  AuthorizationV1Api,
  CoreV1Api,
  KubeConfig,
} from '@kubernetes/client-node';
import { failureOf, Harness, startHarness } from '../__testUtils__/conformance';

/*
 * Conformance: authentication, authorization, SelfSubjectAccessReview and
 * TokenRequest (kubernetes v1.32).
 */
describe('conformance: authentication and authorization', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.sim.stop());

  /** A client-node config with no credentials at all. */
  const anonymousConfig = () => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [
        { name: 'a', server: h.sim.clusters[0].url, skipTLSVerify: true },
      ],
      users: [{ name: 'nobody' }],
      contexts: [{ name: 'a', cluster: 'a', user: 'nobody' }],
      currentContext: 'a',
    });
    return kc;
  };

  it('makes a request without credentials system:anonymous and forbids it (403)', async () => {
    // Anonymous authenticator (staging/src/k8s.io/apiserver/pkg/authentication/request/anonymous),
    // then RBAC denies: responsewriters/errors.go:36-80 Forbidden / forbiddenMessage.
    const core = anonymousConfig().makeApiClient(CoreV1Api);
    const res = await failureOf(core.listNamespacedPod({ namespace: 'web' }));
    expect(res?.code).toBe(403);
    expect(res?.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" in the namespace "web"',
      reason: 'Forbidden',
      details: { kind: 'pods' },
      code: 403,
    });
  });

  it('forbids anonymous discovery with the non-resource message', async () => {
    // system:discovery is bound to system:authenticated only; forbiddenMessage for a path.
    const res = await h.raw('GET', '/apis', { token: null });
    expect(res.status).toBe(403);
    expect(res.json.message).toBe(
      'forbidden: User "system:anonymous" cannot get path "/apis"',
    );
  });

  it('lets anonymous read /version and /healthz (system:public-info-viewer)', async () => {
    expect((await h.raw('GET', '/version', { token: null })).status).toBe(200);
    expect((await h.raw('GET', '/healthz', { token: null })).text).toBe('ok');
  });

  it('answers 401 Unauthorized only for a bad bearer token', async () => {
    // staging/src/k8s.io/apiserver/pkg/endpoints/filters/authentication.go:127-148.
    const core = h.kc('not-a-token').makeApiClient(CoreV1Api);
    // client-node's generated code drops the body of a 401; the wire answer is a Status.
    expect((await failureOf(core.listNamespace()))?.code).toBe(401);
    const res = await h.raw('GET', '/api/v1/namespaces', {
      token: 'not-a-token',
    });
    expect(res.status).toBe(401);
    expect(res.json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
    // An empty bearer token is no token: anonymous, not 401
    // (authentication/request/bearertoken/bearertoken.go).
    const empty = await h.raw('GET', '/api/v1/namespaces', { token: '' });
    expect(empty.status).toBe(403);
  });

  it('authorizes before routing: a forbidden request for an absent resource is 403', async () => {
    // filters/authorization.go runs before the handler that would 404.
    const res = await h.raw(
      'DELETE',
      '/api/v1/namespaces/web/configmaps/absent',
      {
        token: 'viewer-token',
      },
    );
    expect(res.status).toBe(403);
    expect(res.json.message).toBe(
      'configmaps "absent" is forbidden: User "viewer" cannot delete resource "configmaps" in API group "" in the namespace "web"',
    );
  });

  it('answers SelfSubjectAccessReview with 201 and the caller’s permissions', async () => {
    // kubernetes pkg/registry/authorization/selfsubjectaccessreview/rest.go; create -> 201.
    const authz = h.kc('viewer-token').makeApiClient(AuthorizationV1Api);
    const allowed = await authz.createSelfSubjectAccessReview({
      body: {
        spec: {
          resourceAttributes: {
            namespace: 'web',
            verb: 'list',
            resource: 'pods',
          },
        },
      },
    });
    expect(allowed.status?.allowed).toBe(true);
    const denied = await authz.createSelfSubjectAccessReview({
      body: {
        spec: {
          resourceAttributes: {
            namespace: 'web',
            verb: 'delete',
            resource: 'pods',
          },
        },
      },
    });
    expect(denied.status).toEqual({ allowed: false });
    const raw = await h.raw(
      'POST',
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      {
        token: 'viewer-token',
        body: {
          spec: { nonResourceAttributes: { path: '/version', verb: 'get' } },
        },
      },
    );
    expect(raw.status).toBe(201);
    expect(raw.json.kind).toBe('SelfSubjectAccessReview');
  });

  it('rejects an empty SelfSubjectAccessReview (422)', async () => {
    // kubernetes pkg/apis/authorization/validation ValidateSelfSubjectAccessReviewSpec.
    const res = await h.raw(
      'POST',
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      { body: { spec: {} } },
    );
    expect(res.status).toBe(422);
    expect(res.json.message).toBe(
      'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified',
    );
  });

  it('issues a TokenRequest token that authenticates as the service account', async () => {
    // kubernetes pkg/registry/core/serviceaccount/storage/token.go; RBAC RoleBindings apply.
    const core = h.kc().makeApiClient(CoreV1Api);
    const tr = await core.createNamespacedServiceAccountToken({
      name: 'default',
      namespace: 'web',
      body: { spec: { audiences: ['careplane'], expirationSeconds: 600 } },
    });
    expect(tr.spec.audiences).toEqual(['careplane']);
    expect(tr.status?.token.split('.')).toHaveLength(3);
    const asSa = h.kc(tr.status!.token).makeApiClient(CoreV1Api);
    const denied = await failureOf(
      asSa.listNamespacedPod({ namespace: 'web' }),
    );
    expect(denied?.code).toBe(403);
    expect(denied?.body.message).toBe(
      'pods is forbidden: User "system:serviceaccount:web:default" cannot list resource "pods" in API group "" in the namespace "web"',
    );
    await h.raw(
      'POST',
      '/apis/rbac.authorization.k8s.io/v1/namespaces/web/roles',
      {
        body: {
          metadata: { name: 'pod-reader' },
          rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }],
        },
      },
    );
    await h.raw(
      'POST',
      '/apis/rbac.authorization.k8s.io/v1/namespaces/web/rolebindings',
      {
        body: {
          metadata: { name: 'sa-reads-pods' },
          roleRef: {
            apiGroup: 'rbac.authorization.k8s.io',
            kind: 'Role',
            name: 'pod-reader',
          },
          subjects: [
            { kind: 'ServiceAccount', name: 'default', namespace: 'web' },
          ],
        },
      },
    );
    const pods = await asSa.listNamespacedPod({ namespace: 'web' });
    expect(pods.items.length).toBe(2);
  });

  it('expires TokenRequest tokens on the simulated clock', async () => {
    const res = await h.raw(
      'POST',
      '/api/v1/namespaces/web/serviceaccounts/default/token',
      { body: { spec: { expirationSeconds: 600 } } },
    );
    expect(res.status).toBe(201);
    const token = res.json.status.token;
    expect((await h.raw('GET', '/api', { token })).status).toBe(200);
    h.sim.advance(601);
    expect((await h.raw('GET', '/api', { token })).status).toBe(401);
  });

  it('validates TokenRequest expiration and the service account', async () => {
    // kubernetes pkg/apis/authentication/validation ValidateTokenRequest (NewInvalid with name "").
    const short = await h.raw(
      'POST',
      '/api/v1/namespaces/web/serviceaccounts/default/token',
      { body: { spec: { expirationSeconds: 60 } } },
    );
    expect(short.status).toBe(422);
    expect(short.json.message).toBe(
      'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes',
    );
    const missing = await h.raw(
      'POST',
      '/api/v1/namespaces/web/serviceaccounts/ghost/token',
      { body: { spec: {} } },
    );
    expect(missing.status).toBe(404);
    expect(missing.json.message).toBe('serviceaccounts "ghost" not found');
  });
});
