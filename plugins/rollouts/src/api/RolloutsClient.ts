import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import type {
  ActionRequest,
  ActionResponse,
  EntityRolloutsResponse,
  GateResponse,
  WaitingQuery,
  WaitingResponse,
} from '@careplane/plugin-rollouts-common';
import type { RolloutsApi } from './RolloutsApi';

function entityPath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/v1/entities/${encodeURIComponent(kind)}/${encodeURIComponent(
    namespace,
  )}/${encodeURIComponent(name)}`;
}

/**
 * {@link RolloutsApi} over `fetchApi` (the Backstage token is sent).
 * @public
 */
export class RolloutsClient implements RolloutsApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  getEntityRollouts(entityRef: string): Promise<EntityRolloutsResponse> {
    return this.request(`${entityPath(entityRef)}/rollouts`);
  }

  getGate(entityRef: string, cluster?: string): Promise<GateResponse> {
    const q = cluster ? `?${new URLSearchParams({ cluster })}` : '';
    return this.request(`${entityPath(entityRef)}/gate${q}`);
  }

  runAction(
    entityRef: string,
    request: ActionRequest,
  ): Promise<ActionResponse> {
    return this.request(`${entityPath(entityRef)}/actions`, {
      method: 'POST',
      body: request,
    });
  }

  getWaiting(query: WaitingQuery = {}): Promise<WaitingResponse> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v) params.set(k, String(v));
    const q = params.toString();
    return this.request(`/v1/waiting${q ? `?${q}` : ''}`);
  }

  private async request<T>(
    path: string,
    init?: { method: string; body: unknown },
  ): Promise<T> {
    const base = await this.options.discoveryApi.getBaseUrl('rollouts');
    const res = await this.options.fetchApi.fetch(`${base}${path}`, {
      method: init?.method ?? 'GET',
      headers: init ? { 'Content-Type': 'application/json' } : undefined,
      body: init ? JSON.stringify(init.body) : undefined,
    });
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return (await res.json()) as T;
  }
}
