import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  type ApplyRequest,
  type ClusterInfo,
  type ClustersRoutes,
  type ClustersStreamEvent,
  type CreateNamespaceRequest,
  type CreateNamespaceResult,
  createRouteClient,
  type DeleteRequest,
  type EntityObjectsRequest,
  type MetricsQueryRequest,
  type MetricsQueryResponse,
  type ObjectsQuery,
  type ObjectsResponse,
  type PatchRequest,
  type PodLogsRequest,
  type RouteClient,
  type WatchRequest,
  type WriteResult,
} from '@careplane/plugin-clusters-common';
import type {
  ClustersCallOptions,
  ClustersService,
  ClustersSubscription,
} from './types';
import { streamTransport, subscribeToStream } from './stream/subscribe';

const PLUGIN_ID = 'clusters';

/**
 * The default {@link ClustersService}: calls clusters-backend over HTTP with a plugin request
 * token on behalf of the given credentials, so the gateway (and its single cache) lives in one
 * place per backend process, and its permission checks see the original caller.
 * @internal
 */
export class DefaultClustersService implements ClustersService {
  private readonly discovery: DiscoveryService;
  private readonly auth: AuthService;

  static create(options: { discovery: DiscoveryService; auth: AuthService }) {
    return new DefaultClustersService(options.discovery, options.auth);
  }

  private constructor(discovery: DiscoveryService, auth: AuthService) {
    this.discovery = discovery;
    this.auth = auth;
  }

  async listClusters(options: ClustersCallOptions): Promise<ClusterInfo[]> {
    const res = await this.routes(options).call('GET', '/v1/clusters');
    return res.items;
  }

  async getEntityObjects(
    request: EntityObjectsRequest,
    options: ClustersCallOptions,
  ): Promise<ObjectsResponse> {
    return this.routes(options).call('POST', '/v1/objects/by-entity', {
      body: request,
    });
  }

  async getObjects(
    query: ObjectsQuery,
    options: ClustersCallOptions,
  ): Promise<ObjectsResponse> {
    return this.routes(options).call('POST', '/v1/objects/query', {
      body: query,
    });
  }

  async apply(
    request: ApplyRequest,
    options: ClustersCallOptions,
  ): Promise<WriteResult> {
    return this.routes(options).call('POST', '/v1/apply', { body: request });
  }

  async patch(
    request: PatchRequest,
    options: ClustersCallOptions,
  ): Promise<WriteResult> {
    return this.routes(options).call('POST', '/v1/patch', { body: request });
  }

  async createNamespace(
    request: CreateNamespaceRequest,
    options: ClustersCallOptions,
  ): Promise<CreateNamespaceResult> {
    return this.routes(options).call('POST', '/v1/namespaces', {
      body: request,
    });
  }

  async delete(
    request: DeleteRequest,
    options: ClustersCallOptions,
  ): Promise<WriteResult> {
    return this.routes(options).call('POST', '/v1/delete', { body: request });
  }

  async getPodLogs(
    request: Omit<PodLogsRequest, 'follow'>,
    options: ClustersCallOptions,
  ): Promise<string> {
    const res = await this.routes(options).open('GET', '/v1/logs', {
      query: request,
    });
    return res.text();
  }

  async queryMetrics(
    request: MetricsQueryRequest,
    options: ClustersCallOptions,
  ): Promise<MetricsQueryResponse> {
    return this.routes(options).call('POST', '/v1/metrics/query', {
      body: request,
    });
  }

  subscribe(
    request: WatchRequest,
    listener: (event: ClustersStreamEvent) => void,
    options: ClustersCallOptions,
  ): ClustersSubscription {
    return subscribeToStream(
      streamTransport(this.routes(options)),
      request,
      listener,
    );
  }

  /** The contract's routes, called with a plugin request token on behalf of the caller. */
  private routes(options: ClustersCallOptions): RouteClient<ClustersRoutes> {
    return createRouteClient<ClustersRoutes>(
      ({ method, path, body, accept, signal }) =>
        this.fetch(method, path, options.credentials, body, { signal, accept }),
    );
  }

  private async fetch(
    method: string,
    path: string,
    credentials: BackstageCredentials,
    body?: unknown,
    extra?: { signal?: AbortSignal; accept?: string },
  ): Promise<Response> {
    const baseUrl = await this.discovery.getBaseUrl(PLUGIN_ID);
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: PLUGIN_ID,
    });
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (extra?.accept) headers.Accept = extra.accept;
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: extra?.signal,
    });
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return res;
  }
}
