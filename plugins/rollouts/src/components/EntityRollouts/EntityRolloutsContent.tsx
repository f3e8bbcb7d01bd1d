import { Box, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { Progress, WarningPanel } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { describeError } from '@careplane/plugin-clusters-react';
import type { RolloutAction } from '@careplane/plugin-rollouts-common';
import { useCallback, useState } from 'react';
import { rolloutsApiRef } from '../../api/RolloutsApi';
import { ACTION_LABELS } from '../shared/actionWords';
import { useNow } from '../shared/useNow';
import { ActionDialog, DialogTarget } from './ActionDialog';
import { RolloutPanel } from './RolloutPanel';
import { useEntityRollouts, useGate } from './useEntityRollouts';
import { useActionPermissions } from './useActionPermissions';

const keyOf = (t: {
  cluster: string;
  kind: string;
  namespace: string;
  name: string;
}) => `${t.cluster}/${t.kind}/${t.namespace}/${t.name}`;

/**
 * The entity Rollouts tab: per cluster, every release with its state in words, step progress,
 * weights, pause age, analysis, pods by role, error-budget gate and history, and the actions the
 * person may take now. Live; an open confirm dialog survives updates.
 */
export function EntityRolloutsContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(rolloutsApiRef);
  const now = useNow(5_000);
  const live = useEntityRollouts(entityRef);
  const { gate, error: gateError, refresh: refreshGate } = useGate(entityRef);
  const permissions = useActionPermissions(entityRef);
  const [target, setTarget] = useState<DialogTarget>();
  const [done, setDone] = useState<string>();

  const open = useCallback(
    (
      t: Omit<DialogTarget, 'action' | 'revision'>,
      action: RolloutAction,
      revision?: number,
    ) => {
      setDone(undefined);
      setTarget({ ...t, action, revision });
    },
    [],
  );

  if (live.loading) return <Progress />;
  if (live.error || !live.clusters) {
    return (
      <WarningPanel
        title="Could not load the releases"
        message={describeError(live.error)}
      />
    );
  }
  const current = target
    ? live.clusters
        .find(c => c.cluster === target.cluster)
        ?.rollouts.find(r => keyOf(r) === keyOf(target))
    : undefined;
  const gateOf = (cluster: string) =>
    gate?.clusters.find(c => c.cluster === cluster);

  return (
    <Box>
      <Typography variant="caption" color="textSecondary" component="p">
        Stream: {live.connection.status}
        {live.updatedAt
          ? ` · updated ${new Date(live.updatedAt).toLocaleTimeString()}`
          : ''}
      </Typography>
      {done && (
        <Alert severity="success" onClose={() => setDone(undefined)}>
          {done}
        </Alert>
      )}
      {gateError && (
        <Alert severity="warning">
          Error-budget gate: {describeError(gateError)}
        </Alert>
      )}
      {live.clusters.map(c => (
        <Box key={c.cluster} component="section" aria-label={c.cluster} mt={2}>
          <Typography variant="h5">
            {c.cluster}
            {c.status !== 'ok'
              ? ` (${
                  c.status === 'not-installed'
                    ? 'no rollout kinds here'
                    : c.status
                })`
              : ''}
          </Typography>
          {c.error && c.status !== 'not-installed' && (
            <Typography variant="body2" color="error">
              {c.error}
            </Typography>
          )}
          {c.rollouts.length === 0 ? (
            <Typography variant="body2" color="textSecondary">
              No releases of this entity on {c.cluster}.
            </Typography>
          ) : (
            c.rollouts.map(r => (
              <RolloutPanel
                key={keyOf(r)}
                rollout={r}
                entityRef={entityRef}
                gate={gateOf(c.cluster)}
                sloError={
                  gate?.sloError ?? (gateError && describeError(gateError))
                }
                permissions={permissions}
                now={now}
                onAction={(action, revision) => open(r, action, revision)}
              />
            ))
          )}
        </Box>
      ))}
      {target && (
        <ActionDialog
          key={`${keyOf(target)}/${target.action}`}
          target={target}
          rollout={current}
          gate={gateOf(target.cluster)}
          canOverride={permissions.override}
          onCancel={() => setTarget(undefined)}
          onConfirm={async (reason, overrideGate, revision) => {
            const res = await api.runAction(entityRef, {
              cluster: target.cluster,
              kind: target.kind,
              namespace: target.namespace,
              name: target.name,
              action: target.action,
              reason,
              revision,
              overrideGate: overrideGate || undefined,
            });
            setTarget(undefined);
            refreshGate();
            setDone(
              `${ACTION_LABELS[target.action]} sent for ${target.name} on ${
                target.cluster
              }${res.overridden ? ' (error-budget gate overridden)' : ''}${
                res.warnings.length ? `; ${res.warnings.join('; ')}` : ''
              }.`,
            );
          }}
        />
      )}
    </Box>
  );
}
