/**
 * The shared Careplane cluster plugin: the only package that talks to Kubernetes API servers.
 *
 * @packageDocumentation
 */

export { clustersPlugin as default } from './plugin';
export { catalogModuleKubernetesClaims } from './catalogModule/module';
