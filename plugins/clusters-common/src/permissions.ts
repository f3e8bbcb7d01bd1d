import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';

/**
 * See the list of configured clusters and their health.
 * @public
 */
export const clustersClusterReadPermission = createPermission({
  name: 'clusters.cluster.read',
  attributes: { action: 'read' },
});

/**
 * Read the (stripped) Kubernetes objects that belong to a catalog entity.
 * @public
 */
export const clustersResourceReadPermission = createPermission({
  name: 'clusters.resource.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Server-side apply objects that belong to a catalog entity.
 * @public
 */
export const clustersResourceApplyPermission = createPermission({
  name: 'clusters.resource.apply',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Merge / JSON patch objects (or their `status`) that belong to a catalog entity.
 * @public
 */
export const clustersResourcePatchPermission = createPermission({
  name: 'clusters.resource.patch',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Delete objects that belong to a catalog entity.
 * @public
 */
export const clustersResourceDeletePermission = createPermission({
  name: 'clusters.resource.delete',
  attributes: { action: 'delete' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Read the logs of pods that belong to a catalog entity. A read, but not an open one: logs of PHI
 * workloads may carry PHI, so policies grant it to owners only.
 * @public
 */
export const clustersPodLogsPermission = createPermission({
  name: 'clusters.pod.logs',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Write outside an entity's write scope: cluster-scoped kinds, system (`kube-*`) namespaces,
 * namespaces not granted to the entity, kinds a service owner may not write (Secrets, RBAC, …),
 * objects that do not carry the entity's label, and changes of an object's owner label. Meant
 * for platform admins only; it never lifts the entity permission checks or the rules every
 * caller follows (valid names, no reading JSON patch operations).
 * @public
 */
export const clustersScopeOverridePermission = createPermission({
  name: 'clusters.scope.override',
  attributes: { action: 'update' },
});

/**
 * Query and export the clusters audit log.
 * @public
 */
export const clustersAuditReadPermission = createPermission({
  name: 'clusters.audit.read',
  attributes: { action: 'read' },
});

/**
 * Every permission of the clusters plugin.
 * @public
 */
export const clustersPermissions = [
  clustersClusterReadPermission,
  clustersResourceReadPermission,
  clustersResourceApplyPermission,
  clustersResourcePatchPermission,
  clustersResourceDeletePermission,
  clustersPodLogsPermission,
  clustersScopeOverridePermission,
  clustersAuditReadPermission,
];
