import type { SerializedError } from '@backstage/errors';

/*
 * The data transfer objects of the clusters plugin: what /api/clusters answers and what
 * ClustersService (clusters-node) returns. Everything here is JSON-safe; times are ISO 8601 strings.
 */

/**
 * Metadata of a Kubernetes object as Careplane keeps it (managedFields and the
 * last-applied-configuration annotation are always removed).
 * @public
 */
export interface KubeObjectMetadata {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<{
    apiVersion: string;
    kind: string;
    name: string;
    uid: string;
    controller?: boolean;
  }>;
  [key: string]: unknown;
}

/**
 * A Kubernetes object after stripping (see the clusters-backend README: Secret data, ConfigMap
 * values and container env values never leave the backend).
 * @public
 */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: KubeObjectMetadata;
  spec?: any;
  status?: any;
  [key: string]: unknown;
}

/**
 * How Careplane addresses one Kubernetes kind. `group` is `''` for the core API group.
 * @public
 */
export interface KindDescriptor {
  /** The kind, e.g. `Deployment`; also the name the kind is asked for by. */
  kind: string;
  /** API group, `''` for core. */
  group: string;
  /** API version, e.g. `v1`. */
  version: string;
  /** Plural resource name used in URLs, e.g. `deployments`. */
  plural: string;
  /** Whether objects of the kind live in namespaces. */
  namespaced: boolean;
  /**
   * Optional kinds come from CRDs that a cluster may not have; their absence is reported as
   * `not-installed`, not as an error.
   */
  optional?: boolean;
}

/**
 * Freshness of one cluster's (or one kind's) part of an answer.
 * - `ok`: from a synced cache whose watch is connected;
 * - `stale`: from the cache, but the watch is down (see `ageMs`);
 * - `unavailable`: no data (see `error`);
 * - `not-installed`: the kind's CRD is absent on the cluster (not an error).
 * @public
 */
export type ClusterResultStatus =
  | 'ok'
  | 'stale'
  | 'unavailable'
  | 'not-installed';

/**
 * Health of a cluster connection.
 * @public
 */
export type ClusterHealthStatus =
  | 'healthy'
  | 'degraded'
  | 'unavailable'
  | 'unknown';

/**
 * Circuit-breaker state of a cluster connection: `open` means calls fail fast until a probe succeeds.
 * @public
 */
export type ClusterCircuitState = 'closed' | 'open' | 'half-open';

/**
 * Health of one cluster as seen by this backend.
 * @public
 */
export interface ClusterHealth {
  status: ClusterHealthStatus;
  circuit: ClusterCircuitState;
  /** Last successful answer from the API server. */
  lastContactAt?: string;
  /** Latency of the last successful non-watch request, in milliseconds. */
  latencyMs?: number;
  /** The last error, if the last request failed. */
  error?: SerializedError;
}

/**
 * Cache and API-server traffic counters of one cluster.
 * @public
 */
export interface ClusterStats {
  /** Informers running (one per kind in use). */
  informers: number;
  /** Objects held in the cache. */
  objects: number;
  /** Approximate size of the cached (stripped) objects, in bytes. */
  approxBytes: number;
  /** API-server requests since start, by verb (`list`, `watch`, `get`, `apply`, `patch`, `delete`, `logs`). */
  requests: Record<string, number>;
  /** Requests answered with 429 since start. */
  throttled: number;
  /** Re-lists after a watch answered 410 Expired (its resourceVersion was too old), since start. */
  relists?: number;
}

/**
 * Version of a cluster's Kubernetes API server, from its `GET /version`.
 * @public
 */
export interface ClusterVersion {
  /** The API server's version, e.g. `v1.30.2` (for managed clusters e.g. `v1.30.2-eks-1a2b3c`). */
  gitVersion: string;
  /** Major version as the server reports it, e.g. `1`. */
  major?: string;
  /** Minor version as the server reports it, e.g. `30` (may carry a `+`). */
  minor?: string;
  /** The server's platform, e.g. `linux/amd64`. */
  platform?: string;
}

/**
 * Whether a cluster serves an optional kind (a CRD such as Argo `Rollout`):
 * - `installed`: the kind's API group and version are served;
 * - `not-installed`: they are not (features answer `not-installed` for the kind there);
 * - `unknown`: the cluster has not answered a discovery probe yet.
 * @public
 */
export type ClusterKindInstallStatus = 'installed' | 'not-installed' | 'unknown';

/**
 * One optional kind on one cluster, from the periodic discovery probe.
 * @public
 */
export interface ClusterKindAvailability {
  /** The kind, e.g. `Rollout`. */
  kind: string;
  /** Its `apiVersion`, e.g. `argoproj.io/v1alpha1`. */
  apiVersion: string;
  status: ClusterKindInstallStatus;
}

/**
 * A cluster known to Careplane.
 * @public
 */
export interface ClusterInfo {
  name: string;
  title?: string;
  /** Where the cluster came from: `config` or the id of a supplier module. */
  source: string;
  /** Well-known labels, lifted from `labels` for convenience. */
  environment?: string;
  region?: string;
  phi: boolean;
  gpu?: string;
  /** All labels of the cluster, as configured. */
  labels: Record<string, string>;
  health: ClusterHealth;
  stats: ClusterStats;
  /**
   * The API server's version from the last successful probe; absent until the cluster answered one.
   */
  version?: ClusterVersion;
  /**
   * Every optional kind the backend knows (well-known CRD kinds and registered optional kinds),
   * with whether this cluster serves it; `unknown` until the cluster answered a discovery probe.
   * Absent when the backend does not probe.
   */
  kinds?: ClusterKindAvailability[];
  /** When the cluster last answered the periodic probe (`GET /version` and `GET /apis`). */
  probedAt?: string;
}

/**
 * Answer of `GET /v1/clusters`.
 * @public
 */
export interface ClustersResponse {
  items: ClusterInfo[];
}

/**
 * Selects objects by label selector (Kubernetes syntax: `a=b,c!=d,e in (f,g),!h`) and an optional
 * namespace.
 * @public
 */
export interface ObjectSelector {
  labelSelector: string;
  namespace?: string;
}

/**
 * One object, tagged with where it came from.
 * @public
 */
export interface ObjectEnvelope<T extends KubeObject = KubeObject> {
  cluster: string;
  kind: string;
  namespace?: string;
  name: string;
  uid?: string;
  resourceVersion?: string;
  object: T;
}

/**
 * Freshness of one kind on one cluster.
 * @public
 */
export interface KindStatus {
  kind: string;
  status: ClusterResultStatus;
  /** When the cache was last known to be in sync with the API server. */
  syncedAt?: string;
  /** Milliseconds since `syncedAt` when `stale`. */
  ageMs?: number;
  error?: SerializedError;
}

/**
 * One cluster's part of an answer. `status` is the worst status of its kinds (where
 * `not-installed` counts as `ok`, unless every kind is `not-installed`).
 * @public
 */
export interface ClusterResult {
  cluster: string;
  status: ClusterResultStatus;
  syncedAt?: string;
  ageMs?: number;
  error?: SerializedError;
  kinds: KindStatus[];
}

/**
 * A cluster's objects for a query.
 * @public
 */
export interface ClusterObjectsResult<T extends KubeObject = KubeObject>
  extends ClusterResult {
  items: ObjectEnvelope<T>[];
}

/**
 * Query of objects of some kinds across clusters.
 * @public
 */
export interface ObjectsQuery {
  selector: ObjectSelector;
  /** Kind names, built in or registered (see `KindDescriptor`). */
  kinds: string[];
  /** Restrict to these clusters; all clusters when absent. */
  clusters?: string[];
}

/**
 * Answer to an {@link ObjectsQuery}: one entry per cluster, never failing as a whole.
 * @public
 */
export interface ObjectsResponse<T extends KubeObject = KubeObject> {
  selector: ObjectSelector;
  clusters: ClusterObjectsResult<T>[];
}

/**
 * A PromQL query for the clusters' metrics sources (`POST /v1/metrics/query`). Without `range` it
 * is an instant query at the source's now; with it, a range query (`start`/`end` as RFC 3339 or
 * unix seconds, at most 11,000 points per series).
 * @public
 */
export interface MetricsQueryRequest {
  /** PromQL, 1 to 2,000 characters. */
  query: string;
  /** Cluster names; default every cluster. */
  clusters?: string[];
  range?: { start: string; end: string; stepSeconds: number };
}

/**
 * What a PromQL expression evaluated to (Prometheus' `resultType`).
 * @public
 */
export type MetricsResultType = 'vector' | 'matrix' | 'scalar' | 'string';

/**
 * One series as Prometheus returns it: `value` for instant answers, `values` for range answers;
 * samples are `[unix seconds, value as a string]`. A `scalar` or `string` answer is one series
 * with empty `metric`.
 * @public
 */
export interface MetricsSeries {
  metric: Record<string, string>;
  value?: [number, string];
  values?: Array<[number, string]>;
}

/**
 * Per cluster: `ok`, `unavailable` (source down, slow, refusing, or the query failed there; see
 * `error`) or `not-configured` (the cluster has no `metrics` source).
 * @public
 */
export type ClusterMetricsStatus = 'ok' | 'unavailable' | 'not-configured';

/**
 * One cluster's part of a {@link MetricsQueryResponse}. `resultType` and `result` are always set
 * (an empty `vector`/`matrix` when the status is not `ok`).
 * @public
 */
export interface ClusterMetricsResult {
  cluster: string;
  status: ClusterMetricsStatus;
  /** Why the cluster is `unavailable` (never carries the source's URL or token). */
  error?: string;
  resultType: MetricsResultType;
  result: MetricsSeries[];
}

/**
 * Answer to a {@link MetricsQueryRequest}: one entry per cluster, never failing as a whole.
 * @public
 */
export interface MetricsQueryResponse {
  clusters: ClusterMetricsResult[];
}

/**
 * What a pod looks like at a glance.
 * @public
 */
export interface PodSummary {
  phase: string;
  /** All containers ready and the pod's Ready condition true. */
  ready: boolean;
  readyContainers: number;
  totalContainers: number;
  /** Sum of container restart counts. */
  restarts: number;
  /** Why it is not fine: waiting / terminated reasons (`CrashLoopBackOff`, `OOMKilled`, …), eviction, unschedulable. */
  reasons: string[];
  nodeName?: string;
  startedAt?: string;
  /** The controlling owner, e.g. a ReplicaSet or Job. */
  owner?: { kind: string; name: string };
}

/**
 * Replica counts of a Deployment or StatefulSet.
 * @public
 */
export interface ReplicaSummary {
  desired: number;
  ready: number;
  updated: number;
  available: number;
  /** The controller has observed the latest spec. */
  observed: boolean;
}

/**
 * A pod with its summary.
 * @public
 */
export interface PodEnvelope extends ObjectEnvelope {
  summary: PodSummary;
}

/**
 * A Deployment or StatefulSet with its replica counts.
 * @public
 */
export interface WorkloadEnvelope extends ObjectEnvelope {
  replicas: ReplicaSummary;
}

/**
 * One cluster's workloads of an entity.
 * @public
 */
export interface ClusterWorkloads extends ClusterResult {
  deployments: WorkloadEnvelope[];
  statefulSets: WorkloadEnvelope[];
  pods: PodEnvelope[];
  services: ObjectEnvelope[];
  horizontalPodAutoscalers: ObjectEnvelope[];
  podDisruptionBudgets: ObjectEnvelope[];
  jobs: ObjectEnvelope[];
}

/**
 * Answer of `GET /v1/entities/:kind/:namespace/:name/workloads`.
 * @public
 */
export interface EntityWorkloadsResponse {
  entityRef: string;
  selector: ObjectSelector;
  clusters: ClusterWorkloads[];
}

/**
 * What a stream watch follows: an entity's objects (by its annotations) or a raw selector
 * (backend callers only), for some kinds, on all or some clusters.
 * @public
 */
export interface WatchRequest {
  entityRef?: string;
  selector?: ObjectSelector;
  kinds: string[];
  clusters?: string[];
}

/**
 * Events on the SSE stream (`GET /v1/stream`); the SSE `event:` field equals `type`.
 * - `ready`: first event; carries the stream id used to add / remove watches;
 * - `upsert` / `delete`: an object of a watch changed (stripped like every answer);
 * - `status`: freshness of a kind on a cluster changed for a watch;
 * - `resync`: the cache re-listed (e.g. after `410 Gone`); refetch the watch's data.
 * Heartbeats are SSE comments (`: ping`) and carry no event.
 * @public
 */
export type ClustersStreamEvent =
  | { type: 'ready'; streamId: string; heartbeatMs: number }
  | { type: 'upsert'; watchId: string; object: ObjectEnvelope }
  | { type: 'delete'; watchId: string; object: ObjectEnvelope }
  | { type: 'status'; watchId: string; cluster: string; kind: KindStatus }
  | { type: 'resync'; watchId: string; cluster: string; kind: string };

/**
 * Body of `POST /v1/apply`: server-side apply (field manager `careplane`) of one object that
 * belongs to the entity.
 * @public
 */
export interface ApplyRequest {
  entityRef: string;
  cluster: string;
  manifest: KubeObject;
  dryRun?: boolean;
  /** Take over fields owned by other managers. */
  force?: boolean;
  /** Why; recorded in the audit log. Required unless `dryRun`. */
  reason?: string;
}

/**
 * Patch flavours: JSON merge patch (RFC 7386) or JSON patch (RFC 6902).
 * @public
 */
export type PatchType = 'merge' | 'json';

/**
 * Body of `POST /v1/patch`.
 * @public
 */
export interface PatchRequest {
  entityRef: string;
  cluster: string;
  kind: string;
  namespace?: string;
  name: string;
  patchType: PatchType;
  patch: unknown;
  /** Patch the `status` subresource instead of the object. */
  subresource?: 'status';
  dryRun?: boolean;
  reason?: string;
}

/**
 * Body of `POST /v1/delete`.
 * @public
 */
export interface DeleteRequest {
  entityRef: string;
  cluster: string;
  kind: string;
  namespace?: string;
  name: string;
  dryRun?: boolean;
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  reason?: string;
}

/**
 * Body of `POST /v1/namespaces`: the one narrow way for a service owner to create a namespace.
 * The namespace is named after the entity (its `backstage.io/kubernetes-namespace` annotation,
 * else its `backstage.io/kubernetes-id`), must not exist yet, and is labelled by the gateway
 * (the entity's id label, the platform's configured labels such as Pod Security `restricted`);
 * the caller may add only the label and annotation keys the platform allows
 * (`clusters.writeScope.newNamespace`). `policies` (ResourceQuota, LimitRange, NetworkPolicy) are
 * created in the new namespace in the same call, and only then: later changes to quotas and
 * limit ranges are for platform admins.
 * @public
 */
export interface CreateNamespaceRequest {
  entityRef: string;
  cluster: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  policies?: KubeObject[];
  dryRun?: boolean;
  reason?: string;
}

/**
 * Answer to `POST /v1/namespaces`.
 * @public
 */
export interface CreateNamespaceResult extends WriteResult {
  /** The policies created with the namespace, in order. */
  policies: Array<{ kind: string; name: string }>;
}

/**
 * Answer to a write.
 * @public
 */
export interface WriteResult {
  cluster: string;
  kind: string;
  namespace?: string;
  name: string;
  dryRun: boolean;
  /** Id of the audit record written for this call. */
  auditId: string;
  /** The object as the API server returned it (stripped); absent for deletes that returned a Status. */
  object?: ObjectEnvelope;
}

/**
 * Query of `GET /v1/logs` (answer: `text/plain`, streamed when `follow`).
 * @public
 */
export interface PodLogsRequest {
  entityRef: string;
  cluster: string;
  namespace: string;
  pod: string;
  container?: string;
  /** Logs of the previous (crashed) container instance. */
  previous?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  follow?: boolean;
  reason?: string;
}

/**
 * Action recorded in the audit log.
 * @public
 */
export type AuditAction =
  | 'apply'
  | 'patch'
  | 'delete'
  | 'logs'
  | 'create-namespace';

/**
 * Outcome recorded in the audit log.
 * @public
 */
export type AuditOutcome = 'success' | 'failure' | 'denied';

/**
 * One audit record (persisted; see `GET /v1/audit`).
 * @public
 */
export interface AuditRecord {
  id: string;
  occurredAt: string;
  /** User entity ref, or `plugin:<id>` for background work under service credentials. */
  actor: string;
  actorType: 'user' | 'service';
  action: AuditAction;
  cluster: string;
  namespace?: string;
  kind?: string;
  name?: string;
  entityRef?: string;
  reason?: string;
  dryRun: boolean;
  outcome: AuditOutcome;
  /** Error message for `failure` / `denied`. */
  error?: string;
  /** SHA-256 (hex) of the canonical JSON of the manifest or patch. */
  patchSha256?: string;
}

/**
 * Filters of `GET /v1/audit`.
 * @public
 */
export interface AuditQuery {
  cluster?: string;
  entityRef?: string;
  actor?: string;
  action?: AuditAction;
  outcome?: AuditOutcome;
  /** ISO time, inclusive. */
  from?: string;
  /** ISO time, exclusive. */
  to?: string;
  /** Page size, default 100, max 1000. */
  limit?: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
}

/**
 * Answer of `GET /v1/audit` (JSON format).
 * @public
 */
export interface AuditListResponse {
  items: AuditRecord[];
  nextCursor?: string;
}
