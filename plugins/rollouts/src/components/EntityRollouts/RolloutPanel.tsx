import { Box, Paper, Typography } from '@material-ui/core';
import type {
  ClusterGate,
  ClusterRollout,
  RolloutAction,
} from '@careplane/plugin-rollouts-common';
import { PhaseChip } from '../shared/PhaseChip';
import { ActionButtons } from './ActionButtons';
import { GatePanel } from './GatePanel';
import {
  AnalysisResults,
  PodsByRole,
  RevisionHistory,
  StepProgress,
  WeightsAndPause,
} from './ReleaseDetails';
import type { ActionPermissions } from './useActionPermissions';

/** One release on one cluster: phase in words, progress, weights, pause, pods, analysis, gate, history, actions. */
export function RolloutPanel(props: {
  rollout: ClusterRollout;
  entityRef: string;
  gate?: ClusterGate;
  sloError?: string;
  permissions: ActionPermissions;
  now: number;
  onAction(action: RolloutAction, revision?: number): void;
}) {
  const { rollout } = props;
  const progressive = rollout.kind === 'Rollout' || rollout.kind === 'Canary';
  return (
    <Paper variant="outlined" style={{ padding: 16, marginBottom: 16 }}>
      <Box
        display="flex"
        alignItems="center"
        style={{ gap: 12 }}
        flexWrap="wrap"
      >
        <Typography variant="h6">
          {rollout.kind} {rollout.namespace}/{rollout.name}
        </Typography>
        <PhaseChip phase={rollout.phase} />
        <Typography variant="caption" color="textSecondary">
          {rollout.strategy}
          {rollout.revision ? ` · revision ${rollout.revision}` : ''}
          {rollout.images.length
            ? ` · ${rollout.images.map(i => i.split('=')[1]).join(', ')}`
            : ''}
        </Typography>
      </Box>
      <Typography
        variant="body1"
        aria-label={`Status of ${rollout.name} on ${rollout.cluster}`}
      >
        {rollout.message}
      </Typography>
      <StepProgress rollout={rollout} />
      <WeightsAndPause rollout={rollout} now={props.now} />
      <ActionButtons
        rollout={rollout}
        entityRef={props.entityRef}
        permissions={props.permissions}
        onAction={props.onAction}
      />
      <Box mt={2}>
        <PodsByRole rollout={rollout} />
      </Box>
      <AnalysisResults runs={rollout.analysis} />
      {progressive && (
        <Box mt={2}>
          <GatePanel gate={props.gate} sloError={props.sloError} />
        </Box>
      )}
      <Box mt={2}>
        <RevisionHistory rollout={rollout} now={props.now} />
      </Box>
    </Paper>
  );
}
