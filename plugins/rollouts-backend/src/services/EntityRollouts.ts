import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { clustersResourceReadPermission } from '@careplane/plugin-clusters-common';
import type { ClustersService } from '@careplane/plugin-clusters-node';
import {
  EntityRolloutsResponse,
  ROLLOUT_READ_KINDS,
  rolloutsFromObjects,
} from '@careplane/plugin-rollouts-common';
import type { EntityOwners } from './EntityOwners';
import type { FleetIndex } from './FleetIndex';

/** What an entity's status is read from. */
export interface EntityRolloutsDeps {
  clusters: ClustersService;
  fleet: FleetIndex;
  owners: EntityOwners;
  permissions: PermissionsService;
}

/**
 * An entity's releases on every cluster. From the fleet index when it is filled and the entity's
 * objects are exactly those with its id (after the person's `clusters.resource.read` on the
 * entity, the check the hub makes); otherwise from the hub's cache with the person's credentials
 * (the hub checks, and answers 404 for an unknown entity, 400 for an unknown cluster). Both give
 * the same objects; the index saves the round trip to the hub.
 */
export async function entityRollouts(
  deps: EntityRolloutsDeps,
  entityRef: string,
  credentials: BackstageCredentials,
  only?: string[],
): Promise<EntityRolloutsResponse> {
  const { fleet } = deps;
  if (!fleet.isReady) fleet.ensureStarted().catch(() => {});
  const known = fleet.isReady ? deps.owners.byEntity(entityRef) : undefined;
  const clusters = fleet.isReady
    ? fleet.entityObjects('', undefined).clusters.map(c => c.cluster)
    : [];
  const fast = known?.plain && (!only || only.every(c => clusters.includes(c)));
  if (known && fast) {
    const [d] = await deps.permissions.authorize(
      [{ permission: clustersResourceReadPermission, resourceRef: entityRef }],
      { credentials },
    );
    if (d.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed: ${clustersResourceReadPermission.name} on ${entityRef}`,
      );
    }
    return {
      entityRef,
      clusters: rolloutsFromObjects(
        fleet.entityObjects(known.kubernetesId, only),
      ),
    };
  }
  const answer = await deps.clusters.getEntityObjects(
    { entityRef, kinds: [...ROLLOUT_READ_KINDS], clusters: only },
    { credentials },
  );
  return { entityRef, clusters: rolloutsFromObjects(answer) };
}
