import { K8sObject } from './util';

/** One served resource type (a row of an APIResourceList). */
export interface ResourceType {
  group: string;
  /** Served versions; the first is the preferred one. */
  versions: string[];
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Subresources served, e.g. `status`, `log`, `scale`. */
  subresources: string[];
  /** Whether the object has a spec whose changes bump metadata.generation. */
  generation: boolean;
  /** Name of the CRD that makes this type available, for custom resources. */
  crd?: string;
  /** Verbs the resource supports when not the full set (e.g. create-only reviews). */
  verbs?: string[];
  /** Whether objects are stored (false for virtual kinds such as reviews). */
  virtual?: boolean;
}

const verbsRW = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

/** Verbs a resource type supports, for discovery documents. */
export function verbsOf(type: ResourceType): string[] {
  return type.verbs ?? verbsRW;
}

/** Verbs of a subresource, for discovery documents and routing. */
export function subresourceVerbs(sub: string): string[] {
  if (sub === 'log') return ['get'];
  if (sub === 'token') return ['create'];
  return ['get', 'patch', 'update'];
}

/** Storage key of a resource type: group and plural, version independent. */
export function resourceKey(type: { group: string; plural: string }): string {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}

/** The apiVersion string of a group/version pair. */
export function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

function builtin(
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced: boolean,
  opts: Partial<ResourceType> = {},
): ResourceType {
  return {
    group,
    versions: [version],
    kind,
    listKind: `${kind}List`,
    plural,
    singular: kind.toLowerCase(),
    namespaced,
    subresources: [],
    generation: false,
    ...opts,
  };
}

/** Kinds every simulated cluster serves. */
export const BUILTIN_TYPES: ResourceType[] = [
  builtin('', 'v1', 'Namespace', 'namespaces', false, {
    shortNames: ['ns'],
    subresources: ['status'],
  }),
  builtin('', 'v1', 'Node', 'nodes', false, {
    shortNames: ['no'],
    subresources: ['status'],
  }),
  builtin('', 'v1', 'Pod', 'pods', true, {
    shortNames: ['po'],
    categories: ['all'],
    subresources: ['status', 'log'],
  }),
  builtin('', 'v1', 'Service', 'services', true, {
    shortNames: ['svc'],
    categories: ['all'],
    subresources: ['status'],
  }),
  builtin('', 'v1', 'ServiceAccount', 'serviceaccounts', true, {
    shortNames: ['sa'],
    subresources: ['token'],
  }),
  builtin('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true, {
    shortNames: ['pvc'],
    subresources: ['status'],
  }),
  builtin('', 'v1', 'ConfigMap', 'configmaps', true, { shortNames: ['cm'] }),
  builtin('', 'v1', 'Secret', 'secrets', true),
  builtin('', 'v1', 'Event', 'events', true, { shortNames: ['ev'] }),
  builtin('', 'v1', 'ResourceQuota', 'resourcequotas', true, {
    shortNames: ['quota'],
    subresources: ['status'],
  }),
  builtin('', 'v1', 'LimitRange', 'limitranges', true, {
    shortNames: ['limits'],
  }),
  builtin('apps', 'v1', 'Deployment', 'deployments', true, {
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: ['status', 'scale'],
    generation: true,
  }),
  builtin('apps', 'v1', 'ReplicaSet', 'replicasets', true, {
    shortNames: ['rs'],
    categories: ['all'],
    subresources: ['status', 'scale'],
    generation: true,
  }),
  builtin('apps', 'v1', 'StatefulSet', 'statefulsets', true, {
    shortNames: ['sts'],
    categories: ['all'],
    subresources: ['status', 'scale'],
    generation: true,
  }),
  builtin('apps', 'v1', 'DaemonSet', 'daemonsets', true, {
    shortNames: ['ds'],
    categories: ['all'],
    subresources: ['status'],
    generation: true,
  }),
  builtin('apps', 'v1', 'ControllerRevision', 'controllerrevisions', true),
  builtin('batch', 'v1', 'CronJob', 'cronjobs', true, {
    shortNames: ['cj'],
    categories: ['all'],
    subresources: ['status'],
    generation: true,
  }),
  builtin('batch', 'v1', 'Job', 'jobs', true, {
    categories: ['all'],
    subresources: ['status'],
    generation: true,
  }),
  builtin(
    'autoscaling',
    'v2',
    'HorizontalPodAutoscaler',
    'horizontalpodautoscalers',
    true,
    { shortNames: ['hpa'], subresources: ['status'], generation: true },
  ),
  builtin('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true, {
    shortNames: ['pdb'],
    subresources: ['status'],
    generation: true,
  }),
  builtin('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', true, {
    shortNames: ['netpol'],
    generation: true,
  }),
  builtin('networking.k8s.io', 'v1', 'Ingress', 'ingresses', true, {
    shortNames: ['ing'],
    subresources: ['status'],
    generation: true,
  }),
  builtin('rbac.authorization.k8s.io', 'v1', 'Role', 'roles', true),
  builtin(
    'rbac.authorization.k8s.io',
    'v1',
    'RoleBinding',
    'rolebindings',
    true,
  ),
  builtin(
    'rbac.authorization.k8s.io',
    'v1',
    'ClusterRole',
    'clusterroles',
    false,
  ),
  builtin(
    'rbac.authorization.k8s.io',
    'v1',
    'ClusterRoleBinding',
    'clusterrolebindings',
    false,
  ),
  builtin(
    'authorization.k8s.io',
    'v1',
    'SelfSubjectAccessReview',
    'selfsubjectaccessreviews',
    false,
    { verbs: ['create'], virtual: true },
  ),
  builtin(
    'apiextensions.k8s.io',
    'v1',
    'CustomResourceDefinition',
    'customresourcedefinitions',
    false,
    { shortNames: ['crd', 'crds'], subresources: ['status'], generation: true },
  ),
];

interface CrdSpecInput {
  group: string;
  versions: string[];
  kind: string;
  plural: string;
  namespaced?: boolean;
  shortNames?: string[];
  status?: boolean;
}

/** Custom resources the simulator knows how to install, by add-on name. */
export const KNOWN_CRDS: Record<string, CrdSpecInput[]> = {
  'argo-rollouts': [
    {
      group: 'argoproj.io',
      versions: ['v1alpha1'],
      kind: 'Rollout',
      plural: 'rollouts',
      shortNames: ['ro'],
    },
    {
      group: 'argoproj.io',
      versions: ['v1alpha1'],
      kind: 'AnalysisRun',
      plural: 'analysisruns',
      shortNames: ['ar'],
    },
  ],
  flagger: [
    {
      group: 'flagger.app',
      versions: ['v1beta1'],
      kind: 'Canary',
      plural: 'canaries',
      shortNames: ['canary'],
    },
  ],
  'kubeflow-trainer': [
    {
      group: 'trainer.kubeflow.org',
      versions: ['v1alpha1'],
      kind: 'TrainJob',
      plural: 'trainjobs',
    },
  ],
  'kubeflow-training-operator': [
    {
      group: 'kubeflow.org',
      versions: ['v1'],
      kind: 'PyTorchJob',
      plural: 'pytorchjobs',
    },
  ],
  kueue: [
    {
      group: 'kueue.x-k8s.io',
      versions: ['v1beta2', 'v1beta1'],
      kind: 'LocalQueue',
      plural: 'localqueues',
      shortNames: ['queue', 'queues', 'lq'],
    },
    {
      group: 'kueue.x-k8s.io',
      versions: ['v1beta2', 'v1beta1'],
      kind: 'ClusterQueue',
      plural: 'clusterqueues',
      namespaced: false,
      shortNames: ['cq'],
    },
    {
      group: 'kueue.x-k8s.io',
      versions: ['v1beta2', 'v1beta1'],
      kind: 'ResourceFlavor',
      plural: 'resourceflavors',
      namespaced: false,
      shortNames: ['flavor', 'flavors', 'rf'],
      status: false,
    },
    {
      group: 'kueue.x-k8s.io',
      versions: ['v1beta2', 'v1beta1'],
      kind: 'Workload',
      plural: 'workloads',
      shortNames: ['wl'],
    },
  ],
  'policy-reports': [
    {
      group: 'wgpolicyk8s.io',
      versions: ['v1alpha2'],
      kind: 'PolicyReport',
      plural: 'policyreports',
      shortNames: ['polr'],
      status: false,
    },
  ],
  cnpg: [
    {
      group: 'postgresql.cnpg.io',
      versions: ['v1'],
      kind: 'Subscription',
      plural: 'subscriptions',
    },
  ],
};

/** Builds a CustomResourceDefinition object for one custom kind. */
export function crdObject(input: CrdSpecInput): K8sObject {
  const namespaced = input.namespaced !== false;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${input.plural}.${input.group}` },
    spec: {
      group: input.group,
      names: {
        kind: input.kind,
        listKind: `${input.kind}List`,
        plural: input.plural,
        singular: input.kind.toLowerCase(),
        ...(input.shortNames ? { shortNames: input.shortNames } : {}),
      },
      scope: namespaced ? 'Namespaced' : 'Cluster',
      versions: input.versions.map((v, i) => ({
        name: v,
        served: true,
        storage: i === 0,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            'x-kubernetes-preserve-unknown-fields': true,
          },
        },
        ...(input.status === false ? {} : { subresources: { status: {} } }),
      })),
    },
  };
}

/** Derives the served resource type from a CRD object, if it is well formed. */
export function typeFromCrd(crd: K8sObject): ResourceType | undefined {
  const spec = crd.spec ?? {};
  const names = spec.names ?? {};
  if (!spec.group || !names.plural || !names.kind) {
    return undefined;
  }
  const served = (spec.versions ?? []).filter((v: any) => v.served !== false);
  if (served.length === 0) {
    return undefined;
  }
  const hasStatus = served.some((v: any) => v.subresources?.status);
  return {
    group: spec.group,
    versions: served.map((v: any) => String(v.name)),
    kind: names.kind,
    listKind: names.listKind ?? `${names.kind}List`,
    plural: names.plural,
    singular: names.singular ?? String(names.kind).toLowerCase(),
    namespaced: spec.scope !== 'Cluster',
    shortNames: names.shortNames,
    subresources: hasStatus ? ['status'] : [],
    generation: true,
    crd: crd.metadata.name,
  };
}
