/**
 * The Careplane clusters frontend plugin (new frontend system): the Clusters and Audit pages
 * and the entity Workloads tab, kept live over the clusters SSE stream.
 *
 * @packageDocumentation
 */

export { clustersPlugin as default } from './plugin';
export { hasKubernetesAnnotations } from './extensions/entityContent';
