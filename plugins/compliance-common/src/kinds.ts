import type { KindDescriptor } from '@careplane/plugin-clusters-common';

/**
 * The kinds the compliance checks read that the hub does not build in: RBAC (served by every
 * cluster) and the in-cluster report CRDs (optional: absent means `unknown`, never pass).
 * @public
 */
export const complianceKinds: KindDescriptor[] = [
  {
    kind: 'Role',
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    plural: 'roles',
    namespaced: true,
  },
  {
    kind: 'RoleBinding',
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    plural: 'rolebindings',
    namespaced: true,
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
    kind: 'VulnerabilityReport',
    group: 'aquasecurity.github.io',
    version: 'v1alpha1',
    plural: 'vulnerabilityreports',
    namespaced: true,
    optional: true,
  },
];

/** Every kind the evaluation reads (built-in and {@link complianceKinds}). @public */
export const EVALUATED_KINDS = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'Rollout',
  'Pod',
  'Namespace',
  'ServiceAccount',
  'ConfigMap',
  'Service',
  'Ingress',
  'NetworkPolicy',
  'PodDisruptionBudget',
  'HorizontalPodAutoscaler',
  'PersistentVolumeClaim',
  'Role',
  'RoleBinding',
  'PolicyReport',
  'VulnerabilityReport',
];
