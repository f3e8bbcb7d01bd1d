import { Chip, makeStyles } from '@material-ui/core';
import type { RolloutPhase } from '@careplane/plugin-rollouts-common';

const COLOURS: Record<RolloutPhase, string> = {
  Healthy: '#2e7d32',
  Progressing: '#1565c0',
  Paused: '#ef6c00',
  Degraded: '#c62828',
  Aborted: '#c62828',
  Unknown: '#616161',
};

const useStyles = makeStyles({
  chip: { color: '#fff', fontWeight: 600 },
});

/** The phase in words and colour. */
export function PhaseChip(props: { phase: RolloutPhase; label?: string }) {
  const classes = useStyles();
  return (
    <Chip
      size="small"
      className={classes.chip}
      style={{ backgroundColor: COLOURS[props.phase] }}
      label={props.label ?? props.phase}
    />
  );
}
