import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  createScaffolderTaskConditionalDecision,
  scaffolderTaskConditions,
} from '@backstage/plugin-scaffolder-backend/alpha';
import {
  catalogEntityCreatePermission,
  catalogEntityValidatePermission,
  catalogLocationAnalyzePermission,
  catalogLocationCreatePermission,
  RESOURCE_TYPE_CATALOG_ENTITY,
} from '@backstage/plugin-catalog-common/alpha';
import {
  actionExecutePermission,
  taskCancelPermission,
  taskCreatePermission,
  templateDryRunPermission,
  RESOURCE_TYPE_SCAFFOLDER_TASK,
} from '@backstage/plugin-scaffolder-common/alpha';
import {
  clustersAuditReadPermission,
  clustersPodLogsPermission,
} from '@careplane/plugin-clusters-common';

/** Names of permissions, taken from the permission objects so that a rename cannot slip by. */
function namesOf(permissions: Permission[]): ReadonlySet<string> {
  return new Set(permissions.map(p => p.name));
}

/** Members of this group may do everything. */
export const PLATFORM_ADMINS_GROUP = 'group:default/platform-admins';

/**
 * Reads that are not open to everyone: they can expose patient data (pod logs of PHI workloads) or
 * who-did-what across teams (the cluster audit log). Owners of the entity (for resource
 * permissions) and platform admins only.
 */
export const RESTRICTED_READS = namesOf([
  clustersPodLogsPermission,
  clustersAuditReadPermission,
]);

/**
 * Self-service actions any signed-in person may take, because they create something new that has
 * no owner yet: running a software template and registering the component it creates. What the
 * template then does to a cluster is checked again, per cluster write, against the new entity's
 * owner.
 */
export const SELF_SERVICE = namesOf([
  taskCreatePermission,
  actionExecutePermission,
  templateDryRunPermission,
  catalogLocationAnalyzePermission,
  catalogLocationCreatePermission,
  catalogEntityCreatePermission,
  catalogEntityValidatePermission,
]);

/**
 * Careplane's permission policy.
 *
 * - Platform admins (members of `group:default/platform-admins`) may do everything.
 * - Everyone may read, except the restricted reads above.
 * - Anyone signed in may use the self-service actions above.
 * - Actions on a catalog entity (resource permissions of type `catalog-entity`, which includes
 *   every Careplane cluster write for an entity's workloads) are allowed for the entity's owners,
 *   resolved through group membership (the user's ownership refs).
 * - A scaffolder task may be cancelled by whoever started it.
 * - Everything else is denied.
 *
 * @public
 */
export class CareplanePermissionPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    const ownershipRefs = user?.info.ownershipEntityRefs ?? [];

    if (ownershipRefs.includes(PLATFORM_ADMINS_GROUP)) {
      return { result: AuthorizeResult.ALLOW };
    }

    const isRestricted = RESTRICTED_READS.has(permission.name);
    if (permission.attributes.action === 'read' && !isRestricted) {
      return { result: AuthorizeResult.ALLOW };
    }

    // Everything below acts for a person; service-to-service calls without a user get nothing
    // more than reads.
    if (!user) {
      return { result: AuthorizeResult.DENY };
    }

    if (SELF_SERVICE.has(permission.name)) {
      return { result: AuthorizeResult.ALLOW };
    }

    if (isResourcePermission(permission, RESOURCE_TYPE_CATALOG_ENTITY)) {
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({ claims: ownershipRefs }),
      );
    }

    if (
      isPermission(permission, taskCancelPermission) &&
      isResourcePermission(permission, RESOURCE_TYPE_SCAFFOLDER_TASK)
    ) {
      return createScaffolderTaskConditionalDecision(
        permission,
        scaffolderTaskConditions.isTaskOwner({
          createdBy: [user.info.userEntityRef],
        }),
      );
    }

    return { result: AuthorizeResult.DENY };
  }
}
