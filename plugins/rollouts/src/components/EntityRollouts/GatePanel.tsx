import { Box, LinearProgress, Typography } from '@material-ui/core';
import type { ClusterGate } from '@careplane/plugin-rollouts-common';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

const WORDS = {
  pass: 'passes',
  block: 'refuses promotion',
  'not-evaluated': 'not evaluated',
} as const;

/** Budget left and burn rates per window pair of one cluster, with the gate's verdict in words. */
export function GatePanel(props: { gate?: ClusterGate; sloError?: string }) {
  const { gate } = props;
  if (props.sloError) {
    return (
      <Typography variant="body2" color="error">
        Error-budget gate not evaluated: {props.sloError}
      </Typography>
    );
  }
  if (!gate) {
    return (
      <Typography variant="body2">no metrics: gate not evaluated</Typography>
    );
  }
  const remaining = gate.remaining;
  const data = gate.pairs.map(p => ({
    name: p.name,
    'long window': Number(p.longBurn.toFixed(2)),
    'short window': Number(p.shortBurn.toFixed(2)),
    threshold: p.threshold,
  }));
  return (
    <Box>
      <Typography
        variant="body2"
        color={gate.decision === 'block' ? 'error' : 'textPrimary'}
      >
        Error-budget gate {WORDS[gate.decision]}: {gate.reason}
      </Typography>
      {remaining !== undefined && (
        <Box display="flex" alignItems="center" style={{ gap: 8 }} mt={1}>
          <Typography variant="caption">Budget left</Typography>
          <Box flex={1}>
            <LinearProgress
              variant="determinate"
              value={Math.max(0, Math.min(100, remaining * 100))}
              color={remaining <= 0 ? 'secondary' : 'primary'}
              aria-label={`Error budget left ${(remaining * 100).toFixed(1)} %`}
            />
          </Box>
          <Typography variant="caption">
            {(remaining * 100).toFixed(1)} %
          </Typography>
        </Box>
      )}
      {data.length > 0 && (
        <Box height={160} mt={1} aria-label="Burn rate per window pair">
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={data}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="name" />
              <YAxis />
              <Tooltip />
              <Legend />
              <Bar dataKey="long window" fill="#1565c0" />
              <Bar dataKey="short window" fill="#64b5f6" />
              <Bar dataKey="threshold" fill="#c62828" />
            </BarChart>
          </ResponsiveContainer>
        </Box>
      )}
    </Box>
  );
}
