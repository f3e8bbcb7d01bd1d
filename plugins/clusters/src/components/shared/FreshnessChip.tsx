import { Chip, makeStyles, Tooltip } from '@material-ui/core';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import CloudOffIcon from '@material-ui/icons/CloudOff';
import RemoveCircleOutlineIcon from '@material-ui/icons/RemoveCircleOutline';
import ScheduleIcon from '@material-ui/icons/Schedule';
import SyncIcon from '@material-ui/icons/Sync';
import type { ClusterResult } from '@careplane/plugin-clusters-common';
import { formatDuration, since } from './format';

const useStyles = makeStyles(theme => ({
  ok: {
    borderColor: theme.palette.success.main,
    '& svg': { color: theme.palette.success.main },
  },
  stale: {
    borderColor: theme.palette.warning.main,
    '& svg': { color: theme.palette.warning.main },
  },
  unavailable: {
    borderColor: theme.palette.error.main,
    '& svg': { color: theme.palette.error.main },
    maxWidth: '100%',
  },
  notInstalled: {},
  syncing: {
    borderColor: theme.palette.info.main,
    '& svg': { color: theme.palette.info.main },
  },
  label: { whiteSpace: 'normal' },
}));

/**
 * The words for a cluster's freshness: `live`, `stale 2m`,
 * `cluster cloud-west unreachable: <reason>`, `syncing: first sync under way` (no data yet,
 * neither live nor an error) or `not installed`.
 */
export function freshnessText(result: ClusterResult, now: number): string {
  switch (result.status) {
    case 'ok':
      return 'live';
    case 'stale': {
      const age = since(result.syncedAt, now) ?? result.ageMs;
      const text = age === undefined ? 'stale' : `stale ${formatDuration(age)}`;
      // the cache still answers, but the cluster may be down: say so
      return result.error
        ? `${text}: cluster ${result.cluster} unreachable: ${result.error.message}`
        : text;
    }
    case 'unavailable':
      return `cluster ${result.cluster} unreachable: ${
        result.error?.message ?? 'no answer'
      }`;
    case 'syncing':
      return 'syncing: first sync under way';
    default:
      return 'not installed';
  }
}

/** A chip saying, in words and not only colour, how fresh a cluster's data is. */
export function FreshnessChip(props: { result: ClusterResult; now: number }) {
  const { result, now } = props;
  const classes = useStyles();
  const text = freshnessText(result, now);
  const icon = {
    ok: <CheckCircleIcon />,
    stale: <ScheduleIcon />,
    unavailable: <CloudOffIcon />,
    'not-installed': <RemoveCircleOutlineIcon />,
    syncing: <SyncIcon />,
  }[result.status];
  const className = {
    ok: classes.ok,
    stale: classes.stale,
    unavailable: classes.unavailable,
    'not-installed': classes.notInstalled,
    syncing: classes.syncing,
  }[result.status];
  const chip = (
    <Chip
      size="small"
      variant="outlined"
      icon={icon}
      label={text}
      className={className}
      classes={{ label: classes.label }}
    />
  );
  if (result.status === 'stale' && result.syncedAt) {
    return (
      <Tooltip title={`Last in sync with the API server at ${result.syncedAt}`}>
        {chip}
      </Tooltip>
    );
  }
  return chip;
}
