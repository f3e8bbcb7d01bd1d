import type { Entity } from '@backstage/catalog-model';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
} from '@careplane/plugin-clusters-common';

/**
 * Whether an entity says which Kubernetes objects are its own (the upstream annotations).
 * @public
 */
export function hasKubernetesAnnotations(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return Boolean(
    annotations[ANNOTATION_KUBERNETES_ID] ||
      annotations[ANNOTATION_KUBERNETES_LABEL_SELECTOR],
  );
}

/**
 * The entity "Workloads" tab: the entity's objects per cluster with freshness and per-cluster
 * errors, live.
 * @alpha
 */
export const workloadsEntityContent = EntityContentBlueprint.make({
  name: 'workloads',
  params: {
    path: 'workloads',
    title: 'Workloads',
    filter: hasKubernetesAnnotations,
    loader: () =>
      import('../components/EntityWorkloads').then(m => (
        <m.EntityWorkloadsContent />
      )),
  },
});
