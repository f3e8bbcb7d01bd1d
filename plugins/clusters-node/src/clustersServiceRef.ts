import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { DefaultClustersService } from './DefaultClustersService';
import type { ClustersService } from './types';

/**
 * The service ref that feature backends depend on to act on clusters. The default factory calls
 * `clusters-backend` (`/api/clusters`) over HTTP on behalf of the given credentials.
 * @public
 */
export const clustersServiceRef = createServiceRef<ClustersService>({
  id: 'clusters.service',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        auth: coreServices.auth,
        discovery: coreServices.discovery,
      },
      factory({ auth, discovery }) {
        return DefaultClustersService.create({ auth, discovery });
      },
    }),
});
