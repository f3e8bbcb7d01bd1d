import { createBackendModule } from '@backstage/backend-plugin-api';
import { clustersKindsExtensionPoint } from '@careplane/plugin-clusters-node';
import { complianceKinds } from '@careplane/plugin-compliance-common';

/**
 * Registers the kinds the compliance checks read (Role, RoleBinding, PolicyReport,
 * VulnerabilityReport) with the clusters plugin.
 * @public
 */
export const clustersModuleComplianceKinds = createBackendModule({
  pluginId: 'clusters',
  moduleId: 'compliance-kinds',
  register(env) {
    env.registerInit({
      deps: { kinds: clustersKindsExtensionPoint },
      async init({ kinds }) {
        kinds.addKinds(complianceKinds);
      },
    });
  },
});
