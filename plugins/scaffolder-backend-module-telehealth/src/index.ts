/**
 * Scaffolder module `telehealth` of Careplane: render, publish (locally in development),
 * register and apply telehealth services with HIPAA defaults.
 *
 * @packageDocumentation
 */

import { createBackendFeatureLoader } from '@backstage/backend-plugin-api';
import { catalogModuleTelehealthLocalRepos } from './catalogModule';
import { scaffolderModuleTelehealth } from './module';
import { clustersModuleTelehealthKinds } from './clustersModule';

/**
 * The scaffolder module `telehealth`, the clusters module that registers the kinds its manifests
 * use, and, for local publishing in development, the catalog module that can read locally
 * published repositories: one entry in the backend's feature list.
 * @public
 */
export default createBackendFeatureLoader({
  loader: () => [
    scaffolderModuleTelehealth,
    clustersModuleTelehealthKinds,
    catalogModuleTelehealthLocalRepos,
  ],
});
export { scaffolderModuleTelehealth, catalogModuleTelehealthLocalRepos };
export {
  clustersModuleTelehealthKinds,
  telehealthKinds,
} from './clustersModule';
export { LOCAL_REPO_LOCATION_TYPE } from './catalogModule';
export * from './actions';
export { readTelehealthConfig, DEFAULT_STARTER_IMAGE } from './config';
export type { TelehealthConfig, MeshMode, PublishProvider } from './config';
export {
  renderManifests,
  commonLabels,
  sloAnnotation,
} from './manifests/render';
export {
  validateServiceParameters,
  validateTargetClusters,
  clusterNameOf,
} from './manifests/validate';
export * from './manifests/types';
