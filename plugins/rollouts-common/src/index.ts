/**
 * Domain rules, permissions, annotations and the API contract of the Careplane rollouts plugin:
 * the normalised rollout model (Argo Rollouts, Flagger, Deployments, StatefulSets), the SLO
 * annotation and error-budget maths, and the exact patches of each action.
 *
 * @packageDocumentation
 */

export * from './model/types';
export {
  calculateRolloutPhase,
  deriveArgoRollout,
  getRolloutPhase,
  isArgoGenerationObserved,
  ROLLOUT_HASH_LABEL,
  ROLLOUT_REVISION_ANNOTATION,
} from './model/argo';
export { deriveFlaggerCanary, FLAGGER_PHASES } from './model/flagger';
export {
  deploymentRolloutStatus,
  deriveDeployment,
  deriveStatefulSet,
  statefulSetRolloutStatus,
  DEPLOYMENT_REVISION_ANNOTATION,
} from './model/workloads';
export * from './model/history';
export * from './model/derive';
export * from './slo';
export * from './budget';
export * from './permissions';
export * from './kinds';
export * from './actions/types';
export * from './actions/preconditions';
export * from './actions/patches';
export * from './contract/requests';
export * from './contract/responses';
export * from './contract/schemas';
export * from './contract/routes';
export * from './model/entity';
