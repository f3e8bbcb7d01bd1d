import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';

/**
 * Request an exemption for a catalog entity's checks (owners and platform admins).
 * @public
 */
export const complianceExemptionRequestPermission = createPermission({
  name: 'compliance.exemption.request',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Approve, reject or revoke exemptions. Deliberately not an entity resource permission: owners
 * (who request) do not get it; the policy grants it to platform admins only, and the service
 * refuses a decision by the requester whoever they are (four-eyes rule).
 * @public
 */
export const complianceExemptionApprovePermission = createPermission({
  name: 'compliance.exemption.approve',
  attributes: { action: 'update' },
});

/**
 * Every permission of the compliance plugin.
 * @public
 */
export const compliancePermissions = [
  complianceExemptionRequestPermission,
  complianceExemptionApprovePermission,
];
