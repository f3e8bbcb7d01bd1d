import { createBackendModule } from '@backstage/backend-plugin-api';
import { clustersKindsExtensionPoint } from '@careplane/plugin-clusters-node';
import { migrationsKinds } from '@careplane/plugin-migrations-common';

/**
 * Registers the kinds the migrations feature reads (CloudNativePG `Subscription`) with the
 * clusters plugin at start-up. It lives here until the migrations backend exists and brings its
 * own module.
 */
export const clustersModuleMigrationsKinds = createBackendModule({
  pluginId: 'clusters',
  moduleId: 'migrations-kinds',
  register(reg) {
    reg.registerInit({
      deps: { kinds: clustersKindsExtensionPoint },
      async init({ kinds }) {
        kinds.addKinds(migrationsKinds);
      },
    });
  },
});
