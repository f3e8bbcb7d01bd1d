import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import {
  ClaimsLocation,
  KubernetesClaimsProcessor,
} from './KubernetesClaimsProcessor';

function readLocations(configs: Config[] | undefined): ClaimsLocation[] {
  return (configs ?? []).map(c => ({
    type: c.getString('type'),
    target: c.getString('target'),
  }));
}

/**
 * The locations the platform owns: app-config `catalog.locations` plus
 * `clusters.claims.trustedLocations` (`file` targets resolved against the working directory, as
 * the catalog resolves them).
 * @internal
 */
export function readTrustedLocations(config: Config): ClaimsLocation[] {
  return [
    ...readLocations(config.getOptionalConfigArray('catalog.locations')),
    ...readLocations(
      config.getOptionalConfigArray('clusters.claims.trustedLocations'),
    ),
  ];
}

/**
 * Catalog module `kubernetes-claims`: refuses entities that claim another entity's Kubernetes
 * objects (a `backstage.io/kubernetes-id` that is taken, or a label selector that does not pin
 * the entity's own id) unless they come from a location the platform owns. See
 * {@link KubernetesClaimsProcessor}.
 * @public
 */
export const catalogModuleKubernetesClaims = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'kubernetes-claims',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        processing: catalogProcessingExtensionPoint,
      },
      async init({ config, auth, catalog, processing }) {
        processing.addProcessor(
          new KubernetesClaimsProcessor({
            catalog,
            auth,
            trustedLocations: readTrustedLocations(config),
          }),
        );
      },
    });
  },
});
