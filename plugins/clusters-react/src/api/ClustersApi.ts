import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  AuditListResponse,
  AuditQuery,
  ClusterInfo,
  EntityObjectsRequest,
  EntityWorkloadsResponse,
  ObjectsResponse,
  WatchRequest,
} from '@careplane/plugin-clusters-common';
import type { ClustersStreamListener, StreamConnectionState } from '../stream';

/**
 * Formats of the audit export.
 * @public
 */
export type AuditExportFormat = 'csv' | 'json';

/**
 * Handle of a watch on the shared stream.
 * @public
 */
export interface ClustersWatch {
  /** Stops the watch; the shared stream closes shortly after its last watch stops. */
  unsubscribe(): void;
}

/**
 * Frontend API of the clusters plugin (`/api/clusters`).
 * @public
 */
export interface ClustersApi {
  /** Every configured cluster with its health and cache statistics. */
  listClusters(options?: { signal?: AbortSignal }): Promise<ClusterInfo[]>;

  /** An entity's workloads (Deployments, StatefulSets, Pods, ...) per cluster, from the cache. */
  getEntityWorkloads(
    entityRef: string,
    options?: { signal?: AbortSignal },
  ): Promise<EntityWorkloadsResponse>;

  /** An entity's objects of the given kinds per cluster, from the cache. */
  getEntityObjects(
    request: EntityObjectsRequest,
    options?: { signal?: AbortSignal },
  ): Promise<ObjectsResponse>;

  /** A page of the audit log. */
  listAudit(
    query: AuditQuery,
    options?: { signal?: AbortSignal },
  ): Promise<AuditListResponse>;

  /** Downloads the audit records matching the query as CSV or JSON (authenticated). */
  exportAudit(
    query: AuditQuery,
    format: AuditExportFormat,
  ): Promise<{ blob: Blob; filename: string }>;

  /**
   * Follows objects over the tab's single SSE stream. The listener receives the stream events of
   * this watch, plus a `resync` (cluster and kind `*`) each time the watch is registered on a
   * stream (first connect and every reconnect). `onError` receives a refused registration
   * (e.g. a 403 for an entity the user may not read).
   */
  watch(
    request: WatchRequest,
    listener: ClustersStreamListener,
    onError?: (error: Error) => void,
  ): ClustersWatch;

  /** Follows the state of the tab's stream connection; returns an unsubscribe function. */
  onConnectionState(
    listener: (state: StreamConnectionState) => void,
  ): () => void;
}

/**
 * ApiRef of {@link ClustersApi}; the `clusters` frontend plugin provides it.
 * @public
 */
export const clustersApiRef = createApiRef<ClustersApi>().with({
  id: 'plugin.clusters.api',
  pluginId: 'clusters',
});
