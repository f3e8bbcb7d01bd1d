import { z } from 'zod';
import { clusterNamesSchema } from './kube';

/*
 * PromQL against each cluster's Prometheus-compatible source (`POST /v1/metrics/query`).
 */

/**
 * Limits of a metrics query.
 * @public
 */
export const metricsQueryLimits = {
  /** Characters of PromQL. */
  maxQueryLength: 2000,
  /** Points per series of a range query, as Prometheus' own limit. */
  maxPoints: 11_000,
} as const;

/**
 * A PromQL query for the clusters' metrics sources (`POST /v1/metrics/query`). Without `range` it
 * is an instant query at the source's now; with it, a range query (`start`/`end` as RFC 3339 or
 * unix seconds, at most 11,000 points per series; the backend checks the count).
 * @public
 */
export const metricsQueryRequestSchema = z.object({
  /** PromQL, 1 to 2,000 characters. */
  query: z.string().trim().min(1).max(metricsQueryLimits.maxQueryLength),
  /** Cluster names; default every cluster. */
  clusters: clusterNamesSchema,
  range: z
    .object({
      start: z.string().min(1).max(40),
      end: z.string().min(1).max(40),
      stepSeconds: z.number().positive(),
    })
    .optional(),
});

/**
 * A PromQL query for the clusters' metrics sources.
 * @public
 */
export type MetricsQueryRequest = z.infer<typeof metricsQueryRequestSchema>;

/**
 * What a PromQL expression evaluated to (Prometheus' `resultType`).
 * @public
 */
export const metricsResultTypeSchema = z.enum([
  'vector',
  'matrix',
  'scalar',
  'string',
]);

/**
 * What a PromQL expression evaluated to.
 * @public
 */
export type MetricsResultType = z.infer<typeof metricsResultTypeSchema>;

const sample = z.tuple([z.number(), z.string()]);

/**
 * One series as Prometheus returns it: `value` for instant answers, `values` for range answers;
 * samples are `[unix seconds, value as a string]`. A `scalar` or `string` answer is one series
 * with empty `metric`.
 * @public
 */
export const metricsSeriesSchema = z.object({
  metric: z.record(z.string(), z.string()),
  value: sample.optional(),
  values: z.array(sample).optional(),
});

/**
 * One series as Prometheus returns it.
 * @public
 */
export type MetricsSeries = z.infer<typeof metricsSeriesSchema>;

/**
 * Per cluster: `ok`, `unavailable` (source down, slow, refusing, or the query failed there; see
 * `error`) or `not-configured` (the cluster has no `metrics` source).
 * @public
 */
export const clusterMetricsStatusSchema = z.enum([
  'ok',
  'unavailable',
  'not-configured',
]);

/**
 * Per-cluster status of a metrics answer.
 * @public
 */
export type ClusterMetricsStatus = z.infer<typeof clusterMetricsStatusSchema>;

/**
 * One cluster's part of a metrics answer. `resultType` and `result` are always set (an empty
 * `vector`/`matrix` when the status is not `ok`).
 * @public
 */
export const clusterMetricsResultSchema = z.object({
  cluster: z.string(),
  status: clusterMetricsStatusSchema,
  /** Why the cluster is `unavailable` (never carries the source's URL or token). */
  error: z.string().optional(),
  resultType: metricsResultTypeSchema,
  result: z.array(metricsSeriesSchema),
});

/**
 * One cluster's part of a {@link MetricsQueryResponse}.
 * @public
 */
export type ClusterMetricsResult = z.infer<typeof clusterMetricsResultSchema>;

/**
 * Answer to a metrics query: one entry per cluster, never failing as a whole.
 * @public
 */
export const metricsQueryResponseSchema = z.object({
  clusters: z.array(clusterMetricsResultSchema),
});

/**
 * Answer to a {@link MetricsQueryRequest}.
 * @public
 */
export type MetricsQueryResponse = z.infer<typeof metricsQueryResponseSchema>;
