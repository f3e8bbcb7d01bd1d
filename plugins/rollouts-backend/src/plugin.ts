import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { clustersServiceRef } from '@careplane/plugin-clusters-node';
import { rolloutsPermissions } from '@careplane/plugin-rollouts-common';
import { registerActions } from './actions';
import { readRolloutsConfig } from './config';
import { createRouter } from './router';
import { EntityOwners } from './services/EntityOwners';
import { FleetIndex } from './services/FleetIndex';

/**
 * The rollouts plugin (`/api/rollouts`): release status across clusters, guarded actions,
 * error-budget gates and the fleet's "waiting for a human" list.
 * @public
 */
export const rolloutsPlugin = createBackendPlugin({
  pluginId: 'rollouts',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        clusters: clustersServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init(deps) {
        const config = readRolloutsConfig(deps.config);
        deps.permissionsRegistry.addPermissions(rolloutsPermissions);
        const fleet = new FleetIndex(deps.clusters, deps.auth, deps.logger);
        const owners = new EntityOwners(
          deps.catalog,
          deps.auth,
          config.ownersTtlMs,
        );
        const services = { ...deps, config, fleet, owners };
        registerActions({ ...services, actionsRegistry: deps.actionsRegistry });
        deps.lifecycle.addShutdownHook(() => fleet.stop());
        deps.httpRouter.use(await createRouter(services));
      },
    });
  },
});
