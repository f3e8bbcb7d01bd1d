import type { Permission } from '@backstage/plugin-permission-common';
import {
  rolloutsAbortPermission,
  rolloutsPausePermission,
  rolloutsPromotePermission,
  rolloutsRestartPermission,
  rolloutsResumePermission,
  rolloutsRetryPermission,
  rolloutsUndoPermission,
} from '../permissions';

/**
 * The actions on a release.
 * @public
 */
export const ROLLOUT_ACTIONS = [
  'promote',
  'promote-full',
  'abort',
  'retry',
  'restart',
  'pause',
  'resume',
  'undo',
] as const;

/**
 * One action on a release.
 * @public
 */
export type RolloutAction = (typeof ROLLOUT_ACTIONS)[number];

/**
 * The permission each action needs (on the owning entity).
 * @public
 */
export const ACTION_PERMISSIONS: Record<RolloutAction, Permission> = {
  promote: rolloutsPromotePermission,
  'promote-full': rolloutsPromotePermission,
  abort: rolloutsAbortPermission,
  retry: rolloutsRetryPermission,
  restart: rolloutsRestartPermission,
  pause: rolloutsPausePermission,
  resume: rolloutsResumePermission,
  undo: rolloutsUndoPermission,
};

/**
 * Whether the error-budget gate applies to an action (it moves a new revision towards users).
 * @public
 */
export function isGatedAction(action: RolloutAction): boolean {
  return action === 'promote' || action === 'promote-full';
}

/**
 * One request an action sends through the gateway (`ClustersService.patch`).
 * @public
 */
export interface PlannedPatch {
  kind: string;
  namespace: string;
  name: string;
  /** `status` for the status subresource, absent for the object itself. */
  subresource?: 'status';
  patchType: 'merge' | 'json';
  patch: Record<string, unknown> | unknown[];
}

/**
 * Whether an action may be taken now, and why not.
 * @public
 */
export type Precondition =
  | { ok: true; warning?: string }
  | { ok: false; reason: string };
