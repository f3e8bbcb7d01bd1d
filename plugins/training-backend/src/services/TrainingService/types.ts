import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type {
  GpuTypesResponse,
  LaunchRequest,
  LaunchResponse,
  ListRunsQuery,
  ListRunsResponse,
  QuotaResponse,
  Run,
  RunGpuMetrics,
  RunPodInfo,
  UsageResponse,
} from '@careplane/plugin-training-common';
import type { ObjectEnvelope } from '@careplane/plugin-clusters-common';

/**
 * Options of a call made for a person (or, for the reconciler, the plugin itself).
 * @internal
 */
export interface CallOptions {
  credentials: BackstageCredentials;
}

/** A pod of a run, for the log picker. @internal */
export type RunPod = RunPodInfo;

/**
 * Launching, following, cancelling and accounting for GPU training runs.
 * @internal
 */
export interface TrainingService {
  gpuTypes(options: CallOptions): Promise<GpuTypesResponse>;
  /** Validates, checks permission and quota, dry-runs, persists (idempotently) and creates. */
  launch(request: LaunchRequest, options: CallOptions): Promise<LaunchResponse>;
  /** Deletes the run's object (owner or admin), records who and why. */
  cancel(id: string, reason: string, options: CallOptions): Promise<Run>;
  /** The run with its history, its state refreshed from the cluster cache. */
  getRun(id: string, options: CallOptions): Promise<Run>;
  listRuns(
    query: ListRunsQuery,
    options: CallOptions,
  ): Promise<ListRunsResponse>;
  pods(id: string, options: CallOptions): Promise<RunPod[]>;
  logs(
    id: string,
    request: {
      pod: string;
      container?: string;
      previous?: boolean;
      tailLines?: number;
    },
    options: CallOptions,
  ): Promise<string>;
  gpuMetrics(id: string, options: CallOptions): Promise<RunGpuMetrics>;
  quota(options: CallOptions): Promise<QuotaResponse>;
  usage(options: CallOptions): Promise<UsageResponse>;
  /** Refreshes every unfinished run from the cluster cache (scheduled, one instance at a time). */
  reconcile(): Promise<void>;
}

/** The objects of a run as the cache has them. @internal */
export interface RunObjects {
  object?: ObjectEnvelope;
  workload?: ObjectEnvelope;
  pods: ObjectEnvelope[];
  /** Whether the cache answered for the cluster (false: stale or unavailable, keep the last state). */
  fresh: boolean;
}
