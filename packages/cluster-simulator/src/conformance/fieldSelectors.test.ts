import { BatchV1Api, CoreV1Api } from '@kubernetes/client-node';
import { failureOf, Harness, startHarness } from '../__testUtils__/conformance';

/*
 * Conformance: field selectors are limited to what each kind registers
 * (kubernetes pkg/apis/core/v1/conversion.go addConversionFuncs and
 * AddFieldLabelConversionsFor*, pkg/apis/batch/v1/conversion.go; the
 * default is apimachinery/pkg/runtime/conversion.go:33-42; list at
 * https://kubernetes.io/docs/concepts/overview/working-with-objects/field-selectors/).
 * An unsupported field is a 400 BadRequest with the conversion's message
 * (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/get.go, FieldSelector.Transform).
 */
describe('conformance: field selectors', () => {
  let h: Harness;
  let core: CoreV1Api;
  beforeAll(async () => {
    h = await startHarness();
    core = h.kc().makeApiClient(CoreV1Api);
  });
  afterAll(() => h.sim.stop());

  it('supports the pod fields (spec.nodeName, status.phase, spec.serviceAccountName, status.podIP, …)', async () => {
    const pods = await core.listNamespacedPod({ namespace: 'web' });
    const pod = pods.items[0];
    const byNode = await core.listPodForAllNamespaces({
      fieldSelector: `spec.nodeName=${pod.spec!.nodeName},status.phase=Running`,
    });
    expect(byNode.items.map(p => p.metadata!.name)).toContain(
      pod.metadata!.name,
    );
    const byIp = await core.listNamespacedPod({
      namespace: 'web',
      fieldSelector: `status.podIP=${pod.status!.podIP}`,
    });
    expect(byIp.items.map(p => p.metadata!.name)).toEqual([pod.metadata!.name]);
    for (const f of [
      'spec.restartPolicy=Always',
      'spec.schedulerName=default-scheduler',
      `spec.serviceAccountName=${pod.spec!.serviceAccountName}`,
      'spec.hostNetwork=false',
      'status.nominatedNodeName=',
      'metadata.namespace=web',
    ]) {
      const res = await core.listNamespacedPod({
        namespace: 'web',
        fieldSelector: f,
      });
      expect([f, res.items.length]).toEqual([f, 2]);
    }
  });

  it('rejects a pod field the server does not index (400 field label not supported)', async () => {
    const bad = await failureOf(
      core.listNamespacedPod({
        namespace: 'web',
        fieldSelector: 'spec.containers.image=web',
      }),
    );
    expect(bad?.code).toBe(400);
    expect(bad?.body).toMatchObject({
      reason: 'BadRequest',
      message: 'field label not supported: spec.containers.image',
    });
  });

  it('allows only metadata.name and metadata.namespace for kinds without extra fields', async () => {
    const ok = await core.listNamespacedConfigMap({
      namespace: 'web',
      fieldSelector: 'metadata.name=kube-root-ca.crt',
    });
    expect(ok.items).toHaveLength(1);
    const bad = await failureOf(
      core.listNamespacedConfigMap({
        namespace: 'web',
        fieldSelector: 'data.key=value',
      }),
    );
    expect(bad?.body.message).toBe(
      '"data.key" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
  });

  it('supports Secret type, Namespace status.phase and Node spec.unschedulable', async () => {
    await core.createNamespacedSecret({
      namespace: 'web',
      body: { metadata: { name: 'tls' }, type: 'kubernetes.io/tls', data: {} },
    });
    const secrets = await core.listNamespacedSecret({
      namespace: 'web',
      fieldSelector: 'type=kubernetes.io/tls',
    });
    expect(secrets.items.map(s => s.metadata!.name)).toEqual(['tls']);
    const active = await core.listNamespace({
      fieldSelector: 'status.phase=Active',
    });
    expect(active.items.length).toBeGreaterThan(0);
    // Namespace registers only status.phase and metadata.name.
    const nsBad = await failureOf(
      core.listNamespace({ fieldSelector: 'metadata.namespace=web' }),
    );
    expect(nsBad?.body.message).toBe(
      'field label not supported: metadata.namespace',
    );
    const nodes = await core.listNode({
      fieldSelector: 'spec.unschedulable=false',
    });
    expect(nodes.items).toHaveLength(2);
  });

  it('supports Event involvedObject.* and Service spec.type', async () => {
    const events = await core.listNamespacedEvent({
      namespace: 'web',
      fieldSelector: 'involvedObject.kind=Pod,type=Normal',
    });
    expect(events.items.length).toBeGreaterThan(0);
    expect(events.items.every(e => e.involvedObject.kind === 'Pod')).toBe(true);
    const svc = await core.listNamespacedService({
      namespace: 'web',
      fieldSelector: 'spec.type=ClusterIP',
    });
    expect(svc.items.length).toBeGreaterThan(0);
  });

  it('supports Job status.successful with the Job conversion’s own message', async () => {
    const batch = h.kc().makeApiClient(BatchV1Api);
    const none = await batch.listNamespacedJob({
      namespace: 'web',
      fieldSelector: 'status.successful=0',
    });
    expect(none.items).toEqual([]);
    const bad = await failureOf(
      batch.listNamespacedJob({
        namespace: 'web',
        fieldSelector: 'spec.suspend=true',
      }),
    );
    expect(bad?.body.message).toBe(
      'field label "spec.suspend" not supported for Job',
    );
  });

  it('supports a CRD’s selectableFields on its custom resources', async () => {
    // apiextensions-apiserver pkg/apiserver/conversion/converter.go:126-141 ConvertFieldLabel.
    await h.raw(
      'POST',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
      {
        body: {
          metadata: { name: 'widgets.example.com' },
          spec: {
            group: 'example.com',
            scope: 'Namespaced',
            names: { plural: 'widgets', kind: 'Widget' },
            versions: [
              {
                name: 'v1',
                served: true,
                storage: true,
                selectableFields: [{ jsonPath: '.spec.color' }],
                schema: {
                  openAPIV3Schema: {
                    type: 'object',
                    properties: {
                      spec: {
                        type: 'object',
                        properties: { color: { type: 'string' } },
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
    for (const [name, color] of [
      ['w1', 'red'],
      ['w2', 'blue'],
    ])
      await h.raw('POST', '/apis/example.com/v1/namespaces/web/widgets', {
        body: {
          apiVersion: 'example.com/v1',
          kind: 'Widget',
          metadata: { name },
          spec: { color },
        },
      });
    const red = await h.raw(
      'GET',
      '/apis/example.com/v1/namespaces/web/widgets?fieldSelector=spec.color%3Dred',
    );
    expect(red.json.items.map((w: any) => w.metadata.name)).toEqual(['w1']);
    const bad = await h.raw(
      'GET',
      '/apis/example.com/v1/namespaces/web/widgets?fieldSelector=spec.size%3D1',
    );
    expect(bad.status).toBe(400);
    expect(bad.json.message).toBe('field label not supported: spec.size');
  });
});
