import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { clustersServiceRef } from '@careplane/plugin-clusters-node';
import {
  createApplyAction,
  createPublishLocalAction,
  createPublishTargetAction,
  createRegisterAction,
  createRenderManifestsAction,
} from './actions';
import { readTelehealthConfig } from './config';

/**
 * The `telehealth` module of the scaffolder: actions that render HIPAA-default manifests,
 * publish locally in development, register the entity and apply through the cluster gateway.
 * @public
 */
export const scaffolderModuleTelehealth = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'telehealth',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        clusters: clustersServiceRef,
        catalog: catalogServiceRef,
        permissions: coreServices.permissions,
        auth: coreServices.auth,
        rootConfig: coreServices.rootConfig,
      },
      async init({
        scaffolder,
        clusters,
        catalog,
        permissions,
        auth,
        rootConfig,
      }) {
        const config = readTelehealthConfig(rootConfig);
        scaffolder.addActions(
          createRenderManifestsAction({
            clusters,
            catalog,
            permissions,
            auth,
            config,
          }),
          createPublishTargetAction({ config }),
          createPublishLocalAction({ config }),
          createRegisterAction({ catalog, config }),
          createApplyAction({ clusters, catalog, config }),
        );
      },
    });
  },
});
