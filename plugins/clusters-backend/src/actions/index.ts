import type { PermissionsService } from '@backstage/backend-plugin-api';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { ClusterGateway } from '../services/ClusterGateway/ClusterGateway';
import { createGetEntityWorkloadsAction } from './createGetEntityWorkloadsAction';
import { createListClustersAction } from './createListClustersAction';

/**
 * Registers the hub's read actions (`clusters:list-clusters`, `clusters:get-entity-workloads`)
 * for assistants (MCP); each is checked with the caller's credentials.
 * @internal
 */
export function registerActions(options: {
  actionsRegistry: ActionsRegistryService;
  gateway: ClusterGateway;
  permissions: PermissionsService;
}) {
  createListClustersAction(options);
  createGetEntityWorkloadsAction(options);
}
