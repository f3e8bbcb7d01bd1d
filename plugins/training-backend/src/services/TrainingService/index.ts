export { createTrainingService } from './createTrainingService';
export type { TrainingService, CallOptions, RunPod } from './types';
export type { TrainingDeps } from './deps';
