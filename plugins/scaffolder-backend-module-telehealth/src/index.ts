/**
 * Scaffolder module `telehealth` of Careplane: render, publish (locally in development),
 * register and apply telehealth services with HIPAA defaults.
 *
 * @packageDocumentation
 */

export { scaffolderModuleTelehealth as default } from './module';
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
