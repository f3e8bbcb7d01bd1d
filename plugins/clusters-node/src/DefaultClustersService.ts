import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  ApplyRequest,
  ClusterInfo,
  ClustersResponse,
  ClustersStreamEvent,
  CreateNamespaceRequest,
  CreateNamespaceResult,
  DeleteRequest,
  KindDescriptor,
  MetricsQueryRequest,
  MetricsQueryResponse,
  ObjectsQuery,
  ObjectsResponse,
  PatchRequest,
  PodLogsRequest,
  WatchRequest,
  WriteResult,
} from '@careplane/plugin-clusters-common';
import type {
  ClustersCallOptions,
  ClustersService,
  ClustersSubscription,
} from './types';

const PLUGIN_ID = 'clusters';

/**
 * Splits an SSE byte stream into events. Comments (heartbeats) are skipped.
 * @internal
 */
export async function* readSseEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<{ event: string; data: string }> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let sep = buffer.indexOf('\n\n');
    while (sep >= 0) {
      const block = buffer.slice(0, sep);
      buffer = buffer.slice(sep + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length) yield { event, data: data.join('\n') };
      sep = buffer.indexOf('\n\n');
    }
  }
}

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
    const res = await this.request<ClustersResponse>(
      'GET',
      '/v1/clusters',
      options,
    );
    return res.items;
  }

  async getEntityObjects(
    request: { entityRef: string; kinds: string[]; clusters?: string[] },
    options: ClustersCallOptions,
  ): Promise<ObjectsResponse> {
    return this.request('POST', '/v1/objects/by-entity', options, request);
  }

  async getObjects(
    query: ObjectsQuery,
    options: ClustersCallOptions,
  ): Promise<ObjectsResponse> {
    return this.request('POST', '/v1/objects/query', options, query);
  }

  async apply(
    request: ApplyRequest,
    options: ClustersCallOptions,
  ): Promise<WriteResult> {
    return this.request('POST', '/v1/apply', options, request);
  }

  async patch(
    request: PatchRequest,
    options: ClustersCallOptions,
  ): Promise<WriteResult> {
    return this.request('POST', '/v1/patch', options, request);
  }

  async createNamespace(
    request: CreateNamespaceRequest,
    options: ClustersCallOptions,
  ): Promise<CreateNamespaceResult> {
    return this.request('POST', '/v1/namespaces', options, request);
  }

  async delete(
    request: DeleteRequest,
    options: ClustersCallOptions,
  ): Promise<WriteResult> {
    return this.request('POST', '/v1/delete', options, request);
  }

  async getPodLogs(
    request: Omit<PodLogsRequest, 'follow'>,
    options: ClustersCallOptions,
  ): Promise<string> {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(request)) {
      if (value !== undefined) query.set(key, String(value));
    }
    const res = await this.fetch(
      'GET',
      `/v1/logs?${query}`,
      options.credentials,
    );
    return res.text();
  }

  async queryMetrics(
    request: MetricsQueryRequest,
    options: ClustersCallOptions,
  ): Promise<MetricsQueryResponse> {
    return this.request('POST', '/v1/metrics/query', options, request);
  }

  async registerKinds(
    kinds: KindDescriptor[],
    options: ClustersCallOptions,
  ): Promise<void> {
    await this.request('POST', '/v1/kinds', options, { kinds });
  }

  subscribe(
    request: WatchRequest,
    listener: (event: ClustersStreamEvent) => void,
    options: ClustersCallOptions,
  ): ClustersSubscription {
    const controller = new AbortController();
    const watchId = 'w1';
    let resolveReady: () => void = () => {};
    let rejectReady: (e: Error) => void = () => {};
    const ready = new Promise<void>((resolve, reject) => {
      resolveReady = resolve;
      rejectReady = reject;
    });
    ready.catch(() => {}); // callers that ignore `ready` must not see an unhandled rejection
    let connectedOnce = false;

    const run = async () => {
      let attempt = 0;
      while (!controller.signal.aborted) {
        try {
          const res = await this.fetch(
            'GET',
            '/v1/stream',
            options.credentials,
            undefined,
            {
              signal: controller.signal,
              accept: 'text/event-stream',
            },
          );
          for await (const { event, data } of readSseEvents(res.body as any)) {
            const parsed = JSON.parse(data) as ClustersStreamEvent;
            if (event === 'ready' && parsed.type === 'ready') {
              await this.request(
                'PUT',
                `/v1/stream/${encodeURIComponent(
                  parsed.streamId,
                )}/watches/${watchId}`,
                options,
                request,
              );
              attempt = 0;
              if (connectedOnce) {
                listener({ type: 'resync', watchId, cluster: '*', kind: '*' });
              }
              connectedOnce = true;
              resolveReady();
            } else {
              listener(parsed);
            }
          }
        } catch (e) {
          if (controller.signal.aborted) return;
          if (!connectedOnce) {
            rejectReady(e as Error);
            return;
          }
        }
        // the stream ended or broke: reconnect with a fresh token, backing off
        attempt++;
        const delayMs = Math.min(30_000, 500 * 2 ** attempt);
        await new Promise(r => setTimeout(r, delayMs));
      }
    };
    run();
    return { ready, unsubscribe: () => controller.abort() };
  }

  private async request<T>(
    method: string,
    path: string,
    options: ClustersCallOptions,
    body?: unknown,
  ): Promise<T> {
    const res = await this.fetch(method, path, options.credentials, body);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
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
