import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  createRouteClient,
  RouteClient,
} from '@careplane/plugin-clusters-common';
import type { TrainingRoutes } from '@careplane/plugin-training-common';

/**
 * A client of `/api/training` for other backend plugins (the scaffolder module), typed from the
 * contract, calling on behalf of the given credentials so the training plugin checks and audits
 * the person.
 * @internal
 */
export function trainingApiClient(
  deps: { discovery: DiscoveryService; auth: AuthService },
  credentials: BackstageCredentials,
): RouteClient<TrainingRoutes> {
  return createRouteClient<TrainingRoutes>(
    async ({ method, path, body, accept, signal }) => {
      const baseUrl = await deps.discovery.getBaseUrl('training');
      const { token } = await deps.auth.getPluginRequestToken({
        onBehalfOf: credentials,
        targetPluginId: 'training',
      });
      return fetch(`${baseUrl}${path}`, {
        method,
        signal,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...(accept ? { Accept: accept } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    },
  );
}
