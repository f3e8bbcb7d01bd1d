export { useLiveEntityObjects } from './useLiveEntityObjects';
export type { LiveEntityObjects } from './useLiveEntityObjects';
export {
  LIVE_WORKLOAD_KINDS,
  useLiveEntityWorkloads,
} from './useLiveEntityWorkloads';
export type {
  LiveClusterWorkloads,
  LiveEntityWorkloads,
} from './useLiveEntityWorkloads';
export { useStreamConnection } from './useStreamConnection';
export {
  applyDelete,
  applyStatus,
  applyUpsert,
  clusterStatusOf,
  mergeSnapshot,
  objectKey,
} from './liveState';
