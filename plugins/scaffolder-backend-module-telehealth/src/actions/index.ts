export { createRenderManifestsAction } from './renderManifests';
export { createApplyAction } from './apply';
export type { ApplyOutcome, AppliedObject } from './apply';
export { createPublishLocalAction } from './publishLocal';
export { createPublishTargetAction } from './publishTarget';
export { createRegisterAction, catalogInfoProblems } from './register';
