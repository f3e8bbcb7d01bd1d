import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { ClustersOptions, readClustersConfig } from '../config';
import { ClusterRegistry } from '../services/ClusterRegistry/ClusterRegistry';
import type { FakeApiServer } from './FakeApiServer';

/**
 * A registry with one cluster, `c1`, served by `api` (a FakeApiServer on msw), with the default
 * options of an empty `clusters` config (and `overrides`).
 */
export async function oneClusterRegistry(
  api: FakeApiServer,
  overrides: Partial<ClustersOptions> = {},
) {
  const { options } = readClustersConfig(new ConfigReader({}));
  const logger = mockServices.logger.mock();
  const registry = await ClusterRegistry.create({
    configured: [
      {
        name: 'c1',
        url: api.baseUrl,
        auth: { type: 'serviceAccountToken', token: api.token },
      },
    ],
    suppliers: [],
    clustersOptions: { ...options, ...overrides },
    logger,
  });
  return { registry, options, logger };
}

/** A catalog Component whose objects carry `backstage.io/kubernetes-id: <name>`. */
export function componentEntity(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'backstage.io/kubernetes-id': name },
    },
    spec: {
      type: 'service',
      owner: 'group:default/x',
      lifecycle: 'production',
    },
  };
}
