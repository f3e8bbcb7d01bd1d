import { InputError } from '@backstage/errors';
import {
  ANNOTATION_DATA_CLASSIFICATION,
  CreateNamespaceRequest,
  KubeObject,
  LABEL_KUBERNETES_ID,
} from '@careplane/plugin-clusters-common';
import { assertDepth } from './depth';
import { assertNamespaceName, assertObjectName, quoted } from './names';
import type { EntityScope, WriteScopeOptions } from './WriteScope';

/** Kinds that may come with a new namespace, once: its guard rails. */
const POLICY_KINDS: Record<string, string> = {
  ResourceQuota: 'v1',
  LimitRange: 'v1',
  NetworkPolicy: 'networking.k8s.io/v1',
};

function allowedOnly(
  what: string,
  given: Record<string, string> | undefined,
  allowed: string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(given ?? {})) {
    if (!allowed.includes(key)) {
      throw new InputError(
        `${what} ${quoted(key)} may not be set on a new namespace; allowed: ${
          allowed.join(', ') || 'none'
        } (clusters.writeScope.newNamespace)`,
      );
    }
    if (typeof value !== 'string' || value.length > 63) {
      throw new InputError(`${what} ${quoted(key)} must be a short string`);
    }
    out[key] = value;
  }
  return out;
}

/**
 * The Namespace (and its guard-rail policies) the gateway creates for an entity: named after the
 * entity, labelled by the platform's configuration and the entity's id; the caller adds only
 * allowed label and annotation keys, and policies of the kinds above in that namespace.
 * @internal
 */
export function buildNewNamespace(
  scope: EntityScope,
  options: WriteScopeOptions['newNamespace'],
  request: CreateNamespaceRequest,
): { namespace: KubeObject; policies: KubeObject[] } {
  if (!scope.id) {
    throw new InputError(
      `${scope.entityRef} has no backstage.io/kubernetes-id annotation; a namespace is created for an entity with one`,
    );
  }
  const name = assertNamespaceName(scope.namespace ?? scope.id);
  const labels = {
    ...allowedOnly('label', request.labels, options.allowedLabels),
    ...options.labels,
    [LABEL_KUBERNETES_ID]: scope.id,
  };
  const annotations: Record<string, string> = {
    ...allowedOnly(
      'annotation',
      request.annotations,
      options.allowedAnnotations,
    ),
    ...options.annotations,
  };
  if (scope.dataClassification) {
    annotations[ANNOTATION_DATA_CLASSIFICATION] = scope.dataClassification;
  }
  const policies = (request.policies ?? []).map((policy, i) => {
    assertDepth(policy, `policies[${i}]`);
    const kind = String(policy?.kind ?? '');
    if (!Object.prototype.hasOwnProperty.call(POLICY_KINDS, kind)) {
      throw new InputError(
        `policies[${i}]: ${quoted(
          kind,
        )} cannot come with a new namespace; allowed: ${Object.keys(
          POLICY_KINDS,
        ).join(', ')}`,
      );
    }
    if (policy.apiVersion !== POLICY_KINDS[kind]) {
      throw new InputError(
        `policies[${i}]: ${kind} is served as apiVersion ${
          POLICY_KINDS[kind]
        }, not ${quoted(policy.apiVersion)}`,
      );
    }
    const policyName = assertObjectName(policy.metadata?.name, kind);
    if (
      policy.metadata.namespace !== undefined &&
      policy.metadata.namespace !== name
    ) {
      throw new InputError(
        `policies[${i}]: ${kind} ${policyName} must be in the new namespace '${name}'`,
      );
    }
    return {
      ...policy,
      metadata: {
        ...policy.metadata,
        namespace: name,
        labels: { ...policy.metadata.labels, [LABEL_KUBERNETES_ID]: scope.id! },
      },
    } as KubeObject;
  });
  return {
    namespace: {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels, annotations },
    },
    policies,
  };
}
