import { usePermission } from '@backstage/plugin-permission-react';
import {
  ACTION_PERMISSIONS,
  ROLLOUT_ACTIONS,
  RolloutAction,
  rolloutsAbortPermission,
  rolloutsGateOverridePermission,
  rolloutsPausePermission,
  rolloutsPromotePermission,
  rolloutsRestartPermission,
  rolloutsResumePermission,
  rolloutsRetryPermission,
  rolloutsUndoPermission,
} from '@careplane/plugin-rollouts-common';

/** Whether the signed-in person may take each action on the entity (and override the gate). */
export interface ActionPermissions {
  loading: boolean;
  allowed: Record<RolloutAction, boolean>;
  override: boolean;
}

/** The person's rollout permissions on an entity (the backend checks them again on every action). */
export function useActionPermissions(entityRef: string): ActionPermissions {
  // one hook per permission, always in the same order
  const results = {
    [rolloutsPromotePermission.name]: usePermission({
      permission: rolloutsPromotePermission,
      resourceRef: entityRef,
    }),
    [rolloutsAbortPermission.name]: usePermission({
      permission: rolloutsAbortPermission,
      resourceRef: entityRef,
    }),
    [rolloutsRetryPermission.name]: usePermission({
      permission: rolloutsRetryPermission,
      resourceRef: entityRef,
    }),
    [rolloutsRestartPermission.name]: usePermission({
      permission: rolloutsRestartPermission,
      resourceRef: entityRef,
    }),
    [rolloutsPausePermission.name]: usePermission({
      permission: rolloutsPausePermission,
      resourceRef: entityRef,
    }),
    [rolloutsResumePermission.name]: usePermission({
      permission: rolloutsResumePermission,
      resourceRef: entityRef,
    }),
    [rolloutsUndoPermission.name]: usePermission({
      permission: rolloutsUndoPermission,
      resourceRef: entityRef,
    }),
  };
  const override = usePermission({
    permission: rolloutsGateOverridePermission,
    resourceRef: entityRef,
  });
  const allowed = Object.fromEntries(
    ROLLOUT_ACTIONS.map(a => [a, results[ACTION_PERMISSIONS[a].name].allowed]),
  ) as Record<RolloutAction, boolean>;
  return {
    loading: Object.values(results).some(r => r.loading) || override.loading,
    allowed,
    override: override.allowed,
  };
}
