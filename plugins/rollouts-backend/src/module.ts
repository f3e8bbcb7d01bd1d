import { createBackendModule } from '@backstage/backend-plugin-api';
import { clustersKindsExtensionPoint } from '@careplane/plugin-clusters-node';
import { rolloutsKinds } from '@careplane/plugin-rollouts-common';

/**
 * Registers the Argo Rollouts (`Rollout`, `AnalysisRun`) and Flagger (`Canary`) kinds on the
 * clusters plugin at start.
 * @public
 */
export const clustersModuleRolloutsKinds = createBackendModule({
  pluginId: 'clusters',
  moduleId: 'rollouts-kinds',
  register(env) {
    env.registerInit({
      deps: { kinds: clustersKindsExtensionPoint },
      async init({ kinds }) {
        kinds.addKinds(rolloutsKinds);
      },
    });
  },
});
