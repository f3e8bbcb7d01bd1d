import { z } from 'zod';
import { kindDescriptorSchema, serializedErrorSchema } from './kube';

/*
 * Clusters as the backend sees them (`GET /v1/clusters`) and the kinds it knows (`/v1/kinds`).
 */

/**
 * Health of a cluster connection.
 * @public
 */
export const clusterHealthStatusSchema = z.enum([
  'healthy',
  'degraded',
  'unavailable',
  'unknown',
]);

/**
 * Health of a cluster connection.
 * @public
 */
export type ClusterHealthStatus = z.infer<typeof clusterHealthStatusSchema>;

/**
 * Circuit-breaker state of a cluster connection: `open` means calls fail fast until a probe succeeds.
 * @public
 */
export const clusterCircuitStateSchema = z.enum([
  'closed',
  'open',
  'half-open',
]);

/**
 * Circuit-breaker state of a cluster connection.
 * @public
 */
export type ClusterCircuitState = z.infer<typeof clusterCircuitStateSchema>;

/**
 * Health of one cluster as seen by this backend.
 * @public
 */
export const clusterHealthSchema = z.object({
  status: clusterHealthStatusSchema,
  circuit: clusterCircuitStateSchema,
  /** Last successful answer from the API server. */
  lastContactAt: z.string().optional(),
  /** Latency of the last successful non-watch request, in milliseconds. */
  latencyMs: z.number().optional(),
  /** The last error, if the last request failed. */
  error: serializedErrorSchema.optional(),
});

/**
 * Health of one cluster as seen by this backend.
 * @public
 */
export type ClusterHealth = z.infer<typeof clusterHealthSchema>;

/**
 * Cache and API-server traffic counters of one cluster.
 * @public
 */
export const clusterStatsSchema = z.object({
  /** Informers running (one per kind in use). */
  informers: z.number(),
  /** Objects held in the cache. */
  objects: z.number(),
  /** Approximate size of the cached (stripped) objects, in bytes. */
  approxBytes: z.number(),
  /** API-server requests since start, by verb (`list`, `watch`, `get`, `apply`, `patch`, `delete`, `logs`). */
  requests: z.record(z.string(), z.number()),
  /** Requests answered with 429 since start. */
  throttled: z.number(),
  /** Re-lists after a watch answered 410 Expired (its resourceVersion was too old), since start. */
  relists: z.number().optional(),
  /**
   * Per cached kind: objects and the approximate size of one object (its stripped JSON, in
   * bytes, on average), so the cost of each kind shows.
   */
  kinds: z
    .array(
      z.object({
        kind: z.string(),
        objects: z.number(),
        bytesPerObject: z.number(),
      }),
    )
    .optional(),
});

/**
 * Cache and API-server traffic counters of one cluster.
 * @public
 */
export type ClusterStats = z.infer<typeof clusterStatsSchema>;

/**
 * Version of a cluster's Kubernetes API server, from its `GET /version`.
 * @public
 */
export const clusterVersionSchema = z.object({
  /** The API server's version, e.g. `v1.30.2` (for managed clusters e.g. `v1.30.2-eks-1a2b3c`). */
  gitVersion: z.string(),
  /** Major version as the server reports it, e.g. `1`. */
  major: z.string().optional(),
  /** Minor version as the server reports it, e.g. `30` (may carry a `+`). */
  minor: z.string().optional(),
  /** The server's platform, e.g. `linux/amd64`. */
  platform: z.string().optional(),
});

/**
 * Version of a cluster's Kubernetes API server.
 * @public
 */
export type ClusterVersion = z.infer<typeof clusterVersionSchema>;

/**
 * Whether a cluster serves an optional kind (a CRD such as Argo `Rollout`):
 * - `installed`: the kind's API group and version are served;
 * - `not-installed`: they are not (features answer `not-installed` for the kind there);
 * - `unknown`: the cluster has not answered a discovery probe yet.
 * @public
 */
export const clusterKindInstallStatusSchema = z.enum([
  'installed',
  'not-installed',
  'unknown',
]);

/**
 * Whether a cluster serves an optional kind.
 * @public
 */
export type ClusterKindInstallStatus = z.infer<
  typeof clusterKindInstallStatusSchema
>;

/**
 * One optional kind on one cluster, from the periodic discovery probe.
 * @public
 */
export const clusterKindAvailabilitySchema = z.object({
  /** The kind, e.g. `Rollout`. */
  kind: z.string(),
  /** Its `apiVersion`, e.g. `argoproj.io/v1alpha1`. */
  apiVersion: z.string(),
  status: clusterKindInstallStatusSchema,
});

/**
 * One optional kind on one cluster.
 * @public
 */
export type ClusterKindAvailability = z.infer<
  typeof clusterKindAvailabilitySchema
>;

/**
 * A cluster known to Careplane.
 * @public
 */
export const clusterInfoSchema = z.object({
  name: z.string(),
  title: z.string().optional(),
  /** Where the cluster came from: `config` or the id of a supplier module. */
  source: z.string(),
  /** Well-known labels, lifted from `labels` for convenience. */
  environment: z.string().optional(),
  region: z.string().optional(),
  phi: z.boolean(),
  gpu: z.string().optional(),
  /** All labels of the cluster, as configured. */
  labels: z.record(z.string(), z.string()),
  health: clusterHealthSchema,
  stats: clusterStatsSchema,
  /** The API server's version from the last successful probe; absent until the cluster answered one. */
  version: clusterVersionSchema.optional(),
  /**
   * Every optional kind the backend knows (well-known CRD kinds and registered optional kinds),
   * with whether this cluster serves it; `unknown` until the cluster answered a discovery probe.
   * Absent when the backend does not probe.
   */
  kinds: z.array(clusterKindAvailabilitySchema).optional(),
  /** When the cluster last answered the periodic probe (`GET /version` and `GET /apis`). */
  probedAt: z.string().optional(),
});

/**
 * A cluster known to Careplane.
 * @public
 */
export type ClusterInfo = z.infer<typeof clusterInfoSchema>;

/**
 * Answer of `GET /v1/clusters`.
 * @public
 */
export const clustersResponseSchema = z.object({
  items: z.array(clusterInfoSchema),
});

/**
 * Answer of `GET /v1/clusters`.
 * @public
 */
export type ClustersResponse = z.infer<typeof clustersResponseSchema>;

/**
 * Answer of `GET /v1/kinds`: every kind the backend can read.
 * @public
 */
export const kindsResponseSchema = z.object({
  items: z.array(kindDescriptorSchema),
});
