import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { clustersServiceRef } from '@careplane/plugin-clusters-node';
import { trainingPermissions } from '@careplane/plugin-training-common';
import { registerTrainingActions } from './actions/createTrainingActions';
import { readTrainingConfig } from './config';
import { DatabaseRunStore } from './database/DatabaseRunStore';
import { createRouter } from './router';
import { createTrainingService } from './services/TrainingService';

/**
 * GPU training runs (`/api/training`): launch, queue, follow and account.
 * @public
 */
export const trainingPlugin = createBackendPlugin({
  pluginId: 'training',
  register(env) {
    env.registerInit({
      deps: {
        rootConfig: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
        clusters: clustersServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init(deps) {
        const config = readTrainingConfig(deps.rootConfig);
        deps.permissionsRegistry.addPermissions(trainingPermissions);
        const store = await DatabaseRunStore.create({
          database: deps.database,
        });
        const training = createTrainingService({
          clusters: deps.clusters,
          store,
          catalog: deps.catalog,
          permissions: deps.permissions,
          auditor: deps.auditor,
          auth: deps.auth,
          logger: deps.logger,
          config,
        });
        registerTrainingActions({
          actionsRegistry: deps.actionsRegistry,
          training,
        });
        // one instance at a time refreshes unfinished runs, so history is recorded while nobody looks
        await deps.scheduler.scheduleTask({
          id: 'training-run-reconcile',
          frequency: { milliseconds: config.reconcileIntervalMs },
          timeout: { minutes: 2 },
          initialDelay: { seconds: 5 },
          scope: 'global',
          fn: () => training.reconcile(),
        });
        deps.httpRouter.use(
          await createRouter({ httpAuth: deps.httpAuth, training }),
        );
      },
    });
  },
});
