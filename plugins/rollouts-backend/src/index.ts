/**
 * Backend of the Careplane rollouts plugin: release status across clusters, guarded rollout
 * actions, error-budget gates and the fleet's "waiting for a human" list.
 *
 * @packageDocumentation
 */

export { rolloutsPlugin as default } from './plugin';
export { clustersModuleRolloutsKinds } from './module';
