import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';

const entityUpdate = (name: string) =>
  createPermission({
    name,
    attributes: { action: 'update' },
    resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
  });

/**
 * Promote a release of an entity (one step or full).
 * @public
 */
export const rolloutsPromotePermission = entityUpdate(
  'rollouts.rollout.promote',
);

/**
 * Abort a release of an entity.
 * @public
 */
export const rolloutsAbortPermission = entityUpdate('rollouts.rollout.abort');

/**
 * Retry an aborted release of an entity.
 * @public
 */
export const rolloutsRetryPermission = entityUpdate('rollouts.rollout.retry');

/**
 * Restart the pods of a release of an entity.
 * @public
 */
export const rolloutsRestartPermission = entityUpdate(
  'rollouts.rollout.restart',
);

/**
 * Pause a release of an entity (`spec.paused`).
 * @public
 */
export const rolloutsPausePermission = entityUpdate('rollouts.rollout.pause');

/**
 * Resume a manually paused release of an entity.
 * @public
 */
export const rolloutsResumePermission = entityUpdate('rollouts.rollout.resume');

/**
 * Undo a release of an entity to a chosen revision.
 * @public
 */
export const rolloutsUndoPermission = entityUpdate('rollouts.rollout.undo');

/**
 * Promote although the error-budget gate refuses (audited as an override, with the reason).
 * @public
 */
export const rolloutsGateOverridePermission = entityUpdate(
  'rollouts.gate.override',
);

/**
 * Every permission of the rollouts plugin.
 * @public
 */
export const rolloutsPermissions = [
  rolloutsPromotePermission,
  rolloutsAbortPermission,
  rolloutsRetryPermission,
  rolloutsRestartPermission,
  rolloutsPausePermission,
  rolloutsResumePermission,
  rolloutsUndoPermission,
  rolloutsGateOverridePermission,
];
