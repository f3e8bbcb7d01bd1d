import type { KindDescriptor } from '@careplane/plugin-clusters-common';

/**
 * The custom kinds training runs use: Kubeflow Trainer v2 `TrainJob`, Training Operator v1
 * `PyTorchJob`, and Kueue's `Workload`, `LocalQueue` and `ClusterQueue` (`v1beta2`, the storage
 * version since Kueue v0.16). All optional: a cluster without the CRD answers `not-installed`.
 * @public
 */
export const trainingKinds: ReadonlyArray<KindDescriptor> = [
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
];
