import { ApiextensionsV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { failureOf, Harness, startHarness } from '../__testUtils__/conformance';

/*
 * Conformance: CustomResourceDefinitions and custom resources
 * (apiextensions-apiserver v0.32 = kubernetes v1.32 staging).
 */
describe('conformance: CRDs and custom resources', () => {
  let h: Harness;
  let custom: CustomObjectsApi;
  const gadget = (spec: unknown, name = 'g1') => ({
    apiVersion: 'example.com/v1',
    kind: 'Gadget',
    metadata: { name },
    spec,
  });
  const create = (body: unknown, query = '') =>
    h.raw('POST', `/apis/example.com/v1/namespaces/web/gadgets${query}`, {
      body,
    });

  beforeAll(async () => {
    h = await startHarness();
    custom = h.kc().makeApiClient(CustomObjectsApi);
    // Raw JSON: client-node's typed models would rename `enum` and the x-kubernetes-* keys.
    await h.raw(
      'POST',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
      {
        body: {
          metadata: { name: 'gadgets.example.com' },
          spec: {
            group: 'example.com',
            scope: 'Namespaced',
            names: { plural: 'gadgets', kind: 'Gadget' },
            versions: [
              {
                name: 'v1',
                served: true,
                storage: true,
                subresources: { status: {} },
                schema: {
                  openAPIV3Schema: {
                    type: 'object',
                    properties: {
                      spec: {
                        type: 'object',
                        required: ['size'],
                        properties: {
                          size: { type: 'integer', minimum: 1, maximum: 10 },
                          color: { type: 'string', enum: ['red', 'blue'] },
                          label: { type: 'string', maxLength: 5 },
                          mode: { type: 'string', default: 'auto' },
                          tags: {
                            type: 'array',
                            maxItems: 2,
                            items: { type: 'string' },
                          },
                          extra: {
                            type: 'object',
                            'x-kubernetes-preserve-unknown-fields': true,
                          },
                        },
                      },
                      status: {
                        type: 'object',
                        properties: { ready: { type: 'boolean' } },
                      },
                    },
                  },
                },
              },
            ],
          },
        },
      },
    );
  });
  afterAll(() => h.sim.stop());

  it('marks a new CRD NamesAccepted and Established', async () => {
    // apiextensions-apiserver pkg/controller/status/naming_controller.go:195-198 and
    // pkg/controller/establish/establishing_controller.go:152-155.
    const ext = h.kc().makeApiClient(ApiextensionsV1Api);
    const crd = await ext.readCustomResourceDefinition({
      name: 'gadgets.example.com',
    });
    expect(crd.status?.conditions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'NamesAccepted',
          status: 'True',
          reason: 'NoConflicts',
          message: 'no conflicts found',
        }),
        expect.objectContaining({
          type: 'Established',
          status: 'True',
          reason: 'InitialNamesAccepted',
          message: 'the initial names have been accepted',
        }),
      ]),
    );
    expect(crd.status?.acceptedNames).toMatchObject({
      kind: 'Gadget',
      plural: 'gadgets',
      singular: 'gadget',
      listKind: 'GadgetList',
    });
    expect(crd.status?.storedVersions).toEqual(['v1']);
  });

  it('rejects a CRD whose name is not <plural>.<group> (422)', async () => {
    // apiextensions-apiserver pkg/apis/apiextensions/validation ValidateCustomResourceDefinition.
    const res = await h.raw(
      'POST',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
      {
        body: {
          metadata: { name: 'wrong.example.com' },
          spec: {
            group: 'example.com',
            scope: 'Namespaced',
            names: { plural: 'things', kind: 'Thing' },
            versions: [{ name: 'v1', served: true, storage: true }],
          },
        },
      },
    );
    expect(res.status).toBe(422);
    expect(res.json.details.causes[0]).toMatchObject({
      field: 'metadata.name',
      message:
        'Invalid value: "wrong.example.com": must be spec.names.plural+"."+spec.group',
    });
  });

  it('rejects a type violation with 422 Invalid and the field path', async () => {
    // pkg/apiserver/validation/validation.go:213-218 (TypeInvalid) with kube-openapi's
    // "%s in %s must be of type %s: %q" (pkg/validation/errors/schema.go).
    const bad = await failureOf(
      custom.createNamespacedCustomObject({
        group: 'example.com',
        version: 'v1',
        namespace: 'web',
        plural: 'gadgets',
        body: gadget({ size: 'three' }),
      }),
    );
    expect(bad?.code).toBe(422);
    expect(bad?.body).toMatchObject({
      reason: 'Invalid',
      message:
        'Gadget.example.com "g1" is invalid: spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"',
      details: {
        name: 'g1',
        group: 'example.com',
        kind: 'Gadget',
        causes: [
          {
            reason: 'FieldValueTypeInvalid',
            message:
              'Invalid value: "string": spec.size in body must be of type integer: "string"',
            field: 'spec.size',
          },
        ],
      },
    });
  });

  it('rejects bound, enum, length, item-count and required violations with one cause each', async () => {
    // validation.go:157-233 kubeOpenAPIResultToFieldErrors; several errors are bracketed
    // (field.ErrorList.ToAggregate).
    const res = await create(
      gadget({
        size: 11,
        color: 'green',
        label: 'toolong',
        tags: ['a', 'b', 'c'],
      }),
    );
    expect(res.status).toBe(422);
    const byField = Object.fromEntries(
      res.json.details.causes.map((c: any) => [c.field, c]),
    );
    expect(byField['spec.size']).toEqual({
      reason: 'FieldValueInvalid',
      message:
        'Invalid value: 11: spec.size in body should be less than or equal to 10',
      field: 'spec.size',
    });
    expect(byField['spec.color']).toEqual({
      reason: 'FieldValueNotSupported',
      message: 'Unsupported value: "green": supported values: "red", "blue"',
      field: 'spec.color',
    });
    expect(byField['spec.label'].message).toBe(
      'Too long: may not be more than 5 bytes',
    );
    expect(byField['spec.tags'].message).toBe(
      'Too many: 3: must have at most 2 items',
    );
    expect(res.json.message).toMatch(
      /^Gadget\.example\.com "g1" is invalid: \[/,
    );
    const missing = await create(gadget({ color: 'red' }));
    expect(missing.json.details.causes).toEqual([
      {
        reason: 'FieldValueRequired',
        message: 'Required value',
        field: 'spec.size',
      },
    ]);
  });

  it('prunes unknown fields and warns with a 299 Warning header', async () => {
    // customresource_handler.go:1258-1261 (`unknown field "%s"`), surfaced as warnings by
    // handlers/create.go:119-132 (fieldValidation defaults to Warn, rest.go:410-415) in the
    // format of apimachinery/pkg/util/net/http.go:655-668 NewWarningHeader.
    const res = await create(
      gadget({ size: 2, foo: 'x', extra: { anything: 1 } }),
    );
    expect(res.status).toBe(201);
    expect(res.headers.get('warning')).toBe(
      '299 - "unknown field \\"spec.foo\\""',
    );
    expect(res.json.spec).toEqual({
      size: 2,
      mode: 'auto',
      extra: { anything: 1 },
    });
  });

  it('rejects unknown fields with fieldValidation=Strict (400)', async () => {
    // handlers/create.go:126-139: a strict decoding error is a BadRequest.
    const res = await create(
      gadget({ size: 2, foo: 'x' }, 'g2'),
      '?fieldValidation=Strict',
    );
    expect(res.status).toBe(400);
    expect(res.json.message).toBe(
      'strict decoding error: unknown field "spec.foo"',
    );
  });

  it('requires a resourceVersion on PUT of a custom resource (422)', async () => {
    // customresource/strategy.go:269-271 AllowUnconditionalUpdate() false ->
    // registry/generic/registry/store.go:724-730.
    const res = await h.raw(
      'PUT',
      '/apis/example.com/v1/namespaces/web/gadgets/g1',
      {
        body: gadget({ size: 3 }),
      },
    );
    expect(res.status).toBe(422);
    expect(res.json.message).toBe(
      'gadgets.example.com "g1" is invalid: metadata.resourceVersion: Invalid value: 0: must be specified for an update',
    );
  });

  it('answers 415 for a strategic merge patch of a custom resource, listing the accepted types', async () => {
    // customresource_handler.go:325-329 supportedTypes; negotiation/errors.go:84-90.
    const res = await h.raw(
      'PATCH',
      '/apis/example.com/v1/namespaces/web/gadgets/g1',
      {
        body: { spec: { size: 4 } },
        contentType: 'application/strategic-merge-patch+json',
      },
    );
    expect(res.status).toBe(415);
    expect(res.json.message).toBe(
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    );
  });

  it('answers 405 for a verb the status subresource does not serve', async () => {
    // customresource_handler.go serveStatus default: NewMethodNotSupported.
    const res = await h.raw(
      'DELETE',
      '/apis/example.com/v1/namespaces/web/gadgets/g1/status',
    );
    expect(res.status).toBe(405);
    expect(res.json.message).toBe(
      'delete is not supported on resources of kind "gadgets.example.com"',
    );
  });
});
