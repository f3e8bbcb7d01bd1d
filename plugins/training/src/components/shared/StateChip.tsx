import { Chip, makeStyles, Tooltip } from '@material-ui/core';
import type { RunPhase, RunState } from '@careplane/plugin-training-common';

const COLOURS: Record<RunPhase, string> = {
  submitted: '#616161',
  queued: '#ef6c00',
  starting: '#1565c0',
  running: '#1565c0',
  succeeded: '#2e7d32',
  failed: '#c62828',
  cancelled: '#616161',
  preempted: '#ad1457',
  suspended: '#616161',
};

const WORDS: Record<RunPhase, string> = {
  submitted: 'Submitted',
  queued: 'Queued',
  starting: 'Starting',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  preempted: 'Preempted',
  suspended: 'Suspended',
};

const useStyles = makeStyles({ chip: { color: '#fff', fontWeight: 600 } });

/** The phase in words (with the reason and queue position) and colour; the message on hover. */
export function StateChip(props: { state: RunState }) {
  const classes = useStyles();
  const { phase, reason, position } = props.state;
  const label = [
    WORDS[phase],
    reason && phase !== 'succeeded' && phase !== 'cancelled'
      ? `(${reason})`
      : '',
    position ? `#${position} in queue` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <Tooltip title={props.state.message}>
      <Chip
        size="small"
        className={classes.chip}
        style={{ backgroundColor: COLOURS[phase] }}
        label={label}
        aria-label={props.state.message}
      />
    </Tooltip>
  );
}

/** Phases in the order people think of them, for filters. */
export const PHASES: RunPhase[] = Object.keys(WORDS) as RunPhase[];
