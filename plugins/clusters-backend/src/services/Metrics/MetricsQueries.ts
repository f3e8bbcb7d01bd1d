import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  type ClusterMetricsResult,
  type MetricsQueryRequest,
  type MetricsQueryResponse,
  metricsQueryLimits,
} from '@careplane/plugin-clusters-common';
import type { MetricsSource } from '../../config';
import { MetricsCall, MetricsClient } from './MetricsClient';

/**
 * Limits of a metrics query (also documented in the README): the contract's.
 * @internal
 */
export const METRICS_LIMITS = metricsQueryLimits;

/**
 * Options of {@link MetricsQueries.create}.
 * @internal
 */
export interface MetricsQueriesOptions {
  /** Every cluster the plugin knows (configured and supplied), in answer order. */
  clusterNames: () => string[];
  /** Metrics sources by cluster name; other clusters answer `not-configured`. */
  sources: Record<string, MetricsSource>;
  circuitBreaker: { failureThreshold: number; cooldownMs: number };
  logger: LoggerService;
  /** How long an answer is reused for the same query on the same cluster; default 10 s. */
  cacheTtlMs?: number;
  /** Most answers held (per cluster and query); default 500. */
  cacheMaxEntries?: number;
  now?: () => number;
}

function seconds(value: string, key: string): number {
  const n = /^\d+(\.\d+)?$/.test(value)
    ? Number(value)
    : Date.parse(value) / 1000;
  if (!Number.isFinite(n)) {
    throw new InputError(`${key}: not an RFC 3339 time or unix seconds`);
  }
  return n;
}

/**
 * Checks a request against {@link METRICS_LIMITS} and turns it into what goes to a source.
 * Throws `InputError` (400).
 * @internal
 */
export function toMetricsCall(request: MetricsQueryRequest): MetricsCall {
  const query = (request.query ?? '').trim();
  if (!query) throw new InputError('query: must not be empty');
  if (query.length > METRICS_LIMITS.maxQueryLength) {
    throw new InputError(
      `query: at most ${METRICS_LIMITS.maxQueryLength} characters`,
    );
  }
  if (!request.range) return { query };
  const start = seconds(request.range.start, 'range.start');
  const end = seconds(request.range.end, 'range.end');
  const step = request.range.stepSeconds;
  if (!Number.isFinite(step) || step <= 0) {
    throw new InputError('range.stepSeconds: must be a positive number');
  }
  if (end < start) throw new InputError('range: end is before start');
  const points = Math.floor((end - start) / step) + 1;
  if (points > METRICS_LIMITS.maxPoints) {
    throw new InputError(
      `range: ${points} points per series; at most ${METRICS_LIMITS.maxPoints} (raise stepSeconds or shorten the range)`,
    );
  }
  return { query, range: { start, end, step } };
}

/**
 * PromQL across clusters for every feature (rollout error budgets, GPU use, replication lag):
 * one {@link MetricsClient} per cluster with a metrics source, and a short cache so that the same
 * query from many users (a page everyone opens) reaches each source once per TTL. Concurrent
 * identical queries share one request.
 * @internal
 */
export class MetricsQueries {
  private readonly clients = new Map<string, MetricsClient>();
  private readonly cache = new Map<
    string,
    { expiresAt: number; result: Promise<ClusterMetricsResult> }
  >();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  static create(options: MetricsQueriesOptions) {
    return new MetricsQueries(options);
  }

  private constructor(private readonly options: MetricsQueriesOptions) {
    this.ttlMs = options.cacheTtlMs ?? 10_000;
    this.maxEntries = options.cacheMaxEntries ?? 500;
    this.now = options.now ?? Date.now;
    for (const [cluster, source] of Object.entries(options.sources)) {
      this.clients.set(
        cluster,
        new MetricsClient(cluster, source, options.circuitBreaker),
      );
    }
  }

  async query(request: MetricsQueryRequest): Promise<MetricsQueryResponse> {
    const call = toMetricsCall(request);
    const known = this.options.clusterNames();
    const names =
      request.clusters && request.clusters.length > 0
        ? request.clusters
        : known;
    for (const name of names) {
      if (!known.includes(name))
        throw new InputError(`Unknown cluster '${name}'`);
    }
    const clusters = await Promise.all(
      names.map(name => this.forCluster(name, call)),
    );
    return { clusters };
  }

  private forCluster(
    cluster: string,
    call: MetricsCall,
  ): Promise<ClusterMetricsResult> {
    const client = this.clients.get(cluster);
    if (!client) {
      return Promise.resolve({
        cluster,
        status: 'not-configured',
        resultType: call.range ? 'matrix' : 'vector',
        result: [],
      });
    }
    const key = JSON.stringify([cluster, call.query, call.range]);
    const now = this.now();
    const hit = this.cache.get(key);
    if (hit && hit.expiresAt > now) return hit.result;
    if (hit) this.cache.delete(key);

    const result = client.query(call).then(r => {
      if (r.status === 'unavailable') {
        this.options.logger.warn('Metrics query failed', {
          cluster,
          error: r.error,
        });
      }
      return r;
    });
    this.cache.set(key, { expiresAt: now + this.ttlMs, result });
    // Map keeps insertion order: the first keys are the oldest
    while (this.cache.size > this.maxEntries) {
      this.cache.delete(this.cache.keys().next().value!);
    }
    return result;
  }
}
