import type { Entity } from '@backstage/catalog-model';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { ANNOTATION_KUBERNETES_ID } from '@careplane/plugin-clusters-common';

/**
 * Whether an entity has releases to show: it names its Kubernetes objects by id.
 * @public
 */
export function hasRollouts(entity: Entity): boolean {
  return Boolean(entity.metadata.annotations?.[ANNOTATION_KUBERNETES_ID]);
}

/**
 * The entity "Rollouts" tab.
 * @alpha
 */
export const rolloutsEntityContent = EntityContentBlueprint.make({
  name: 'rollouts',
  params: {
    path: 'rollouts',
    title: 'Rollouts',
    filter: hasRollouts,
    loader: () =>
      import('../components/EntityRollouts').then(m => (
        <m.EntityRolloutsContent />
      )),
  },
});

/**
 * The overview card: the release state per cluster.
 * @alpha
 */
export const rolloutsEntityCard = EntityCardBlueprint.make({
  name: 'rollouts',
  params: {
    filter: hasRollouts,
    loader: () =>
      import('../components/EntityRollouts').then(m => (
        <m.RolloutsOverviewCard />
      )),
  },
});
