import {
  CoreV1Api,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { failureOf, Harness, startHarness } from '../__testUtils__/conformance';

/*
 * Conformance: create, update, patch, apply and delete (kubernetes v1.32).
 */
describe('conformance: writes', () => {
  let h: Harness;
  let core: CoreV1Api;
  beforeAll(async () => {
    h = await startHarness();
    core = h.kc().makeApiClient(CoreV1Api);
  });
  afterAll(() => h.sim.stop());
  const cmPath = (name = '') =>
    `/api/v1/namespaces/web/configmaps${name ? `/${name}` : ''}`;

  it('never persists a dryRun=All create: no resourceVersion, no list entry, no event', async () => {
    // staging/src/k8s.io/apiserver/pkg/registry/generic/registry/dryrun.go:39-47: a dry-run
    // create copies the object into the answer without reaching etcd.
    const store = h.sim.simulation.cluster('alpha').store;
    const before = store.resourceVersion;
    const dry = await core.createNamespacedConfigMap({
      namespace: 'web',
      body: { metadata: { name: 'dry' }, data: { a: '1' } },
      dryRun: 'All',
    });
    expect(dry.metadata?.name).toBe('dry');
    expect(dry.metadata?.uid).toBeDefined();
    expect(dry.metadata?.resourceVersion).toBeUndefined();
    expect(store.resourceVersion).toBe(before);
    expect((await h.raw('GET', cmPath('dry'))).status).toBe(404);
  });

  it('never applies a dryRun=All delete', async () => {
    await h.raw('POST', cmPath(), { body: { metadata: { name: 'keep' } } });
    const res = await h.raw('DELETE', `${cmPath('keep')}?dryRun=All`);
    expect(res.status).toBe(200);
    expect((await h.raw('GET', cmPath('keep'))).status).toBe(200);
  });

  it('answers DELETE with a success Status for most kinds and with the object for pods', async () => {
    // registry/generic/registry/store.go:1384-1409 finalizeDelete: ReturnDeletedObject (pods,
    // services, service accounts, PVCs) or Status{Success, details: name, group, kind=resource, uid}.
    const cm = await h.raw('POST', cmPath(), {
      body: { metadata: { name: 'bye' } },
    });
    const res = await h.raw('DELETE', cmPath('bye'));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name: 'bye', kind: 'configmaps', uid: cm.json.metadata.uid },
    });
    const pod = (await h.raw('GET', '/api/v1/namespaces/web/pods')).json
      .items[0];
    const deleted = await h.raw(
      'DELETE',
      `/api/v1/namespaces/web/pods/${pod.metadata.name}`,
    );
    expect(deleted.json).toMatchObject({
      kind: 'Pod',
      metadata: { name: pod.metadata.name, uid: pod.metadata.uid },
    });
  });

  it('fails a DELETE whose preconditions do not hold (409 Conflict)', async () => {
    // staging/src/k8s.io/apiserver/pkg/storage/interfaces.go:148-160 and errors.go:123-126,
    // wrapped by storage/errors/storage.go InterpretDeleteError -> NewConflict.
    const cm = await h.raw('POST', cmPath(), {
      body: { metadata: { name: 'pre' } },
    });
    const res = await h.raw('DELETE', cmPath('pre'), {
      body: { preconditions: { resourceVersion: '1' } },
    });
    expect(res.status).toBe(409);
    expect(res.json.message).toBe(
      `Operation cannot be fulfilled on configmaps "pre": StorageError: invalid object, Code: 4, Key: /registry/configmaps/web/pre, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: ResourceVersion in precondition: 1, ResourceVersion in object meta: ${cm.json.metadata.resourceVersion}`,
    );
  });

  it('answers 400 when the name in the body does not match the URL', async () => {
    // staging/src/k8s.io/apiserver/pkg/endpoints/handlers/rest.go:274-292 checkName (a
    // BadRequest, not 422) for update (update.go:151) and patch (patch.go:617).
    await h.raw('POST', cmPath(), { body: { metadata: { name: 'named' } } });
    const put = await h.raw('PUT', cmPath('named'), {
      body: { metadata: { name: 'other' } },
    });
    expect(put.status).toBe(400);
    expect(put.json.message).toBe(
      'the name of the object (other) does not match the name on the URL (named)',
    );
    const patch = await h.raw('PATCH', cmPath('named'), {
      body: [{ op: 'replace', path: '/metadata/name', value: 'renamed' }],
      contentType: 'application/json-patch+json',
    });
    expect(patch.status).toBe(400);
  });

  it('answers 400 when the namespace in the body does not match the URL', async () => {
    // staging/src/k8s.io/apiserver/pkg/registry/rest/meta.go:63.
    const res = await h.raw('POST', cmPath(), {
      body: { metadata: { name: 'x', namespace: 'default' } },
    });
    expect(res.status).toBe(400);
    expect(res.json.message).toBe(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  });

  it('validates names as DNS-1123 subdomains with the apimachinery message (422)', async () => {
    // apimachinery/pkg/api/validation/objectmeta.go:166-172 + pkg/util/validation/validation.go.
    const bad = await failureOf(
      core.createNamespacedConfigMap({
        namespace: 'web',
        body: { metadata: { name: 'Not_Valid' } },
      }),
    );
    expect(bad?.code).toBe(422);
    expect(bad?.body.message).toBe(
      `ConfigMap "Not_Valid" is invalid: metadata.name: Invalid value: "Not_Valid": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    );
  });

  it('validates Service names as DNS-1035 labels and namespaces as DNS-1123 labels', async () => {
    // kubernetes pkg/apis/core/validation ValidateServiceName = NameIsDNS1035Label,
    // ValidateNamespaceName = NameIsDNSLabel.
    const svc = await h.raw('POST', '/api/v1/namespaces/web/services', {
      body: { metadata: { name: '1svc' }, spec: { ports: [{ port: 80 }] } },
    });
    expect(svc.status).toBe(422);
    expect(svc.json.details.causes[0].message).toBe(
      `Invalid value: "1svc": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    );
    const ns = await h.raw('POST', '/api/v1/namespaces', {
      body: { metadata: { name: 'a.b' } },
    });
    expect(ns.json.details.causes[0].message).toBe(
      'Invalid value: "a.b": must not contain dots',
    );
  });

  it('answers 404 for a PUT of an object that does not exist', async () => {
    // registry/generic/registry/store.go:644-645: AllowCreateOnUpdate() is false.
    const res = await h.raw('PUT', cmPath('ghost'), {
      body: { metadata: { name: 'ghost' } },
    });
    expect(res.status).toBe(404);
    expect(res.json.message).toBe('configmaps "ghost" not found');
  });

  it('reports SSA conflicts (409) naming the Apply manager, and an Update manager with version and time', async () => {
    // apimachinery/pkg/util/managedfields/internal/conflict.go:32-91 (printManager).
    const objects = KubernetesObjectApi.makeApiClient(h.kc());
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'owned', namespace: 'web' },
      data: { k: 'a' },
    };
    await objects.patch(
      cm,
      undefined,
      undefined,
      'team-a',
      undefined,
      PatchStrategy.ServerSideApply,
    );
    const applyConflict = await failureOf(
      objects.patch(
        { ...cm, data: { k: 'b' } },
        undefined,
        undefined,
        'team-b',
        undefined,
        PatchStrategy.ServerSideApply,
      ),
    );
    expect(applyConflict?.code).toBe(409);
    expect(applyConflict?.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Apply failed with 1 conflict: conflict with "team-a": .data.k',
      reason: 'Conflict',
      details: {
        causes: [
          {
            reason: 'FieldManagerConflict',
            message: 'conflict with "team-a"',
            field: '.data.k',
          },
        ],
      },
      code: 409,
    });
    await core.patchNamespacedConfigMap(
      {
        name: 'owned',
        namespace: 'web',
        body: { data: { k: 'edited' } },
        fieldManager: 'kubectl-edit',
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const updateConflict = await failureOf(
      objects.patch(
        cm,
        undefined,
        undefined,
        'team-a',
        undefined,
        PatchStrategy.ServerSideApply,
      ),
    );
    expect(updateConflict?.body.message).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl-edit" using v1 at 2026-03-01T09:00:30Z: .data.k',
    );
  });

  it('answers a JSON patch that does not apply with the generic 422', async () => {
    // staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go:412-415.
    await h.raw('POST', cmPath(), {
      body: { metadata: { name: 'jp' }, data: { a: '1' } },
    });
    const res = await h.raw('PATCH', cmPath('jp'), {
      body: [{ op: 'test', path: '/data/a', value: '2' }],
      contentType: 'application/json-patch+json',
    });
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({
      reason: 'Invalid',
      message: 'the server rejected our request due to an error in our request',
    });
  });

  it('lists the four patch types of a built-in kind in a 415', async () => {
    // staging/src/k8s.io/apiserver/pkg/endpoints/installer.go:892-897.
    const res = await h.raw('PATCH', cmPath('jp'), {
      body: '{}',
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(415);
    expect(res.json.message).toBe(
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml',
    );
  });

  it('forbids force on a non-apply patch (422 PatchOptions)', async () => {
    // apimachinery/pkg/apis/meta/v1/validation ValidatePatchOptions.
    const res = await h.raw('PATCH', `${cmPath('jp')}?force=true`, {
      body: { data: { a: '3' } },
      contentType: 'application/merge-patch+json',
    });
    expect(res.status).toBe(422);
    expect(res.json.message).toBe(
      'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch',
    );
  });

  it('answers 500 for a create that carries a resourceVersion', async () => {
    // staging/src/k8s.io/apiserver/pkg/storage/etcd3/store.go:254 ErrResourceVersionSetOnCreate,
    // passed through storage/errors/storage.go InterpretCreateError unchanged.
    const res = await h.raw('POST', cmPath(), {
      body: { metadata: { name: 'with-rv', resourceVersion: '12' } },
    });
    expect(res.status).toBe(500);
    expect(res.json.message).toBe(
      'resourceVersion should not be set on objects to be created',
    );
  });

  it('terminates a namespace: 200 with phase Terminating, 403 for new content, gone after the controller runs', async () => {
    // kubernetes pkg/registry/core/namespace/storage (Delete sets deletionTimestamp and phase),
    // staging/src/k8s.io/apiserver/pkg/admission/plugin/namespace/lifecycle/admission.go:174-182.
    await h.raw('POST', '/api/v1/namespaces', {
      body: { metadata: { name: 'doomed' } },
    });
    const del = await h.raw('DELETE', '/api/v1/namespaces/doomed');
    expect(del.status).toBe(200);
    expect(del.json).toMatchObject({
      kind: 'Namespace',
      status: { phase: 'Terminating' },
      metadata: { deletionTimestamp: expect.any(String) },
    });
    const create = await h.raw('POST', '/api/v1/namespaces/doomed/configmaps', {
      body: { metadata: { name: 'late' } },
    });
    expect(create.status).toBe(403);
    expect(create.json).toMatchObject({
      message:
        'configmaps "late" is forbidden: unable to create new content in namespace doomed because it is being terminated',
      details: {
        causes: [
          {
            reason: 'NamespaceTerminating',
            message: 'namespace doomed is being terminated',
            field: 'metadata.namespace',
          },
        ],
      },
    });
    const again = await h.raw('POST', '/api/v1/namespaces', {
      body: { metadata: { name: 'doomed' } },
    });
    expect(again.json.message).toBe(
      'object is being deleted: namespaces "doomed" already exists',
    );
    h.sim.advance(1);
    expect((await h.raw('GET', '/api/v1/namespaces/doomed')).status).toBe(404);
  });
});
