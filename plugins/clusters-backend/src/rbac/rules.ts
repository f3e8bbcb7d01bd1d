import type { KindDescriptor } from '@careplane/plugin-clusters-common';
import { KindRegistry } from '../services/InformerCache/KindRegistry';
import { DEFAULT_WRITE_SCOPE } from '../services/WriteScope/WriteScope';
import { featureKinds } from './featureKinds';

/** A Kubernetes RBAC PolicyRule (rbac.authorization.k8s.io/v1). */
export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

/** What Careplane needs on a member cluster, split by what it does. */
export interface CareplaneClusterRules {
  /** list / watch (the informers), get (single objects before a write, namespaces, pod logs). */
  read: PolicyRule[];
  /** The writes of the write scope: apply (patch + create), merge / JSON patch, delete. */
  write: PolicyRule[];
  /** Kinds left out of `read` and why. */
  excluded: Array<{ kind: string; reason: string }>;
}

/**
 * Kinds the registry serves but Careplane never asks a cluster for: listing Secrets would give the
 * token every Secret's data in every namespace, and Careplane shows no Secret data anyway.
 */
const NEVER_READ: Record<string, string> = {
  Secret:
    'list/watch on secrets reads every Secret value in the cluster; Careplane shows none',
};

/**
 * Kinds Kubernetes serves without a `status` subresource: no `<plural>/status` rule for them.
 */
const NO_STATUS = new Set(['ConfigMap', 'ServiceAccount', 'NetworkPolicy']);

/**
 * The guard-rail kinds POST /v1/namespaces applies in a namespace it just created (POLICY_KINDS of
 * services/WriteScope/newNamespace.ts, which does not export them; rbac.simulator.test.ts creates a
 * namespace with one of each, so a kind added there and missing here fails that test).
 */
export const NEW_NAMESPACE_POLICY_KINDS = [
  'ResourceQuota',
  'LimitRange',
  'NetworkPolicy',
];

function resourceOf(kind: KindDescriptor, subresource?: string): string {
  return subresource ? `${kind.plural}/${subresource}` : kind.plural;
}

/** Rules grouped by API group (one rule per group, resources and verbs sorted). */
function group(
  entries: Array<{ group: string; resource: string }>,
  verbs: string[],
): PolicyRule[] {
  const byGroup = new Map<string, Set<string>>();
  for (const e of entries) {
    const set = byGroup.get(e.group) ?? new Set<string>();
    set.add(e.resource);
    byGroup.set(e.group, set);
  }
  return [...byGroup.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([g, resources]) => ({
      apiGroups: [g],
      resources: [...resources].sort(),
      verbs: [...verbs].sort(),
    }));
}

/**
 * The least-privilege rules for Careplane's gateway, from its own kind registry (built-in and
 * well-known kinds, plus the kinds feature modules register) and the write scope's owner kinds.
 */
export function careplaneClusterRules(
  options: {
    ownerKinds?: string[];
    extraKinds?: KindDescriptor[];
  } = {},
): CareplaneClusterRules {
  const registry = new KindRegistry();
  registry.register([...featureKinds, ...(options.extraKinds ?? [])]);
  const kinds = registry.list();
  const ownerKinds = options.ownerKinds ?? DEFAULT_WRITE_SCOPE.ownerKinds;

  const readable = kinds.filter(k => !NEVER_READ[k.kind]);
  const read = [
    ...group(
      readable.map(k => ({ group: k.group, resource: resourceOf(k) })),
      ['get', 'list', 'watch'],
    ),
    // pod logs (held to the write scope by the gateway)
    ...group([{ group: '', resource: 'pods/log' }], ['get']),
  ];

  const writable = ownerKinds.map(name => registry.get(name));
  const write = [
    ...group(
      writable.map(k => ({ group: k.group, resource: resourceOf(k) })),
      // server-side apply is a patch, and a patch that creates also needs create
      ['create', 'patch', 'delete'],
    ),
    // merge / JSON patches of `status` (e.g. promoting a Rollout)
    ...group(
      writable
        .filter(k => !NO_STATUS.has(k.kind))
        .map(k => ({ group: k.group, resource: resourceOf(k, 'status') })),
      ['patch'],
    ),
    // POST /v1/namespaces: a new namespace, then its guard rails applied in it
    ...group([{ group: '', resource: 'namespaces' }], ['create']),
    ...group(
      NEW_NAMESPACE_POLICY_KINDS.filter(k => !ownerKinds.includes(k))
        .map(name => registry.get(name))
        .map(k => ({ group: k.group, resource: resourceOf(k) })),
      ['create', 'patch'],
    ),
  ];

  return {
    read,
    write,
    excluded: Object.entries(NEVER_READ)
      .filter(([kind]) => kinds.some(k => k.kind === kind))
      .map(([kind, reason]) => ({ kind, reason })),
  };
}
