import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_DATA_CLASSIFICATION,
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_NAMESPACE,
  KindDescriptor,
  KubeObject,
  LABEL_KUBERNETES_ID,
  ObjectSelector,
  selectorForEntity,
} from '@careplane/plugin-clusters-common';

/**
 * What service owners may write, from `clusters.writeScope` (see config.d.ts).
 * @internal
 */
export interface WriteScopeOptions {
  /** Kinds an entity's owners may write in the entity's namespaces. */
  ownerKinds: string[];
  /** Namespaces only admins write to, besides every `kube-*` namespace. */
  systemNamespaces: string[];
  newNamespace: {
    labels: Record<string, string>;
    annotations: Record<string, string>;
    allowedLabels: string[];
    allowedAnnotations: string[];
  };
}

/**
 * Defaults of {@link WriteScopeOptions}: the workload kinds a service team runs (workloads,
 * networking inside the namespace, autoscaling, disruption budgets, config without secrets, the
 * progressive-delivery and training kinds Careplane's features write). Secrets, RBAC, webhooks,
 * CRDs, quotas, limit ranges, nodes, persistent volumes and every cluster-scoped kind are for
 * platform admins unless configured.
 * @internal
 */
export const DEFAULT_WRITE_SCOPE: WriteScopeOptions = {
  ownerKinds: [
    'Deployment',
    'StatefulSet',
    'Pod',
    'Service',
    'ServiceAccount',
    'ConfigMap',
    'PersistentVolumeClaim',
    'HorizontalPodAutoscaler',
    'PodDisruptionBudget',
    'NetworkPolicy',
    'Ingress',
    'Job',
    'CronJob',
    'Rollout',
    'AnalysisRun',
    'Canary',
    'TrainJob',
    'PyTorchJob',
    'PeerAuthentication',
  ],
  systemNamespaces: [],
  newNamespace: {
    labels: {
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'latest',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    },
    annotations: {},
    allowedLabels: ['istio-injection', 'istio.io/rev'],
    allowedAnnotations: [
      'linkerd.io/inject',
      'config.linkerd.io/default-inbound-policy',
    ],
  },
};

/**
 * Where an entity may write, from its catalog annotations: objects labelled
 * `backstage.io/kubernetes-id=<id>` in namespaces the platform granted to that id.
 * @internal
 */
export interface EntityScope {
  entityRef: string;
  /** The read selector (kubernetes-id or label-selector annotation). */
  selector: ObjectSelector;
  /** `backstage.io/kubernetes-id`; without it the entity has no write scope. */
  id?: string;
  /** `backstage.io/kubernetes-namespace`, when the entity pins its namespace. */
  namespace?: string;
  dataClassification?: string;
}

/** @internal */
export function entityScopeOf(
  entityRef: string,
  entity: Entity,
): EntityScope | undefined {
  const selector = selectorForEntity(entity);
  if (!selector) return undefined;
  const annotations = entity.metadata.annotations ?? {};
  return {
    entityRef,
    selector,
    id: annotations[ANNOTATION_KUBERNETES_ID]?.trim() || undefined,
    namespace:
      annotations[ANNOTATION_KUBERNETES_NAMESPACE]?.trim() || undefined,
    dataClassification: annotations[ANNOTATION_DATA_CLASSIFICATION],
  };
}

/**
 * The write-scope rules of the gateway (README "Write scope"). Each method answers why a write is
 * outside the entity's scope, or undefined when it is inside; the gateway refuses the write
 * unless the caller may override the scope (platform admins).
 * @internal
 */
export class WriteScope {
  private readonly ownerKinds: Set<string>;
  private readonly systemNamespaces: Set<string>;

  constructor(readonly options: WriteScopeOptions) {
    this.ownerKinds = new Set(options.ownerKinds);
    this.systemNamespaces = new Set(options.systemNamespaces);
  }

  isSystemNamespace(namespace: string): boolean {
    return (
      namespace.startsWith('kube-') || this.systemNamespaces.has(namespace)
    );
  }

  /** Rules that need no call to the cluster: kind, namespace, the entity's annotations. */
  staticViolation(
    scope: EntityScope,
    kind: KindDescriptor,
    namespace: string | undefined,
    kindPolicy: boolean,
  ): string | undefined {
    if (!kind.namespaced) {
      return `${kind.kind} is cluster-scoped; only platform admins write cluster-scoped objects`;
    }
    if (!namespace) return `a ${kind.kind} needs a namespace`;
    if (this.isSystemNamespace(namespace)) {
      return `namespace '${namespace}' is a system namespace; only platform admins write there`;
    }
    if (kindPolicy && !this.ownerKinds.has(kind.kind)) {
      return `service owners may not write ${kind.kind} objects (clusters.writeScope.ownerKinds); ask a platform admin`;
    }
    if (!scope.id) {
      return `${scope.entityRef} has no ${ANNOTATION_KUBERNETES_ID} annotation, so it has no namespaces to write to`;
    }
    if (scope.namespace && scope.namespace !== namespace) {
      return `namespace '${namespace}' is not ${scope.entityRef}'s namespace '${scope.namespace}' (${ANNOTATION_KUBERNETES_NAMESPACE})`;
    }
    return undefined;
  }

  /** The namespace, as the cluster has it, must be granted to the entity by its label. */
  namespaceViolation(
    scope: EntityScope,
    cluster: string,
    namespace: string,
    live: KubeObject | undefined,
  ): string | undefined {
    const grant = `a platform admin grants a namespace by labelling it ${LABEL_KUBERNETES_ID}=${scope.id}`;
    if (!scope.id)
      return `${scope.entityRef} has no ${ANNOTATION_KUBERNETES_ID} annotation`;
    if (!live) {
      return `namespace '${namespace}' does not exist on cluster ${cluster}; create it with the entity's new-namespace path or ask a platform admin`;
    }
    if (live.metadata?.labels?.[LABEL_KUBERNETES_ID] !== scope.id) {
      return `namespace '${namespace}' on cluster ${cluster} is not granted to ${scope.entityRef} (${grant})`;
    }
    return undefined;
  }

  /** An existing object must carry the entity's label. */
  objectViolation(
    scope: EntityScope,
    kind: KindDescriptor,
    name: string,
    labels: Record<string, string> | undefined,
  ): string | undefined {
    if (!scope.id || labels?.[LABEL_KUBERNETES_ID] !== scope.id) {
      return `${kind.kind} ${name} does not belong to ${scope.entityRef} (it is not labelled ${LABEL_KUBERNETES_ID}=${scope.id})`;
    }
    return undefined;
  }

  /** A new or applied object must be labelled as the entity's. */
  manifestViolation(
    scope: EntityScope,
    kind: KindDescriptor,
    name: string,
    labels: Record<string, unknown> | undefined,
  ): string | undefined {
    const value = labels?.[LABEL_KUBERNETES_ID];
    if (value !== scope.id) {
      return `${kind.kind} ${name} must be labelled ${LABEL_KUBERNETES_ID}=${
        scope.id
      } to be written for ${scope.entityRef}${
        value === undefined ? '' : ` (it says '${String(value)}')`
      }`;
    }
    return undefined;
  }
}
