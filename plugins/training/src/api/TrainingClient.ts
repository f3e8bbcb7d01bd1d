import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import {
  createRouteClient,
  RouteClient,
} from '@careplane/plugin-clusters-common';
import type { TrainingRoutes } from '@careplane/plugin-training-common';
import type { TrainingApi } from './TrainingApi';

/**
 * {@link TrainingApi} over `fetchApi`, typed from the training contract (types only: no zod in
 * the browser bundle).
 * @public
 */
export class TrainingClient implements TrainingApi {
  private readonly routes: RouteClient<TrainingRoutes>;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.routes = createRouteClient<TrainingRoutes>(
      async ({ method, path, body, accept, signal }) => {
        const base = await options.discoveryApi.getBaseUrl('training');
        return options.fetchApi.fetch(`${base}${path}`, {
          method,
          signal,
          headers: {
            ...(body === undefined
              ? {}
              : { 'Content-Type': 'application/json' }),
            ...(accept ? { Accept: accept } : {}),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      },
    );
  }

  gpuTypes() {
    return this.routes.call('GET', '/v1/gpu-types');
  }

  listRuns(query: Parameters<TrainingApi['listRuns']>[0] = {}) {
    return this.routes.call('GET', '/v1/runs', { query });
  }

  launch(request: Parameters<TrainingApi['launch']>[0]) {
    return this.routes.call('POST', '/v1/runs', { body: request });
  }

  getRun(id: string) {
    return this.routes.call('GET', '/v1/runs/:id', { params: { id } });
  }

  cancel(id: string, reason: string) {
    return this.routes.call('POST', '/v1/runs/:id/cancel', {
      params: { id },
      body: { reason },
    });
  }

  async pods(id: string) {
    return (
      await this.routes.call('GET', '/v1/runs/:id/pods', { params: { id } })
    ).items;
  }

  async logs(id: string, query: Parameters<TrainingApi['logs']>[1]) {
    const res = await this.routes.open(
      'GET',
      '/v1/runs/:id/logs',
      {
        params: { id },
        query: { ...query, previous: query.previous ?? false },
      },
      { accept: 'text/plain' },
    );
    return res.text();
  }

  gpu(id: string) {
    return this.routes.call('GET', '/v1/runs/:id/gpu', { params: { id } });
  }

  quota() {
    return this.routes.call('GET', '/v1/quota');
  }

  usage() {
    return this.routes.call('GET', '/v1/usage');
  }
}
