import { createBackendModule } from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { CareplanePermissionPolicy } from './CareplanePermissionPolicy';

export {
  CareplanePermissionPolicy,
  PLATFORM_ADMINS_GROUP,
  RESTRICTED_READS,
  SELF_SERVICE,
} from './CareplanePermissionPolicy';

/**
 * Installs {@link CareplanePermissionPolicy} as the permission policy of this backend.
 *
 * @public
 */
export const permissionModuleCareplanePolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'careplane-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new CareplanePermissionPolicy());
      },
    });
  },
});
