export { reconcileRollout } from './rollout';
export { reconcileAnalysisRun } from './analysis';
export { calculateRolloutPhase } from './phase';
