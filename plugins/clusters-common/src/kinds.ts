import type { KindDescriptor } from './types';

const core = (
  kind: string,
  plural: string,
  namespaced = true,
): KindDescriptor => ({
  kind,
  group: '',
  version: 'v1',
  plural,
  namespaced,
});

/**
 * Kinds every cluster serves. Asked for by `kind`.
 * @public
 */
export const builtInKinds: ReadonlyArray<KindDescriptor> = [
  core('Pod', 'pods'),
  core('Service', 'services'),
  core('ConfigMap', 'configmaps'),
  core('Secret', 'secrets'),
  core('ServiceAccount', 'serviceaccounts'),
  core('ResourceQuota', 'resourcequotas'),
  core('LimitRange', 'limitranges'),
  core('PersistentVolumeClaim', 'persistentvolumeclaims'),
  core('Namespace', 'namespaces', false),
  core('Node', 'nodes', false),
  {
    kind: 'Deployment',
    group: 'apps',
    version: 'v1',
    plural: 'deployments',
    namespaced: true,
  },
  {
    kind: 'StatefulSet',
    group: 'apps',
    version: 'v1',
    plural: 'statefulsets',
    namespaced: true,
  },
  {
    kind: 'ReplicaSet',
    group: 'apps',
    version: 'v1',
    plural: 'replicasets',
    namespaced: true,
  },
  {
    kind: 'DaemonSet',
    group: 'apps',
    version: 'v1',
    plural: 'daemonsets',
    namespaced: true,
  },
  {
    kind: 'Job',
    group: 'batch',
    version: 'v1',
    plural: 'jobs',
    namespaced: true,
  },
  {
    kind: 'CronJob',
    group: 'batch',
    version: 'v1',
    plural: 'cronjobs',
    namespaced: true,
  },
  {
    kind: 'HorizontalPodAutoscaler',
    group: 'autoscaling',
    version: 'v2',
    plural: 'horizontalpodautoscalers',
    namespaced: true,
  },
  {
    kind: 'PodDisruptionBudget',
    group: 'policy',
    version: 'v1',
    plural: 'poddisruptionbudgets',
    namespaced: true,
  },
  {
    kind: 'NetworkPolicy',
    group: 'networking.k8s.io',
    version: 'v1',
    plural: 'networkpolicies',
    namespaced: true,
  },
  {
    kind: 'Ingress',
    group: 'networking.k8s.io',
    version: 'v1',
    plural: 'ingresses',
    namespaced: true,
  },
];

/**
 * Custom kinds Careplane features use. All optional: a cluster without the CRD answers
 * `not-installed` for them. Features register the kinds they use with a kinds module at start-up
 * (`clustersKindsExtensionPoint`; see the clusters-node README, "Kinds by module").
 * @public
 */
export const wellKnownCustomKinds: ReadonlyArray<KindDescriptor> = [
  {
    kind: 'Rollout',
    group: 'argoproj.io',
    version: 'v1alpha1',
    plural: 'rollouts',
    namespaced: true,
    optional: true,
  },
  {
    kind: 'AnalysisRun',
    group: 'argoproj.io',
    version: 'v1alpha1',
    plural: 'analysisruns',
    namespaced: true,
    optional: true,
  },
  {
    kind: 'Canary',
    group: 'flagger.app',
    version: 'v1beta1',
    plural: 'canaries',
    namespaced: true,
    optional: true,
  },
  {
    kind: 'TrainJob',
    group: 'trainer.kubeflow.org',
    version: 'v1alpha1',
    plural: 'trainjobs',
    namespaced: true,
    optional: true,
  },
  {
    kind: 'PyTorchJob',
    group: 'kubeflow.org',
    version: 'v1',
    plural: 'pytorchjobs',
    namespaced: true,
    optional: true,
  },
  {
    kind: 'Workload',
    group: 'kueue.x-k8s.io',
    version: 'v1beta2',
    plural: 'workloads',
    namespaced: true,
    optional: true,
  },
  {
    kind: 'LocalQueue',
    group: 'kueue.x-k8s.io',
    version: 'v1beta2',
    plural: 'localqueues',
    namespaced: true,
    optional: true,
  },
  {
    kind: 'ClusterQueue',
    group: 'kueue.x-k8s.io',
    version: 'v1beta2',
    plural: 'clusterqueues',
    namespaced: false,
    optional: true,
  },
  {
    kind: 'PolicyReport',
    group: 'wgpolicyk8s.io',
    version: 'v1alpha2',
    plural: 'policyreports',
    namespaced: true,
    optional: true,
  },
  {
    kind: 'Subscription',
    group: 'postgresql.cnpg.io',
    version: 'v1',
    plural: 'subscriptions',
    namespaced: true,
    optional: true,
  },
];

/**
 * The kinds of the entity-workloads answer.
 * @public
 */
export const workloadKinds = [
  'Deployment',
  'StatefulSet',
  'Pod',
  'Service',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'Job',
] as const;

/**
 * `apiVersion` of a kind, e.g. `apps/v1` or `v1`.
 * @public
 */
export function apiVersionOf(kind: KindDescriptor): string {
  return kind.group ? `${kind.group}/${kind.version}` : kind.version;
}
