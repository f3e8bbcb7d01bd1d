import type { Entity } from '@backstage/catalog-model';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { ANNOTATION_TRAINING_QUEUE } from '@careplane/plugin-training-common';

/**
 * Whether an entity trains models: it names its team's training queue.
 * @public
 */
export function hasTrainingQueue(entity: Entity): boolean {
  return Boolean(entity.metadata.annotations?.[ANNOTATION_TRAINING_QUEUE]);
}

/**
 * The entity "Training" tab: the entity's runs and the launch form.
 * @alpha
 */
export const trainingEntityContent = EntityContentBlueprint.make({
  name: 'training',
  params: {
    path: 'training',
    title: 'Training',
    filter: hasTrainingQueue,
    loader: () =>
      import('../components/EntityTraining').then(m => (
        <m.EntityTrainingContent />
      )),
  },
});
