import { Box, Button, Tooltip, Typography } from '@material-ui/core';
import type {
  ClusterRollout,
  RolloutAction,
} from '@careplane/plugin-rollouts-common';
import { ACTION_LABELS } from '../shared/actionWords';
import type { ActionPermissions } from './useActionPermissions';

/**
 * The action buttons of one release: enabled only when the action is valid now and the person
 * may take it; otherwise disabled, saying why (tooltip and accessible description).
 */
export function ActionButtons(props: {
  rollout: ClusterRollout;
  entityRef: string;
  permissions: ActionPermissions;
  onAction(action: RolloutAction, revision?: number): void;
}) {
  const { rollout, permissions } = props;
  const previous = rollout.history.find(h => !h.current);
  const anyAllowed = Object.values(permissions.allowed).some(Boolean);
  return (
    <Box>
      <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
        {rollout.actions.map(a => {
          const allowed = permissions.allowed[a.action];
          let why: string | undefined;
          if (permissions.loading) why = 'checking your permissions…';
          else if (!allowed)
            why = `only owners of ${
              props.entityRef
            } and platform admins may ${ACTION_LABELS[a.action].toLowerCase()}`;
          else if (!a.valid) why = a.reason;
          const label =
            a.action === 'undo' && previous
              ? `Undo to revision ${previous.revision}`
              : ACTION_LABELS[a.action];
          const button = (
            <Button
              size="small"
              variant="outlined"
              color={a.action === 'abort' ? 'secondary' : 'primary'}
              disabled={Boolean(why)}
              aria-label={`${label} ${rollout.name} on ${rollout.cluster}`}
              title={why ? `${label}: ${why}` : a.warning}
              onClick={() =>
                props.onAction(
                  a.action,
                  a.action === 'undo' ? previous?.revision : undefined,
                )
              }
            >
              {label}
            </Button>
          );
          return (
            <Tooltip key={a.action} title={why ?? a.warning ?? ''}>
              <span>{button}</span>
            </Tooltip>
          );
        })}
      </Box>
      {!permissions.loading && !anyAllowed && (
        <Typography variant="caption" color="textSecondary" component="p">
          You can look but not act: only owners of {props.entityRef} and
          platform admins may act on its releases.
        </Typography>
      )}
    </Box>
  );
}
