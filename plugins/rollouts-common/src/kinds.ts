import type { KindDescriptor } from '@careplane/plugin-clusters-common';

/**
 * The custom kinds the rollouts plugin reads and patches (all optional: a cluster without the CRD
 * answers `not-installed`). Registered on the clusters plugin by `clustersModuleRolloutsKinds`.
 * @public
 */
export const rolloutsKinds: KindDescriptor[] = [
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
];
