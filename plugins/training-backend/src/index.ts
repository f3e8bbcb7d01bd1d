/**
 * Careplane training backend: GPU training runs (launch, queue, follow, account), the scaffolder
 * module with `training:run:create`, and the clusters module registering the training kinds.
 *
 * @packageDocumentation
 */

export { trainingPlugin as default, trainingPlugin } from './plugin';
export { scaffolderModuleTraining } from './modules/scaffolderModule';
export { clustersModuleTrainingKinds } from './modules/kindsModule';
