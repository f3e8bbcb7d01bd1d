import { parseEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import type {
  DiscoveryApi,
  FetchApi,
} from '@backstage/frontend-plugin-api';
import type {
  AuditListResponse,
  AuditQuery,
  ClusterInfo,
  ClustersResponse,
  EntityWorkloadsResponse,
  ObjectsResponse,
  WatchRequest,
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

function auditParams(query: AuditQuery): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  return params;
}

/**
 * Client of `/api/clusters`. Requests go through `fetchApi` (which adds the Backstage token),
 * and so does the SSE stream: EventSource cannot send an Authorization header.
 * @public
 */
export class ClustersClient implements ClustersApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;
  private readonly stream: ClustersStream;

  constructor(options: {
    discoveryApi: DiscoveryApi;
    fetchApi: FetchApi;
    /** Timings of the shared stream (tests shorten them). */
    streamOptions?: ClustersStreamOptions;
  }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
    this.stream = new ClustersStream(
      {
        open: signal =>
          this.request('/v1/stream', {
            signal,
            headers: { Accept: 'text/event-stream' },
            raw: true,
          }),
        putWatch: (streamId, watchId, request) =>
          this.request(
            `/v1/stream/${encodeURIComponent(
              streamId,
            )}/watches/${encodeURIComponent(watchId)}`,
            { method: 'PUT', json: request },
          ),
        deleteWatch: (streamId, watchId) =>
          this.request(
            `/v1/stream/${encodeURIComponent(
              streamId,
            )}/watches/${encodeURIComponent(watchId)}`,
            { method: 'DELETE' },
          ),
      },
      options.streamOptions,
    );
  }

  async listClusters(options?: {
    signal?: AbortSignal;
  }): Promise<ClusterInfo[]> {
    const res = await this.request<ClustersResponse>('/v1/clusters', {
      signal: options?.signal,
    });
    return res.items;
  }

  async getEntityWorkloads(
    entityRef: string,
    options?: { signal?: AbortSignal },
  ): Promise<EntityWorkloadsResponse> {
    const { kind, namespace, name } = parseEntityRef(entityRef);
    return this.request(
      `/v1/entities/${encodeURIComponent(kind)}/${encodeURIComponent(
        namespace,
      )}/${encodeURIComponent(name)}/workloads`,
      { signal: options?.signal },
    );
  }

  async getEntityObjects(
    request: { entityRef: string; kinds: string[]; clusters?: string[] },
    options?: { signal?: AbortSignal },
  ): Promise<ObjectsResponse> {
    return this.request('/v1/objects/by-entity', {
      method: 'POST',
      json: request,
      signal: options?.signal,
    });
  }

  async listAudit(
    query: AuditQuery,
    options?: { signal?: AbortSignal },
  ): Promise<AuditListResponse> {
    return this.request(`/v1/audit?${auditParams(query)}`, {
      signal: options?.signal,
    });
  }

  async exportAudit(
    query: AuditQuery,
    format: AuditExportFormat,
  ): Promise<{ blob: Blob; filename: string }> {
    const params = auditParams({ ...query, cursor: undefined, limit: undefined });
    params.set('format', format);
    const res = await this.request(`/v1/audit?${params}`, { raw: true });
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

  /**
   * The one place that talks HTTP: resolves the base URL per call, sends through `fetchApi`,
   * and turns a non-2xx answer into a `ResponseError` that keeps the server's error.
   */
  private async request<T>(
    path: string,
    init: Omit<RequestInit, 'body'> & { json?: unknown; raw?: false },
  ): Promise<T>;
  private async request(
    path: string,
    init: Omit<RequestInit, 'body'> & { json?: unknown; raw: true },
  ): Promise<Response>;
  private async request<T>(
    path: string,
    init: Omit<RequestInit, 'body'> & { json?: unknown; raw?: boolean },
  ): Promise<T | Response> {
    const { json, raw, headers, ...rest } = init;
    const baseUrl = await this.discoveryApi.getBaseUrl(PLUGIN_ID);
    const res = await this.fetchApi.fetch(`${baseUrl}${path}`, {
      ...rest,
      headers: {
        ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(headers as Record<string, string> | undefined),
      },
      body: json !== undefined ? JSON.stringify(json) : undefined,
    });
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    if (raw) return res;
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }
}
