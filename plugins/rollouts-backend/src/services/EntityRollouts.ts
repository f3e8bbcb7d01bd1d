import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { ClustersService } from '@careplane/plugin-clusters-node';
import {
  EntityRolloutsResponse,
  ROLLOUT_READ_KINDS,
  rolloutsFromObjects,
} from '@careplane/plugin-rollouts-common';

/**
 * An entity's releases on every cluster, from the hub's cache, read with the caller's credentials
 * (the hub checks `clusters.resource.read` on the entity; unknown entity: 404).
 */
export async function entityRollouts(
  clusters: ClustersService,
  entityRef: string,
  credentials: BackstageCredentials,
  only?: string[],
): Promise<EntityRolloutsResponse> {
  const answer = await clusters.getEntityObjects(
    { entityRef, kinds: [...ROLLOUT_READ_KINDS], clusters: only },
    { credentials },
  );
  return { entityRef, clusters: rolloutsFromObjects(answer) };
}
