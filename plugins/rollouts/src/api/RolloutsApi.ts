import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  ActionRequest,
  ActionResponse,
  EntityRolloutsResponse,
  GateResponse,
  WaitingQuery,
  WaitingResponse,
} from '@careplane/plugin-rollouts-common';

/**
 * Frontend API of the rollouts plugin (`/api/rollouts`).
 * @public
 */
export interface RolloutsApi {
  /** An entity's releases per cluster (one answer; the tab follows changes over the clusters stream). */
  getEntityRollouts(entityRef: string): Promise<EntityRolloutsResponse>;
  /** The error-budget gate of an entity, per cluster. */
  getGate(entityRef: string, cluster?: string): Promise<GateResponse>;
  /** Runs an action for the signed-in person. */
  runAction(entityRef: string, request: ActionRequest): Promise<ActionResponse>;
  /** The fleet's releases waiting for a person. */
  getWaiting(query?: WaitingQuery): Promise<WaitingResponse>;
}

/**
 * ApiRef of {@link RolloutsApi}.
 * @public
 */
export const rolloutsApiRef = createApiRef<RolloutsApi>({
  id: 'plugin.rollouts.api',
});
