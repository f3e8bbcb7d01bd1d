import { z } from 'zod';

/**
 * GPU utilisation and memory of a run over time (`GET /v1/runs/:id/gpu`).
 * @public
 */
export const runGpuMetricsSchema = z.object({
  /** `ok`, `not-configured` (the cluster has no metrics source), `unavailable` (see `error`). */
  status: z.enum(['ok', 'not-configured', 'unavailable']),
  error: z.string().optional(),
  /** The DCGM field utilisation came from (MIG-safe `DCGM_FI_PROF_GR_ENGINE_ACTIVE` first). */
  utilisationMetric: z.string().optional(),
  /** Samples `[unix seconds, average utilisation 0..1, framebuffer used MiB summed]`. */
  points: z.array(
    z.object({
      t: z.number(),
      utilisation: z.number().optional(),
      memoryMiB: z.number().optional(),
    }),
  ),
  idle: z.object({
    idle: z.boolean(),
    message: z.string().optional(),
  }),
});

/**
 * GPU utilisation and memory of a run over time.
 * @public
 */
export type RunGpuMetrics = z.infer<typeof runGpuMetricsSchema>;

/**
 * GPU quota of one queue, flavor and resource (`GET /v1/quota`).
 * @public
 */
export const quotaLineSchema = z.object({
  cluster: z.string(),
  /** `kueue` (from a ClusterQueue) or `config` (`training.teamQuotas`). */
  source: z.enum(['kueue', 'config']),
  /** ClusterQueue name, or the team for config quotas. */
  queue: z.string(),
  flavor: z.string().optional(),
  resource: z.string(),
  nominal: z.number(),
  used: z.number(),
  pendingWorkloads: z.number().optional(),
});

/**
 * One line of the quota view.
 * @public
 */
export type QuotaLine = z.infer<typeof quotaLineSchema>;

/**
 * Answer of `GET /v1/quota`.
 * @public
 */
export const quotaResponseSchema = z.object({
  items: z.array(quotaLineSchema),
  /** Clusters whose queues could not be read, with why. */
  unavailable: z.array(z.object({ cluster: z.string(), error: z.string() })),
});

/**
 * Answer of `GET /v1/quota`.
 * @public
 */
export type QuotaResponse = z.infer<typeof quotaResponseSchema>;

/**
 * GPU-hours and cost of one team in one month (`GET /v1/usage`).
 * @public
 */
export const monthlyUsageSchema = z.object({
  team: z.string(),
  /** `YYYY-MM` (UTC). */
  month: z.string(),
  runs: z.number().int(),
  gpuHours: z.number(),
  cost: z.number(),
});

/**
 * GPU-hours and cost of one team in one month.
 * @public
 */
export type MonthlyUsage = z.infer<typeof monthlyUsageSchema>;

/**
 * Answer of `GET /v1/usage`.
 * @public
 */
export const usageResponseSchema = z.object({
  items: z.array(monthlyUsageSchema),
  currency: z.string(),
});

/**
 * Answer of `GET /v1/usage`.
 * @public
 */
export type UsageResponse = z.infer<typeof usageResponseSchema>;
