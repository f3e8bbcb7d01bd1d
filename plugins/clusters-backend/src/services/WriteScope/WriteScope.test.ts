import type { Entity } from '@backstage/catalog-model';
import type { KindDescriptor } from '@careplane/plugin-clusters-common';
import {
  DEFAULT_WRITE_SCOPE,
  EntityScope,
  entityScopeOf,
  WriteScope,
} from './WriteScope';

const ENTITY_REF = 'component:default/video-consultation';
const ID = 'video-consultation';

const deployment: KindDescriptor = {
  kind: 'Deployment',
  group: 'apps',
  version: 'v1',
  plural: 'deployments',
  namespaced: true,
};
const secret: KindDescriptor = {
  kind: 'Secret',
  group: '',
  version: 'v1',
  plural: 'secrets',
  namespaced: true,
};
const clusterRole: KindDescriptor = {
  kind: 'ClusterRole',
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  plural: 'clusterroles',
  namespaced: false,
};

const scopeWith = (extra: Partial<EntityScope> = {}): EntityScope => ({
  entityRef: ENTITY_REF,
  selector: { labelSelector: `backstage.io/kubernetes-id=${ID}` },
  id: ID,
  ...extra,
});

const writeScope = new WriteScope({
  ...DEFAULT_WRITE_SCOPE,
  systemNamespaces: ['istio-system', 'monitoring'],
});

describe('WriteScope', () => {
  describe('staticViolation', () => {
    it.each<[string, EntityScope, KindDescriptor, string | undefined, string]>([
      [
        'a cluster-scoped kind',
        scopeWith(),
        clusterRole,
        undefined,
        'ClusterRole is cluster-scoped; only platform admins write cluster-scoped objects',
      ],
      [
        'kube-system',
        scopeWith(),
        deployment,
        'kube-system',
        "namespace 'kube-system' is a system namespace; only platform admins write there",
      ],
      [
        'any kube-* namespace',
        scopeWith(),
        deployment,
        'kube-anything',
        "namespace 'kube-anything' is a system namespace; only platform admins write there",
      ],
      [
        'a configured system namespace',
        scopeWith(),
        deployment,
        'monitoring',
        "namespace 'monitoring' is a system namespace; only platform admins write there",
      ],
      [
        'a kind that is not an owner kind',
        scopeWith(),
        secret,
        ID,
        'service owners may not write Secret objects (clusters.writeScope.ownerKinds); ask a platform admin',
      ],
      [
        'an entity without a kubernetes-id',
        scopeWith({ id: undefined }),
        deployment,
        ID,
        `${ENTITY_REF} has no backstage.io/kubernetes-id annotation, so it has no namespaces to write to`,
      ],
      [
        'an entity pinned to another namespace',
        scopeWith({ namespace: 'video-consultation-prod' }),
        deployment,
        'video-consultation-dev',
        `namespace 'video-consultation-dev' is not ${ENTITY_REF}'s namespace 'video-consultation-prod' (backstage.io/kubernetes-namespace)`,
      ],
    ])('refuses %s', (_what, scope, kind, namespace, message) => {
      expect(writeScope.staticViolation(scope, kind, namespace, true)).toBe(
        message,
      );
    });

    it.each<[string, EntityScope, string]>([
      ['an owner kind in any namespace', scopeWith(), 'video-consultation'],
      [
        'an owner kind in the pinned namespace',
        scopeWith({ namespace: 'telehealth' }),
        'telehealth',
      ],
      ['a namespace that only starts with "kube"', scopeWith(), 'kubeflow'],
    ])('allows %s', (_what, scope, namespace) => {
      expect(
        writeScope.staticViolation(scope, deployment, namespace, true),
      ).toBeUndefined();
    });

    it('refuses a namespaced kind without a namespace', () => {
      expect(
        writeScope.staticViolation(scopeWith(), deployment, undefined, true),
      ).toMatch(/a Deployment needs a namespace/);
    });

    it('checks the owner kinds only when asked to', () => {
      expect(
        writeScope.staticViolation(scopeWith(), secret, ID, false),
      ).toBeUndefined();
    });

    it('refuses cluster-scoped kinds and system namespaces even without the kind policy', () => {
      expect(
        writeScope.staticViolation(scopeWith(), clusterRole, undefined, false),
      ).toMatch(/cluster-scoped/);
      expect(
        writeScope.staticViolation(
          scopeWith(),
          deployment,
          'kube-public',
          false,
        ),
      ).toMatch(/system namespace/);
    });

    it('treats kube-* and the configured namespaces as system namespaces', () => {
      expect(writeScope.isSystemNamespace('kube-system')).toBe(true);
      expect(writeScope.isSystemNamespace('kube-node-lease')).toBe(true);
      expect(writeScope.isSystemNamespace('istio-system')).toBe(true);
      expect(writeScope.isSystemNamespace('kubeflow')).toBe(false);
      expect(writeScope.isSystemNamespace('video-consultation')).toBe(false);
      expect(
        new WriteScope(DEFAULT_WRITE_SCOPE).isSystemNamespace('monitoring'),
      ).toBe(false);
    });
  });

  describe('namespaceViolation', () => {
    const namespace = (labels?: Record<string, string>) => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ID, labels },
    });

    it('refuses a namespace that does not exist and says how to get one', () => {
      expect(
        writeScope.namespaceViolation(scopeWith(), 'prod-eu', ID, undefined),
      ).toBe(
        "namespace 'video-consultation' does not exist on cluster prod-eu; create it with the entity's new-namespace path or ask a platform admin",
      );
    });

    it.each<[string, Record<string, string> | undefined]>([
      ['labelled with another id', { 'backstage.io/kubernetes-id': 'other' }],
      ['unlabelled', undefined],
      ['with other labels only', { team: 'video-consultation' }],
    ])('refuses a namespace %s and says who grants it', (_what, labels) => {
      expect(
        writeScope.namespaceViolation(
          scopeWith(),
          'prod-eu',
          ID,
          namespace(labels),
        ),
      ).toBe(
        `namespace 'video-consultation' on cluster prod-eu is not granted to ${ENTITY_REF} (a platform admin grants a namespace by labelling it backstage.io/kubernetes-id=video-consultation)`,
      );
    });

    it('allows a namespace labelled with the entity id', () => {
      expect(
        writeScope.namespaceViolation(
          scopeWith(),
          'prod-eu',
          ID,
          namespace({ 'backstage.io/kubernetes-id': ID, team: 'x' }),
        ),
      ).toBeUndefined();
    });
  });

  describe('objectViolation', () => {
    it.each<[string, Record<string, string> | undefined]>([
      ['no labels', undefined],
      ['no owner label', { app: 'web' }],
      ["another entity's label", { 'backstage.io/kubernetes-id': 'other' }],
    ])('refuses an object with %s', (_what, labels) => {
      expect(
        writeScope.objectViolation(scopeWith(), deployment, 'web', labels),
      ).toBe(
        `Deployment web does not belong to ${ENTITY_REF} (it is not labelled backstage.io/kubernetes-id=video-consultation)`,
      );
    });

    it("allows an object carrying the entity's label", () => {
      expect(
        writeScope.objectViolation(scopeWith(), deployment, 'web', {
          'backstage.io/kubernetes-id': ID,
        }),
      ).toBeUndefined();
    });
  });

  describe('manifestViolation', () => {
    it('refuses a manifest without the label', () => {
      expect(
        writeScope.manifestViolation(scopeWith(), deployment, 'web', {
          app: 'web',
        }),
      ).toBe(
        `Deployment web must be labelled backstage.io/kubernetes-id=video-consultation to be written for ${ENTITY_REF}`,
      );
      expect(
        writeScope.manifestViolation(scopeWith(), deployment, 'web', undefined),
      ).toBe(
        `Deployment web must be labelled backstage.io/kubernetes-id=video-consultation to be written for ${ENTITY_REF}`,
      );
    });

    it.each<[string, unknown, string]>([
      ["another entity's id", 'other', "(it says 'other')"],
      ['an empty string', '', "(it says '')"],
      ['a number', 7, "(it says '7')"],
      ['null', null, "(it says 'null')"],
    ])(
      'refuses a manifest labelled with %s and shows it',
      (_what, value, shown) => {
        const message = writeScope.manifestViolation(
          scopeWith(),
          deployment,
          'web',
          { 'backstage.io/kubernetes-id': value },
        );
        expect(message).toContain(
          'Deployment web must be labelled backstage.io/kubernetes-id=video-consultation',
        );
        expect(message).toContain(shown);
      },
    );

    it("allows a manifest labelled with the entity's id", () => {
      expect(
        writeScope.manifestViolation(scopeWith(), deployment, 'web', {
          'backstage.io/kubernetes-id': ID,
          app: 'web',
        }),
      ).toBeUndefined();
    });
  });
});

describe('entityScopeOf', () => {
  const entity = (annotations?: Record<string, string>): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'video-consultation', annotations },
    spec: {
      type: 'service',
      owner: 'team-telehealth',
      lifecycle: 'production',
    },
  });

  it('takes the id, namespace and data classification', () => {
    expect(
      entityScopeOf(
        ENTITY_REF,
        entity({
          'backstage.io/kubernetes-id': ID,
          'backstage.io/kubernetes-namespace': 'telehealth',
          'careplane.io/data-classification': 'phi',
        }),
      ),
    ).toEqual({
      entityRef: ENTITY_REF,
      selector: {
        labelSelector: 'backstage.io/kubernetes-id=video-consultation',
        namespace: 'telehealth',
      },
      id: ID,
      namespace: 'telehealth',
      dataClassification: 'phi',
    });
  });

  it('derives the read selector from the id alone', () => {
    expect(
      entityScopeOf(ENTITY_REF, entity({ 'backstage.io/kubernetes-id': ID })),
    ).toEqual({
      entityRef: ENTITY_REF,
      selector: {
        labelSelector: 'backstage.io/kubernetes-id=video-consultation',
        namespace: undefined,
      },
      id: ID,
      namespace: undefined,
      dataClassification: undefined,
    });
  });

  it('gives an entity with only a label selector a read scope without an id', () => {
    const scope = entityScopeOf(
      ENTITY_REF,
      entity({ 'backstage.io/kubernetes-label-selector': 'app=web' }),
    );
    expect(scope).toEqual({
      entityRef: ENTITY_REF,
      selector: { labelSelector: 'app=web', namespace: undefined },
      id: undefined,
      namespace: undefined,
      dataClassification: undefined,
    });
    expect(writeScope.staticViolation(scope!, deployment, 'web', true)).toMatch(
      /has no backstage.io\/kubernetes-id annotation/,
    );
  });

  it('treats a blank id and namespace as absent', () => {
    expect(
      entityScopeOf(
        ENTITY_REF,
        entity({
          'backstage.io/kubernetes-label-selector': 'app=web',
          'backstage.io/kubernetes-id': '  ',
          'backstage.io/kubernetes-namespace': ' ',
        }),
      ),
    ).toMatchObject({ id: undefined, namespace: undefined });
  });

  it.each<[string, Record<string, string> | undefined]>([
    ['no annotations', undefined],
    [
      'only a namespace annotation',
      { 'backstage.io/kubernetes-namespace': 'x' },
    ],
    ['unrelated annotations', { 'backstage.io/techdocs-ref': 'dir:.' }],
  ])('gives an entity with %s no scope', (_what, annotations) => {
    expect(entityScopeOf(ENTITY_REF, entity(annotations))).toBeUndefined();
  });
});
