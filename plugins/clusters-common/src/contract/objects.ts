import { z } from 'zod';
import {
  clusterNamesSchema,
  kindNamesSchema,
  KubeObject,
  kubeObjectSchema,
  nameSchema,
  objectSelectorSchema,
  serializedErrorSchema,
} from './kube';

/*
 * Reads of objects from the cache: by selector (`POST /v1/objects/query`), by entity
 * (`POST /v1/objects/by-entity`) and an entity's workloads (`GET /v1/entities/.../workloads`).
 */

/**
 * Freshness of one cluster's (or one kind's) part of an answer.
 * - `ok`: from a synced cache whose watch is connected;
 * - `stale`: from the cache, but the watch is down (see `ageMs`);
 * - `unavailable`: no data (see `error`);
 * - `not-installed`: the kind's CRD is absent on the cluster (not an error);
 * - `syncing`: the kind's first sync is still under way (no data yet, and not an error: the
 *   answer did not wait for it; a live view gets a `status` event when it is ready).
 * @public
 */
export const clusterResultStatusSchema = z.enum([
  'ok',
  'stale',
  'unavailable',
  'not-installed',
  'syncing',
]);

/**
 * Freshness of one cluster's (or one kind's) part of an answer.
 * @public
 */
export type ClusterResultStatus = z.infer<typeof clusterResultStatusSchema>;

/**
 * One object, tagged with where it came from.
 * @public
 */
export const objectEnvelopeSchema = z.object({
  cluster: z.string(),
  kind: z.string(),
  namespace: z.string().optional(),
  name: z.string(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  object: kubeObjectSchema,
});

/**
 * One object, tagged with where it came from; `T` narrows the object for a known kind.
 * @public
 */
export type ObjectEnvelope<T extends KubeObject = KubeObject> = z.infer<
  typeof objectEnvelopeSchema
> & { object: T };

/**
 * Freshness of one kind on one cluster.
 * @public
 */
export const kindStatusSchema = z.object({
  kind: z.string(),
  status: clusterResultStatusSchema,
  /** When the cache was last known to be in sync with the API server. */
  syncedAt: z.string().optional(),
  /** Milliseconds since `syncedAt` when `stale`. */
  ageMs: z.number().optional(),
  error: serializedErrorSchema.optional(),
});

/**
 * Freshness of one kind on one cluster.
 * @public
 */
export type KindStatus = z.infer<typeof kindStatusSchema>;

/**
 * One cluster's part of an answer. `status` is the worst status of its kinds (where
 * `not-installed` counts as `ok`, unless every kind is `not-installed`; `syncing` is worse than
 * `ok` and better than `stale`).
 * @public
 */
export const clusterResultSchema = z.object({
  cluster: z.string(),
  status: clusterResultStatusSchema,
  syncedAt: z.string().optional(),
  ageMs: z.number().optional(),
  error: serializedErrorSchema.optional(),
  kinds: z.array(kindStatusSchema),
});

/**
 * One cluster's part of an answer.
 * @public
 */
export type ClusterResult = z.infer<typeof clusterResultSchema>;

/**
 * A cluster's objects for a query.
 * @public
 */
export const clusterObjectsResultSchema = clusterResultSchema.extend({
  items: z.array(objectEnvelopeSchema),
});

/**
 * A cluster's objects for a query.
 * @public
 */
export type ClusterObjectsResult<T extends KubeObject = KubeObject> =
  ClusterResult & { items: ObjectEnvelope<T>[] };

/**
 * Query of objects of some kinds across clusters (`POST /v1/objects/query`, backend callers only).
 * @public
 */
export const objectsQuerySchema = z.object({
  selector: objectSelectorSchema,
  /** Kind names, built in or registered (see `KindDescriptor`). */
  kinds: kindNamesSchema,
  /** Restrict to these clusters; all clusters when absent. */
  clusters: clusterNamesSchema,
});

/**
 * Query of objects of some kinds across clusters.
 * @public
 */
export type ObjectsQuery = z.infer<typeof objectsQuerySchema>;

/**
 * Body of `POST /v1/objects/by-entity`: an entity's objects (by its annotations) of some kinds.
 * @public
 */
export const entityObjectsRequestSchema = z.object({
  entityRef: nameSchema,
  kinds: kindNamesSchema,
  clusters: clusterNamesSchema,
});

/**
 * Body of `POST /v1/objects/by-entity`.
 * @public
 */
export type EntityObjectsRequest = z.infer<typeof entityObjectsRequestSchema>;

/**
 * Answer to an object read: one entry per cluster, never failing as a whole.
 * @public
 */
export const objectsResponseSchema = z.object({
  selector: objectSelectorSchema,
  clusters: z.array(clusterObjectsResultSchema),
});

/**
 * Answer to an {@link ObjectsQuery}: one entry per cluster, never failing as a whole.
 * @public
 */
export type ObjectsResponse<T extends KubeObject = KubeObject> = {
  selector: z.infer<typeof objectSelectorSchema>;
  clusters: ClusterObjectsResult<T>[];
};

/**
 * What a pod looks like at a glance.
 * @public
 */
export const podSummarySchema = z.object({
  phase: z.string(),
  /** All containers ready and the pod's Ready condition true. */
  ready: z.boolean(),
  readyContainers: z.number(),
  totalContainers: z.number(),
  /** Sum of container restart counts. */
  restarts: z.number(),
  /** Why it is not fine: waiting / terminated reasons (`CrashLoopBackOff`, `OOMKilled`, …), eviction, unschedulable. */
  reasons: z.array(z.string()),
  nodeName: z.string().optional(),
  startedAt: z.string().optional(),
  /** The controlling owner, e.g. a ReplicaSet or Job. */
  owner: z.object({ kind: z.string(), name: z.string() }).optional(),
});

/**
 * What a pod looks like at a glance.
 * @public
 */
export type PodSummary = z.infer<typeof podSummarySchema>;

/**
 * Replica counts of a Deployment or StatefulSet.
 * @public
 */
export const replicaSummarySchema = z.object({
  desired: z.number(),
  ready: z.number(),
  updated: z.number(),
  available: z.number(),
  /** The controller has observed the latest spec. */
  observed: z.boolean(),
});

/**
 * Replica counts of a Deployment or StatefulSet.
 * @public
 */
export type ReplicaSummary = z.infer<typeof replicaSummarySchema>;

/**
 * A pod with its summary.
 * @public
 */
export const podEnvelopeSchema = objectEnvelopeSchema.extend({
  summary: podSummarySchema,
});

/**
 * A pod with its summary.
 * @public
 */
export type PodEnvelope = z.infer<typeof podEnvelopeSchema>;

/**
 * A Deployment or StatefulSet with its replica counts.
 * @public
 */
export const workloadEnvelopeSchema = objectEnvelopeSchema.extend({
  replicas: replicaSummarySchema,
});

/**
 * A Deployment or StatefulSet with its replica counts.
 * @public
 */
export type WorkloadEnvelope = z.infer<typeof workloadEnvelopeSchema>;

/**
 * One cluster's workloads of an entity.
 * @public
 */
export const clusterWorkloadsSchema = clusterResultSchema.extend({
  deployments: z.array(workloadEnvelopeSchema),
  statefulSets: z.array(workloadEnvelopeSchema),
  pods: z.array(podEnvelopeSchema),
  services: z.array(objectEnvelopeSchema),
  horizontalPodAutoscalers: z.array(objectEnvelopeSchema),
  podDisruptionBudgets: z.array(objectEnvelopeSchema),
  jobs: z.array(objectEnvelopeSchema),
});

/**
 * One cluster's workloads of an entity.
 * @public
 */
export type ClusterWorkloads = z.infer<typeof clusterWorkloadsSchema>;

/**
 * Query of `GET /v1/entities/:kind/:namespace/:name/workloads`: `clusters`, comma-separated.
 * @public
 */
export const entityWorkloadsQuerySchema = z.object({
  clusters: z
    .string()
    .max(25_000)
    .transform(value => {
      const names = value
        .split(',')
        .map(s => s.trim())
        .filter(Boolean);
      return names.length ? names : undefined;
    })
    .optional(),
});

/**
 * Answer of `GET /v1/entities/:kind/:namespace/:name/workloads`.
 * @public
 */
export const entityWorkloadsResponseSchema = z.object({
  entityRef: z.string(),
  selector: objectSelectorSchema,
  clusters: z.array(clusterWorkloadsSchema),
});

/**
 * Answer of `GET /v1/entities/:kind/:namespace/:name/workloads`.
 * @public
 */
export type EntityWorkloadsResponse = z.infer<
  typeof entityWorkloadsResponseSchema
>;
