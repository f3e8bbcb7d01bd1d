import {
  Box,
  LinearProgress,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import type {
  AnalysisResult,
  ClusterRollout,
} from '@careplane/plugin-rollouts-common';
import { Line, LineChart } from 'recharts';
import { formatDuration, since } from '../shared/format';

/** Step i of n as a progress bar with words. */
export function StepProgress(props: { rollout: ClusterRollout }) {
  const { step } = props.rollout;
  if (!step) return null;
  const pct = step.total > 0 ? (step.index / step.total) * 100 : 0;
  const text = `Step ${step.index} of ${step.total}${
    step.description ? `: ${step.description}` : ''
  }`;
  return (
    <Box my={1}>
      <Typography variant="body2">{text}</Typography>
      <LinearProgress variant="determinate" value={pct} aria-label={text} />
    </Box>
  );
}

/** Set vs actual weight and the pause with its age. */
export function WeightsAndPause(props: {
  rollout: ClusterRollout;
  now: number;
}) {
  const { weights, pause } = props.rollout;
  const age = since(pause?.since, props.now);
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 24 }} my={1}>
      {weights && (
        <Typography variant="body2">
          Weight: set {weights.set ?? '–'} %, actual {weights.actual ?? '–'} %
        </Typography>
      )}
      {pause && (
        <Typography variant="body2">
          Paused{age !== undefined ? ` for ${formatDuration(age)}` : ''} (
          {pause.reason})
          {pause.needsHuman ? ': waiting for a person' : ': resumes by itself'}
        </Typography>
      )}
    </Box>
  );
}

/** Pods by role. */
export function PodsByRole(props: { rollout: ClusterRollout }) {
  return (
    <Table size="small" aria-label={`Pods of ${props.rollout.name} by role`}>
      <TableHead>
        <TableRow>
          <TableCell>Role</TableCell>
          <TableCell>Revision</TableCell>
          <TableCell>Ready / pods</TableCell>
          <TableCell>Available</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.rollout.pods.map(p => (
          <TableRow key={`${p.role}-${p.revision ?? ''}`}>
            <TableCell>{p.role}</TableCell>
            <TableCell>{p.revision ?? '–'}</TableCell>
            <TableCell>
              {p.ready}/{p.replicas}
            </TableCell>
            <TableCell>{p.available}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function Sparkline(props: { values: number[]; label: string }) {
  if (props.values.length < 2) return null;
  return (
    <span aria-label={props.label}>
      <LineChart width={120} height={28} data={props.values.map(v => ({ v }))}>
        <Line
          type="monotone"
          dataKey="v"
          stroke="#1565c0"
          dot={false}
          isAnimationActive={false}
        />
      </LineChart>
    </span>
  );
}

/** Analysis runs with results per metric and a small chart of the measurements. */
export function AnalysisResults(props: { runs: AnalysisResult[] }) {
  if (props.runs.length === 0) return null;
  return (
    <Box my={1}>
      <Typography variant="subtitle2">Analysis</Typography>
      {props.runs.map(run => (
        <Box key={run.name} mb={1}>
          <Typography variant="body2">
            {run.name}: {run.phase}
            {run.message ? ` (${run.message})` : ''}
          </Typography>
          {run.metrics.map(m => (
            <Box
              key={m.name}
              display="flex"
              alignItems="center"
              style={{ gap: 12 }}
            >
              <Typography variant="caption">
                {m.name}: {m.phase}, {m.successful} passed, {m.failed} failed,{' '}
                {m.inconclusive} inconclusive, {m.error} errors
              </Typography>
              <Sparkline
                label={`${m.name} measurements`}
                values={m.measurements
                  .map(x => Number(x.value))
                  .filter(Number.isFinite)}
              />
            </Box>
          ))}
        </Box>
      ))}
    </Box>
  );
}

/** Revision history, newest first. */
export function RevisionHistory(props: {
  rollout: ClusterRollout;
  now: number;
}) {
  if (props.rollout.history.length === 0) return null;
  return (
    <Table size="small" aria-label={`Revisions of ${props.rollout.name}`}>
      <TableHead>
        <TableRow>
          <TableCell>Revision</TableCell>
          <TableCell>Images</TableCell>
          <TableCell>Created</TableCell>
          <TableCell>Change cause</TableCell>
          <TableCell>Pods</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.rollout.history.map(h => {
          const age = since(h.createdAt, props.now);
          return (
            <TableRow key={h.revision} selected={h.current}>
              <TableCell>
                {h.revision}
                {h.current ? ' (current)' : ''}
              </TableCell>
              <TableCell>
                {h.images.map(i => i.split('=')[1]).join(', ')}
              </TableCell>
              <TableCell>
                {age !== undefined ? `${formatDuration(age)} ago` : '–'}
              </TableCell>
              <TableCell>{h.changeCause ?? 'not recorded'}</TableCell>
              <TableCell>{h.replicas}</TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
