/**
 * The Careplane training frontend plugin (new frontend system): GPU training runs, launched,
 * queued, followed and accounted for.
 *
 * @packageDocumentation
 */

export { trainingPlugin as default } from './plugin';
export { hasTrainingQueue } from './extensions/entityContent';
export { trainingApiRef } from './api/TrainingApi';
export type { TrainingApi } from './api/TrainingApi';
export { TrainingClient } from './api/TrainingClient';
