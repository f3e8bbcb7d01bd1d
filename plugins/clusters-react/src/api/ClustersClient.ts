import { parseEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import {
  type AuditListResponse,
  type AuditQuery,
  type ClusterInfo,
  type ClustersRoutes,
  createRouteClient,
  type EntityObjectsRequest,
  type EntityWorkloadsResponse,
  type ObjectsResponse,
  type RouteRequest,
  type WatchRequest,
} from '@careplane/plugin-clusters-common';
import {
  ClustersStream,
  ClustersStreamListener,
  ClustersStreamOptions,
  StreamConnectionState,
} from '../stream';
import type {
  AuditExportFormat,
  ClustersApi,
  ClustersWatch,
} from './ClustersApi';

const PLUGIN_ID = 'clusters';

/**
 * Client of `/api/clusters`, typed from the contract (`ClustersRoutes`, a type only: no schema
 * reaches the bundle, and answers are not validated again). Requests go through `fetchApi`
 * (which adds the Backstage token), and so does the SSE stream: EventSource cannot send an
 * Authorization header.
 * @public
 */
export class ClustersClient implements ClustersApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;
  private readonly stream: ClustersStream;
  private readonly routes = createRouteClient<ClustersRoutes>(request =>
    this.send(request),
  );

  constructor(options: {
    discoveryApi: DiscoveryApi;
    fetchApi: FetchApi;
    /** Timings of the shared stream (tests shorten them). */
    streamOptions?: ClustersStreamOptions;
  }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
    const watchPath = '/v1/stream/:streamId/watches/:watchId';
    this.stream = new ClustersStream(
      {
        open: signal =>
          this.routes.open('GET', '/v1/stream', undefined, {
            signal,
            accept: 'text/event-stream',
          }),
        putWatch: (streamId, watchId, request) =>
          this.routes.call('PUT', watchPath, {
            params: { streamId, watchId },
            body: request,
          }),
        deleteWatch: (streamId, watchId) =>
          this.routes.call('DELETE', watchPath, {
            params: { streamId, watchId },
          }),
      },
      options.streamOptions,
    );
  }

  async listClusters(options?: {
    signal?: AbortSignal;
  }): Promise<ClusterInfo[]> {
    const res = await this.routes.call('GET', '/v1/clusters', undefined, {
      signal: options?.signal,
    });
    return res.items;
  }

  async getEntityWorkloads(
    entityRef: string,
    options?: { signal?: AbortSignal },
  ): Promise<EntityWorkloadsResponse> {
    const { kind, namespace, name } = parseEntityRef(entityRef);
    return this.routes.call(
      'GET',
      '/v1/entities/:kind/:namespace/:name/workloads',
      { params: { kind, namespace, name }, query: {} },
      { signal: options?.signal },
    );
  }

  async getEntityObjects(
    request: EntityObjectsRequest,
    options?: { signal?: AbortSignal },
  ): Promise<ObjectsResponse> {
    return this.routes.call(
      'POST',
      '/v1/objects/by-entity',
      { body: request },
      { signal: options?.signal },
    );
  }

  async listAudit(
    query: AuditQuery,
    options?: { signal?: AbortSignal },
  ): Promise<AuditListResponse> {
    return this.routes.call(
      'GET',
      '/v1/audit',
      { query },
      { signal: options?.signal },
    );
  }

  async exportAudit(
    query: AuditQuery,
    format: AuditExportFormat,
  ): Promise<{ blob: Blob; filename: string }> {
    const res = await this.routes.open('GET', '/v1/audit', {
      query: { ...query, cursor: undefined, limit: undefined, format },
    });
    const disposition = res.headers.get('Content-Disposition') ?? '';
    const filename =
      /filename="([^"]+)"/.exec(disposition)?.[1] ?? `clusters-audit.${format}`;
    return { blob: await res.blob(), filename };
  }

  watch(
    request: WatchRequest,
    listener: ClustersStreamListener,
    onError?: (error: Error) => void,
  ): ClustersWatch {
    return this.stream.watch(request, listener, onError);
  }

  onConnectionState(
    listener: (state: StreamConnectionState) => void,
  ): () => void {
    return this.stream.onState(listener);
  }

  /** The one place that talks HTTP: resolves the base URL per call and sends through `fetchApi`. */
  private async send(request: RouteRequest): Promise<Response> {
    const { method, path, body, accept, signal } = request;
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (accept) headers.Accept = accept;
    const baseUrl = await this.discoveryApi.getBaseUrl(PLUGIN_ID);
    return this.fetchApi.fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  }
}
