import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';

/**
 * Launch a training run for a catalog entity (checked against the owning entity).
 * @public
 */
export const trainingRunCreatePermission = createPermission({
  name: 'training.run.create',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Cancel a training run of a catalog entity (checked against the owning entity: its owners and
 * platform admins).
 * @public
 */
export const trainingRunCancelPermission = createPermission({
  name: 'training.run.cancel',
  attributes: { action: 'delete' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * See training runs across the organisation (list, state, GPU use, cost; never logs, which go
 * through the clusters plugin's pod-log permission).
 * @public
 */
export const trainingRunReadPermission = createPermission({
  name: 'training.run.read',
  attributes: { action: 'read' },
});

/**
 * Every permission of the training plugin.
 * @public
 */
export const trainingPermissions = [
  trainingRunCreatePermission,
  trainingRunCancelPermission,
  trainingRunReadPermission,
];
