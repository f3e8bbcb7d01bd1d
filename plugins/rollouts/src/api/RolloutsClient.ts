import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  createRouteClient,
  RouteRequest,
} from '@careplane/plugin-clusters-common';
import type {
  ActionRequest,
  ActionResponse,
  EntityRolloutsResponse,
  GateResponse,
  RolloutsRoutes,
  WaitingQuery,
  WaitingResponse,
} from '@careplane/plugin-rollouts-common';
import type { RolloutsApi } from './RolloutsApi';

function entityParams(entityRef: string) {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return { kind, namespace, name };
}

/**
 * {@link RolloutsApi} over `fetchApi` (the Backstage token is sent), typed from the contract's
 * route table (`RolloutsRoutes`, types only: no zod in the bundle).
 * @public
 */
export class RolloutsClient implements RolloutsApi {
  private readonly routes = createRouteClient<RolloutsRoutes>(r =>
    this.send(r),
  );

  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  getEntityRollouts(entityRef: string): Promise<EntityRolloutsResponse> {
    return this.routes.call(
      'GET',
      '/v1/entities/:kind/:namespace/:name/rollouts',
      {
        params: entityParams(entityRef),
        query: { clusters: undefined },
      },
    );
  }

  getGate(entityRef: string, cluster?: string): Promise<GateResponse> {
    return this.routes.call('GET', '/v1/entities/:kind/:namespace/:name/gate', {
      params: entityParams(entityRef),
      query: { cluster },
    });
  }

  runAction(
    entityRef: string,
    request: ActionRequest,
  ): Promise<ActionResponse> {
    return this.routes.call(
      'POST',
      '/v1/entities/:kind/:namespace/:name/actions',
      {
        params: entityParams(entityRef),
        body: request,
      },
    );
  }

  getWaiting(query: WaitingQuery = {}): Promise<WaitingResponse> {
    return this.routes.call('GET', '/v1/waiting', { query });
  }

  private async send(request: RouteRequest): Promise<Response> {
    const { method, path, body, signal } = request;
    const base = await this.options.discoveryApi.getBaseUrl('rollouts');
    return this.options.fetchApi.fetch(`${base}${path}`, {
      method,
      headers:
        body === undefined ? undefined : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  }
}
