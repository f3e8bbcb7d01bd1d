export {
  careplaneRootHttpRouter,
  configureRootHttpRouter,
} from './rootHttpRouter';
export { createJsonBodyGuard, PayloadTooLargeError } from './jsonBodyGuard';
export { readJsonBodyGuardOptions, parseByteSize } from './config';
export type { JsonBodyGuardOptions } from './config';
export { jsonNestingDepth } from './jsonDepth';
