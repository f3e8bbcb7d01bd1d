import { InputError } from '@backstage/errors';
import type {
  CreateNamespaceRequest,
  KubeObject,
} from '@careplane/plugin-clusters-common';
import { buildNewNamespace } from './newNamespace';
import { DEFAULT_WRITE_SCOPE, EntityScope } from './WriteScope';

const ENTITY_REF = 'component:default/video-consultation';
const ID = 'video-consultation';
const OPTIONS = DEFAULT_WRITE_SCOPE.newNamespace;

const scopeWith = (extra: Partial<EntityScope> = {}): EntityScope => ({
  entityRef: ENTITY_REF,
  selector: { labelSelector: `backstage.io/kubernetes-id=${ID}` },
  id: ID,
  ...extra,
});

const requestWith = (
  extra: Partial<CreateNamespaceRequest> = {},
): CreateNamespaceRequest => ({
  entityRef: ENTITY_REF,
  cluster: 'prod-eu',
  ...extra,
});

const quota = (extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: { name: 'compute' },
  spec: { hard: { 'requests.cpu': '4' } },
  ...extra,
});

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the call to throw');
}

describe('buildNewNamespace', () => {
  it('names the namespace after the id and labels it with the platform labels', () => {
    expect(buildNewNamespace(scopeWith(), OPTIONS, requestWith())).toEqual({
      namespace: {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: ID,
          labels: {
            'pod-security.kubernetes.io/enforce': 'restricted',
            'pod-security.kubernetes.io/enforce-version': 'latest',
            'pod-security.kubernetes.io/audit': 'restricted',
            'pod-security.kubernetes.io/warn': 'restricted',
            'backstage.io/kubernetes-id': ID,
          },
          annotations: {},
        },
      },
      policies: [],
    });
  });

  it('names the namespace after the namespace annotation when there is one', () => {
    const { namespace } = buildNewNamespace(
      scopeWith({ namespace: 'telehealth-video' }),
      OPTIONS,
      requestWith(),
    );
    expect(namespace.metadata.name).toBe('telehealth-video');
    expect(namespace.metadata.labels).toMatchObject({
      'backstage.io/kubernetes-id': ID,
    });
  });

  it('refuses an id that is not a valid namespace name', () => {
    expect(() =>
      buildNewNamespace(
        scopeWith({ id: 'Video_Consultation' }),
        OPTIONS,
        requestWith(),
      ),
    ).toThrow(
      'namespace "Video_Consultation" is not a valid Kubernetes namespace name',
    );
  });

  it('refuses an entity without a kubernetes-id', () => {
    const error = errorOf(() =>
      buildNewNamespace(scopeWith({ id: undefined }), OPTIONS, requestWith()),
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      `${ENTITY_REF} has no backstage.io/kubernetes-id annotation; a namespace is created for an entity with one`,
    );
  });

  it('keeps allowed caller labels and annotations', () => {
    const { namespace } = buildNewNamespace(
      scopeWith(),
      OPTIONS,
      requestWith({
        labels: { 'istio-injection': 'enabled' },
        annotations: { 'linkerd.io/inject': 'enabled' },
      }),
    );
    expect(namespace.metadata.labels).toMatchObject({
      'istio-injection': 'enabled',
      'backstage.io/kubernetes-id': ID,
    });
    expect(namespace.metadata.annotations).toEqual({
      'linkerd.io/inject': 'enabled',
    });
  });

  it('lets platform labels and annotations win over the caller', () => {
    const options = {
      ...OPTIONS,
      labels: { ...OPTIONS.labels, 'istio-injection': 'enabled' },
      annotations: { 'linkerd.io/inject': 'enabled' },
    };
    const { namespace } = buildNewNamespace(
      scopeWith(),
      options,
      requestWith({
        labels: { 'istio-injection': 'disabled' },
        annotations: { 'linkerd.io/inject': 'disabled' },
      }),
    );
    expect(namespace.metadata.labels?.['istio-injection']).toBe('enabled');
    expect(namespace.metadata.annotations?.['linkerd.io/inject']).toBe(
      'enabled',
    );
  });

  it.each<[string, Record<string, string>]>([
    [
      'a pod security label',
      { 'pod-security.kubernetes.io/enforce': 'privileged' },
    ],
    ['the owner label', { 'backstage.io/kubernetes-id': 'other' }],
    ['an arbitrary label', { team: 'x' }],
  ])(
    'refuses %s from the caller, naming the key and the config key',
    (_what, labels) => {
      const [key] = Object.keys(labels);
      const error = errorOf(() =>
        buildNewNamespace(scopeWith(), OPTIONS, requestWith({ labels })),
      );
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toBe(
        `label "${key}" may not be set on a new namespace; allowed: istio-injection, istio.io/rev (clusters.writeScope.newNamespace)`,
      );
    },
  );

  it('refuses an annotation key that is not allowed, naming it', () => {
    expect(() =>
      buildNewNamespace(
        scopeWith(),
        OPTIONS,
        requestWith({
          annotations: { 'careplane.io/data-classification': 'public' },
        }),
      ),
    ).toThrow(
      'annotation "careplane.io/data-classification" may not be set on a new namespace; allowed: linkerd.io/inject, config.linkerd.io/default-inbound-policy (clusters.writeScope.newNamespace)',
    );
  });

  it('says "none" when no caller labels are allowed', () => {
    expect(() =>
      buildNewNamespace(
        scopeWith(),
        { ...OPTIONS, allowedLabels: [] },
        requestWith({ labels: { 'istio-injection': 'enabled' } }),
      ),
    ).toThrow(
      'label "istio-injection" may not be set on a new namespace; allowed: none (clusters.writeScope.newNamespace)',
    );
  });

  it.each<[string, unknown]>([
    ['a long value', 'x'.repeat(64)],
    ['a number', 1],
    ['an object', { a: 'b' }],
  ])('refuses an allowed label with %s', (_what, value) => {
    expect(() =>
      buildNewNamespace(
        scopeWith(),
        OPTIONS,
        requestWith({ labels: { 'istio-injection': value as string } }),
      ),
    ).toThrow(new InputError('label "istio-injection" must be a short string'));
  });

  it("annotates the entity's data classification, over the caller's", () => {
    const { namespace } = buildNewNamespace(
      scopeWith({ dataClassification: 'phi' }),
      { ...OPTIONS, allowedAnnotations: ['careplane.io/data-classification'] },
      requestWith({
        annotations: { 'careplane.io/data-classification': 'public' },
      }),
    );
    expect(namespace.metadata.annotations).toEqual({
      'careplane.io/data-classification': 'phi',
    });
  });

  describe('policies', () => {
    it.each<[string, KubeObject]>([
      ['a ResourceQuota', quota()],
      [
        'a LimitRange',
        {
          apiVersion: 'v1',
          kind: 'LimitRange',
          metadata: { name: 'defaults' },
          spec: { limits: [{ type: 'Container', default: { cpu: '500m' } }] },
        },
      ],
      [
        'a NetworkPolicy',
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: { name: 'default-deny', labels: { app: 'guard' } },
          spec: { podSelector: {}, policyTypes: ['Ingress'] },
        },
      ],
      [
        'a policy that names the new namespace itself',
        quota({ metadata: { name: 'compute', namespace: ID } }),
      ],
    ])(
      'accepts %s and puts it into the namespace with the id label',
      (_what, policy) => {
        const { policies } = buildNewNamespace(
          scopeWith(),
          OPTIONS,
          requestWith({ policies: [policy] }),
        );
        expect(policies).toEqual([
          {
            ...policy,
            metadata: {
              ...policy.metadata,
              namespace: ID,
              labels: {
                ...policy.metadata.labels,
                'backstage.io/kubernetes-id': ID,
              },
            },
          },
        ]);
      },
    );

    it("overrides a policy's own owner label", () => {
      const { policies } = buildNewNamespace(
        scopeWith(),
        OPTIONS,
        requestWith({
          policies: [
            quota({
              metadata: {
                name: 'compute',
                labels: { 'backstage.io/kubernetes-id': 'other' },
              },
            }),
          ],
        }),
      );
      expect(policies[0].metadata.labels).toEqual({
        'backstage.io/kubernetes-id': ID,
      });
    });

    it('puts policies into the annotated namespace', () => {
      const { policies } = buildNewNamespace(
        scopeWith({ namespace: 'telehealth-video' }),
        OPTIONS,
        requestWith({ policies: [quota()] }),
      );
      expect(policies[0].metadata.namespace).toBe('telehealth-video');
    });

    it.each<[string, KubeObject, string]>([
      [
        'a Secret',
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'token' },
          data: { token: 'c2VjcmV0' },
        },
        'policies[0]: "Secret" cannot come with a new namespace; allowed: ResourceQuota, LimitRange, NetworkPolicy',
      ],
      [
        'a Deployment',
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'web' },
        },
        'policies[0]: "Deployment" cannot come with a new namespace; allowed: ResourceQuota, LimitRange, NetworkPolicy',
      ],
      [
        'a policy without a kind',
        { apiVersion: 'v1', metadata: { name: 'x' } },
        'policies[0]: "" cannot come with a new namespace',
      ],
      [
        'a NetworkPolicy with the wrong apiVersion',
        {
          apiVersion: 'extensions/v1beta1',
          kind: 'NetworkPolicy',
          metadata: { name: 'deny' },
        },
        'policies[0]: NetworkPolicy is served as apiVersion networking.k8s.io/v1, not "extensions/v1beta1"',
      ],
      [
        'a ResourceQuota without an apiVersion',
        { kind: 'ResourceQuota', metadata: { name: 'compute' } },
        'policies[0]: ResourceQuota is served as apiVersion v1, not ""',
      ],
      [
        'a policy in another namespace',
        quota({ metadata: { name: 'compute', namespace: 'kube-system' } }),
        `policies[0]: ResourceQuota compute must be in the new namespace 'video-consultation'`,
      ],
      [
        'a policy with an invalid name',
        quota({ metadata: { name: '../compute' } }),
        'ResourceQuota name "../compute" is not a valid Kubernetes object name',
      ],
      [
        'a policy without a name',
        quota({ metadata: {} as KubeObject['metadata'] }),
        'ResourceQuota name "" is not a valid Kubernetes object name',
      ],
    ])('refuses %s', (_what, policy, message) => {
      const error = errorOf(() =>
        buildNewNamespace(
          scopeWith(),
          OPTIONS,
          requestWith({ policies: [policy] }),
        ),
      );
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toContain(message);
    });

    // Bug: `kind in POLICY_KINDS` also finds Object.prototype keys, so such a kind passes the
    // kind check and is refused for its apiVersion, with a message that shows a function (or
    // "[object Object]") as the apiVersion to use instead of the kinds that are allowed.
    it.each(['toString', 'constructor', '__proto__'])(
      'refuses a policy of kind %s as a kind that is not allowed',
      kind => {
        const error = errorOf(() =>
          buildNewNamespace(
            scopeWith(),
            OPTIONS,
            requestWith({
              policies: [{ apiVersion: 'v1', kind, metadata: { name: 'x' } }],
            }),
          ),
        );
        expect(error).toBeInstanceOf(InputError);
        expect(error.message).toBe(
          `policies[0]: "${kind}" cannot come with a new namespace; allowed: ResourceQuota, LimitRange, NetworkPolicy`,
        );
      },
    );

    it('names the index of the refused policy', () => {
      expect(() =>
        buildNewNamespace(
          scopeWith(),
          OPTIONS,
          requestWith({
            policies: [
              quota(),
              { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } },
            ],
          }),
        ),
      ).toThrow(/^policies\[1\]: "Secret"/);
    });

    it('refuses a policy nested too deep', () => {
      let deep: unknown = {};
      for (let i = 0; i < 100; i++) deep = { a: deep };
      expect(() =>
        buildNewNamespace(
          scopeWith(),
          OPTIONS,
          requestWith({ policies: [quota({ spec: deep })] }),
        ),
      ).toThrow(new InputError('policies[0] is nested deeper than 64 levels'));
    });
  });
});
