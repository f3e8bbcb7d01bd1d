import { Harness, startHarness } from '../__testUtils__/conformance';

/*
 * Conformance: RBAC with ClusterRoles and ClusterRoleBindings (kubernetes v1.32)
 * for service-account tokens. Sources: plugin/pkg/auth/authorizer/rbac/rbac.go
 * (Authorize, RuleAllows), pkg/registry/rbac/validation/rule.go (VisitRulesFor:
 * ClusterRoleBindings first, then the RoleBindings of the request's namespace;
 * appliesToUser; GetRoleReferenceRules), pkg/apis/rbac/v1/evaluation_helpers.go
 * (VerbMatches, ResourceMatches, ResourceNameMatches, NonResourceURLMatches),
 * apiserver/pkg/endpoints/handlers/patch.go (an apply that creates needs `create`).
 */
describe('conformance: RBAC with ClusterRoles', () => {
  let h: Harness;
  const RBAC = '/apis/rbac.authorization.k8s.io/v1';

  /** A fresh service account in `web` and a TokenRequest token for it. */
  async function serviceAccount(name: string): Promise<string> {
    await h.raw('POST', '/api/v1/namespaces/web/serviceaccounts', {
      body: { metadata: { name } },
    });
    const res = await h.raw(
      'POST',
      `/api/v1/namespaces/web/serviceaccounts/${name}/token`,
      { body: { spec: { expirationSeconds: 3600 } } },
    );
    return res.json.status.token;
  }

  async function clusterRole(name: string, rules: unknown[]) {
    const res = await h.raw('POST', `${RBAC}/clusterroles`, {
      body: { metadata: { name }, rules },
    });
    expect(res.status).toBe(201);
  }

  async function bind(
    kind: 'ClusterRoleBinding' | 'RoleBinding',
    name: string,
    roleRef: { kind: string; name: string },
    subjects: unknown[],
    namespace?: string,
  ) {
    const path =
      kind === 'ClusterRoleBinding'
        ? `${RBAC}/clusterrolebindings`
        : `${RBAC}/namespaces/${namespace}/rolebindings`;
    const res = await h.raw('POST', path, {
      body: {
        metadata: { name },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef },
        subjects,
      },
    });
    expect(res.status).toBe(201);
  }

  beforeAll(async () => {
    h = await startHarness();
    await h.raw('POST', '/api/v1/namespaces', {
      body: { metadata: { name: 'other' } },
    });
  });
  afterAll(() => h.sim.stop());

  it('serves ClusterRoles and ClusterRoleBindings as cluster-scoped kinds', async () => {
    await clusterRole('node-reader', [
      { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list'] },
    ]);
    const got = await h.raw('GET', `${RBAC}/clusterroles/node-reader`);
    expect(got.status).toBe(200);
    expect(got.json.kind).toBe('ClusterRole');
    expect(got.json.metadata.namespace).toBeUndefined();
    const list = await h.raw('GET', `${RBAC}/clusterrolebindings`);
    expect(list.json.kind).toBe('ClusterRoleBindingList');
    const namespaced = await h.raw(
      'GET',
      `${RBAC}/namespaces/web/clusterroles/node-reader`,
    );
    expect(namespaced.status).toBe(404);
  });

  it('grants a ClusterRoleBinding everywhere: cluster-scoped kinds and every namespace', async () => {
    const token = await serviceAccount('everywhere');
    await clusterRole('reads-nodes-and-pods', [
      { apiGroups: [''], resources: ['nodes', 'pods'], verbs: ['list'] },
    ]);
    await bind(
      'ClusterRoleBinding',
      'everywhere-reads',
      { kind: 'ClusterRole', name: 'reads-nodes-and-pods' },
      [{ kind: 'ServiceAccount', name: 'everywhere', namespace: 'web' }],
    );
    expect((await h.raw('GET', '/api/v1/nodes', { token })).status).toBe(200);
    expect((await h.raw('GET', '/api/v1/pods', { token })).status).toBe(200);
    expect(
      (await h.raw('GET', '/api/v1/namespaces/other/pods', { token })).status,
    ).toBe(200);
    const watch = await h.raw('GET', '/api/v1/pods?watch=1&timeoutSeconds=0', {
      token,
    });
    expect(watch.status).toBe(403);
    expect(watch.json.message).toBe(
      'pods is forbidden: User "system:serviceaccount:web:everywhere" cannot watch resource "pods" in API group "" at the cluster scope',
    );
  });

  it('grants a RoleBinding of a ClusterRole in its own namespace only', async () => {
    const token = await serviceAccount('web-only');
    await clusterRole('pod-lister', [
      { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
    ]);
    // a ServiceAccount subject without namespace is the binding's namespace
    await bind(
      'RoleBinding',
      'web-only-pods',
      { kind: 'ClusterRole', name: 'pod-lister' },
      [{ kind: 'ServiceAccount', name: 'web-only' }],
      'web',
    );
    expect(
      (await h.raw('GET', '/api/v1/namespaces/web/pods', { token })).status,
    ).toBe(200);
    expect(
      (await h.raw('GET', '/api/v1/namespaces/other/pods', { token })).status,
    ).toBe(403);
    expect((await h.raw('GET', '/api/v1/pods', { token })).status).toBe(403);
  });

  it('never matches a ServiceAccount subject without namespace in a ClusterRoleBinding', async () => {
    const token = await serviceAccount('unqualified');
    await bind(
      'ClusterRoleBinding',
      'unqualified-reads',
      { kind: 'ClusterRole', name: 'reads-nodes-and-pods' },
      [{ kind: 'ServiceAccount', name: 'unqualified' }],
    );
    expect((await h.raw('GET', '/api/v1/nodes', { token })).status).toBe(403);
  });

  it('matches Group subjects (system:serviceaccounts:<namespace>)', async () => {
    const token = await serviceAccount('grouped');
    await clusterRole('namespace-lister', [
      { apiGroups: [''], resources: ['namespaces'], verbs: ['list'] },
    ]);
    await bind(
      'ClusterRoleBinding',
      'web-accounts-list-namespaces',
      { kind: 'ClusterRole', name: 'namespace-lister' },
      [{ kind: 'Group', name: 'system:serviceaccounts:web' }],
    );
    expect((await h.raw('GET', '/api/v1/namespaces', { token })).status).toBe(
      200,
    );
  });

  it('matches subresources and resourceNames as RuleAllows does', async () => {
    const token = await serviceAccount('narrow');
    const pods = await h.raw('GET', '/api/v1/namespaces/web/pods');
    const [first, second] = pods.json.items.map((p: any) => p.metadata.name);
    await clusterRole('one-pod-log', [
      {
        apiGroups: [''],
        resources: ['pods/log'],
        resourceNames: [first],
        verbs: ['get'],
      },
      { apiGroups: ['*'], resources: ['*/status'], verbs: ['get'] },
    ]);
    await bind(
      'ClusterRoleBinding',
      'narrow-logs',
      { kind: 'ClusterRole', name: 'one-pod-log' },
      [{ kind: 'ServiceAccount', name: 'narrow', namespace: 'web' }],
    );
    const log = (name: string) =>
      h.raw('GET', `/api/v1/namespaces/web/pods/${name}/log`, { token });
    expect((await log(first)).status).toBe(200);
    expect((await log(second)).status).toBe(403);
    // pods/log does not grant the pod itself; */status grants every status
    expect(
      (await h.raw('GET', `/api/v1/namespaces/web/pods/${first}`, { token }))
        .status,
    ).toBe(403);
    expect(
      (
        await h.raw('GET', `/api/v1/namespaces/web/pods/${first}/status`, {
          token,
        })
      ).status,
    ).toBe(200);
  });

  it('needs create as well as patch for a server-side apply that creates', async () => {
    const token = await serviceAccount('applier');
    await clusterRole('configmap-patcher', [
      { apiGroups: [''], resources: ['configmaps'], verbs: ['patch'] },
    ]);
    await bind(
      'ClusterRoleBinding',
      'applier-patches',
      { kind: 'ClusterRole', name: 'configmap-patcher' },
      [{ kind: 'ServiceAccount', name: 'applier', namespace: 'web' }],
    );
    const apply = (name: string) =>
      h.raw(
        'PATCH',
        `/api/v1/namespaces/web/configmaps/${name}?fieldManager=careplane`,
        {
          token,
          contentType: 'application/apply-patch+yaml',
          body: {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name },
            data: { a: 'b' },
          },
        },
      );
    const refused = await apply('fresh');
    expect(refused.status).toBe(403);
    expect(refused.json.reason).toBe('Forbidden');
    await h.raw('POST', '/api/v1/namespaces/web/configmaps', {
      body: { metadata: { name: 'existing' }, data: { a: 'b' } },
    });
    expect((await apply('existing')).status).toBe(200);
    await clusterRole('configmap-creator', [
      { apiGroups: [''], resources: ['configmaps'], verbs: ['create'] },
    ]);
    await bind(
      'ClusterRoleBinding',
      'applier-creates',
      { kind: 'ClusterRole', name: 'configmap-creator' },
      [{ kind: 'ServiceAccount', name: 'applier', namespace: 'web' }],
    );
    expect((await apply('fresh')).status).toBe(201);
  });

  it('grants nonResourceURLs by exact path or trailing *', async () => {
    const token = await serviceAccount('metrics');
    expect((await h.raw('GET', '/metrics', { token })).status).toBe(403);
    await clusterRole('metrics-reader', [
      { nonResourceURLs: ['/metrics', '/debug/*'], verbs: ['get'] },
    ]);
    await bind(
      'ClusterRoleBinding',
      'metrics-reads',
      { kind: 'ClusterRole', name: 'metrics-reader' },
      [{ kind: 'ServiceAccount', name: 'metrics', namespace: 'web' }],
    );
    const res = await h.raw('GET', '/metrics', { token });
    expect(res.status).not.toBe(403);
  });
});
