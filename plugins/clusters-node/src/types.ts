import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type {
  ApplyRequest,
  ClusterInfo,
  CreateNamespaceRequest,
  CreateNamespaceResult,
  ClustersStreamEvent,
  DeleteRequest,
  EntityObjectsRequest,
  MetricsQueryRequest,
  MetricsQueryResponse,
  ObjectsQuery,
  ObjectsResponse,
  PatchRequest,
  PodLogsRequest,
  WatchRequest,
  WriteResult,
} from '@careplane/plugin-clusters-common';

/**
 * Who a call is made for. Pass the user's credentials (from `httpAuth.credentials(req)`) so that
 * permission checks and the audit record name the human; pass `auth.getOwnServiceCredentials()`
 * for background work (this bypasses user permissions and the audit record says so).
 * @public
 */
export interface ClustersCallOptions {
  credentials: BackstageCredentials;
}

/**
 * A live subscription made with {@link ClustersService.subscribe}.
 * @public
 */
export interface ClustersSubscription {
  /** Resolves once the watch is registered and its informers are started. */
  ready: Promise<void>;
  /** Stops delivering events and releases the watch. */
  unsubscribe(): void;
}

/**
 * The shared cluster gateway, as feature backends see it. Reads come from the informer cache of
 * clusters-backend (one per backend process), never from a LIST per call; every answer has one
 * entry per cluster with its freshness, so a broken cluster never fails the whole call.
 * @public
 */
export interface ClustersService {
  /** Clusters with labels, health and cache statistics. */
  listClusters(options: ClustersCallOptions): Promise<ClusterInfo[]>;

  /** Objects of the given kinds that belong to a catalog entity (by its annotations). */
  getEntityObjects(
    request: EntityObjectsRequest,
    options: ClustersCallOptions,
  ): Promise<ObjectsResponse>;

  /** Objects of the given kinds matching a label selector. */
  getObjects(
    query: ObjectsQuery,
    options: ClustersCallOptions,
  ): Promise<ObjectsResponse>;

  /**
   * Follows changes of the objects a watch selects. Events are the same as on the HTTP stream;
   * after a reconnect the listener gets a `resync` event with `cluster` and `kind` set to `*`.
   */
  subscribe(
    request: WatchRequest,
    listener: (event: ClustersStreamEvent) => void,
    options: ClustersCallOptions,
  ): ClustersSubscription;

  /** Server-side apply (field manager `careplane`), permission-checked and audited. */
  apply(
    request: ApplyRequest,
    options: ClustersCallOptions,
  ): Promise<WriteResult>;

  /** Merge or JSON patch (optionally of the `status` subresource), permission-checked and audited. */
  patch(
    request: PatchRequest,
    options: ClustersCallOptions,
  ): Promise<WriteResult>;

  /**
   * Creates the entity's own namespace on a cluster (see {@link CreateNamespaceRequest}): the
   * scaffolder's way to give a new service its home. Refused when the namespace exists.
   */
  createNamespace(
    request: CreateNamespaceRequest,
    options: ClustersCallOptions,
  ): Promise<CreateNamespaceResult>;

  /** Delete, permission-checked and audited. */
  delete(
    request: DeleteRequest,
    options: ClustersCallOptions,
  ): Promise<WriteResult>;

  /** Pod logs (not following), permission-checked and audited. */
  getPodLogs(
    request: Omit<PodLogsRequest, 'follow'>,
    options: ClustersCallOptions,
  ): Promise<string>;

  /**
   * PromQL against each cluster's Prometheus-compatible source (`clusters.locations[].metrics`),
   * through clusters-backend's short shared cache. One entry per cluster: `ok`, `unavailable`
   * (with the reason) or `not-configured`; a broken source never fails the whole call.
   */
  queryMetrics(
    request: MetricsQueryRequest,
    options: ClustersCallOptions,
  ): Promise<MetricsQueryResponse>;
}

/**
 * Authentication of a cluster connection (backend only; never serialised to clients).
 * @public
 */
export type ClusterAuth =
  | { type: 'serviceAccountToken'; token: string }
  | { type: 'kubeconfig'; path: string; context?: string }
  | { type: 'inCluster' };

/**
 * A cluster as a supplier describes it.
 * @public
 */
export interface ClusterDefinition {
  name: string;
  title?: string;
  /** API server URL. Ignored for `kubeconfig` and `inCluster` auth, which carry their own. */
  url?: string;
  auth: ClusterAuth;
  /** Base64 PEM of the API server's CA. */
  caData?: string;
  /** Path of a PEM file with the API server's CA. */
  caFile?: string;
  skipTLSVerify?: boolean;
  labels?: Record<string, string>;
  /** Timeouts and retry tuning; defaults apply for anything missing. */
  timeouts?: {
    /** Per request (not watches), default 5000 ms. */
    requestMs?: number;
    /** Waiting for an informer's first sync before answering `unavailable`, default 5000 ms. */
    firstSyncMs?: number;
    /** No bytes on a watch for this long means the watch is dead, default 90000 ms. */
    watchIdleMs?: number;
  };
}

/**
 * Supplies clusters from somewhere other than config (catalog, a fleet manager, …). URLs from
 * suppliers pass the SSRF guard (`clusters.ssrf` config).
 * @public
 */
export interface ClusterSupplier {
  /** Stable id, shown as the cluster's `source`. */
  id: string;
  getClusters(): Promise<ClusterDefinition[]>;
}
