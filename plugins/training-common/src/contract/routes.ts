import { defineRoutes } from '@careplane/plugin-clusters-common';
import { z } from 'zod';
import { gpuTypesResponseSchema } from './gpuTypes';
import { cancelRequestSchema, launchRequestSchema } from './launch';
import {
  launchResponseSchema,
  listRunsQuerySchema,
  listRunsResponseSchema,
  runSchema,
} from './runs';
import {
  quotaResponseSchema,
  runGpuMetricsSchema,
  usageResponseSchema,
} from './usage';

/**
 * A pod of a run (for the log picker).
 * @public
 */
export const runPodSchema = z.object({
  name: z.string(),
  phase: z.string(),
  containers: z.array(z.string()),
  restarts: z.number().int(),
  nodeName: z.string().optional(),
});

/**
 * A pod of a run.
 * @public
 */
export type RunPodInfo = z.infer<typeof runPodSchema>;

/**
 * Query of `GET /v1/runs/:id/logs`.
 * @public
 */
export const runLogsQuerySchema = z.object({
  pod: z.string().min(1).max(253),
  container: z.string().max(63).optional(),
  previous: z
    .enum(['true', 'false'])
    .optional()
    .transform(v => v === 'true'),
  tailLines: z.coerce.number().int().min(1).max(10000).optional(),
});

/**
 * The HTTP contract of `/api/training`: training-backend's router validates with these schemas;
 * the frontend's client is typed from `TrainingRoutes`.
 * @public
 */
export const trainingRoutes = defineRoutes({
  gpuTypes: {
    method: 'GET',
    path: '/v1/gpu-types',
    response: gpuTypesResponseSchema,
  },
  listRuns: {
    method: 'GET',
    path: '/v1/runs',
    query: listRunsQuerySchema,
    response: listRunsResponseSchema,
  },
  launch: {
    method: 'POST',
    path: '/v1/runs',
    body: launchRequestSchema,
    response: launchResponseSchema,
  },
  getRun: {
    method: 'GET',
    path: '/v1/runs/:id',
    response: runSchema,
  },
  cancel: {
    method: 'POST',
    path: '/v1/runs/:id/cancel',
    body: cancelRequestSchema,
    response: runSchema,
  },
  pods: {
    method: 'GET',
    path: '/v1/runs/:id/pods',
    response: z.object({ items: z.array(runPodSchema) }),
  },
  logs: {
    method: 'GET',
    path: '/v1/runs/:id/logs',
    query: runLogsQuerySchema,
    produces: 'text/plain',
  },
  gpu: {
    method: 'GET',
    path: '/v1/runs/:id/gpu',
    response: runGpuMetricsSchema,
  },
  quota: {
    method: 'GET',
    path: '/v1/quota',
    response: quotaResponseSchema,
  },
  usage: {
    method: 'GET',
    path: '/v1/usage',
    response: usageResponseSchema,
  },
});

/**
 * The type of {@link trainingRoutes}, for typed clients.
 * @public
 */
export type TrainingRoutes = typeof trainingRoutes;
