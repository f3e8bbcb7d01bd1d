import { createBackendModule } from '@backstage/backend-plugin-api';
import type { KindDescriptor } from '@careplane/plugin-clusters-common';
import { clustersKindsExtensionPoint } from '@careplane/plugin-clusters-node';

/**
 * Kinds of other projects that telehealth manifests contain and the gateway must know before it
 * can apply them: Istio's PeerAuthentication (strict mTLS when the mesh is Istio). Optional: a
 * cluster without the CRD answers `not-installed` for it.
 * @public
 */
export const telehealthKinds: KindDescriptor[] = [
  {
    kind: 'PeerAuthentication',
    group: 'security.istio.io',
    version: 'v1',
    plural: 'peerauthentications',
    namespaced: true,
    optional: true,
  },
];

/**
 * Registers {@link telehealthKinds} with the clusters plugin at start-up (the kinds extension
 * point), so that nothing registers kinds at runtime.
 * @public
 */
export const clustersModuleTelehealthKinds = createBackendModule({
  pluginId: 'clusters',
  moduleId: 'telehealth-kinds',
  register(reg) {
    reg.registerInit({
      deps: { kinds: clustersKindsExtensionPoint },
      async init({ kinds }) {
        kinds.addKinds(telehealthKinds);
      },
    });
  },
});
