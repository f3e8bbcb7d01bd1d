import {
  ApiBlueprint,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  ClustersClient,
  clustersApiRef,
} from '@careplane/plugin-clusters-react';

/**
 * Provides {@link @careplane/plugin-clusters-react#ClustersApi} to the app: one client, hence
 * one SSE stream, per browser tab.
 * @alpha
 */
export const clustersApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: clustersApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ClustersClient({ discoveryApi, fetchApi }),
    }),
});
