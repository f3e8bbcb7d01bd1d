import { createApiRef } from '@backstage/frontend-plugin-api';
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

/**
 * Frontend API of the training plugin (`/api/training`).
 * @public
 */
export interface TrainingApi {
  gpuTypes(): Promise<GpuTypesResponse>;
  listRuns(query?: ListRunsQuery): Promise<ListRunsResponse>;
  launch(request: LaunchRequest): Promise<LaunchResponse>;
  getRun(id: string): Promise<Run>;
  cancel(id: string, reason: string): Promise<Run>;
  pods(id: string): Promise<RunPodInfo[]>;
  logs(
    id: string,
    query: {
      pod: string;
      container?: string;
      previous?: boolean;
      tailLines?: number;
    },
  ): Promise<string>;
  gpu(id: string): Promise<RunGpuMetrics>;
  quota(): Promise<QuotaResponse>;
  usage(): Promise<UsageResponse>;
}

/**
 * ApiRef of {@link TrainingApi}.
 * @public
 */
export const trainingApiRef = createApiRef<TrainingApi>({
  id: 'plugin.training.api',
});
