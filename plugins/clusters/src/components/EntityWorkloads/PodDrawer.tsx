import {
  Box,
  Chip,
  Drawer,
  IconButton,
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import CloseIcon from '@material-ui/icons/Close';
import { WarningPanel } from '@backstage/core-components';
import type { PodEnvelope } from '@careplane/plugin-clusters-common';
import { formatDuration, since } from '../shared/format';
import { PodStatus } from './status';

const useStyles = makeStyles(theme => ({
  paper: { width: 640, maxWidth: '100vw', padding: theme.spacing(3) },
  header: { display: 'flex', alignItems: 'flex-start', gap: theme.spacing(1) },
  title: { flex: 1, wordBreak: 'break-all' },
  section: { marginTop: theme.spacing(3) },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: 0,
    '& dt': { color: theme.palette.text.secondary },
    '& dd': { margin: 0 },
  },
  chips: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) },
}));

function containerState(status: any): string {
  const state = status?.state ?? {};
  if (state.running) return `running since ${state.running.startedAt ?? '?'}`;
  if (state.waiting) {
    return `waiting: ${state.waiting.reason ?? ''}${
      state.waiting.message ? ` (${state.waiting.message})` : ''
    }`;
  }
  if (state.terminated) {
    return `terminated: ${state.terminated.reason ?? ''} (exit ${
      state.terminated.exitCode ?? '?'
    })`;
  }
  return 'unknown';
}

/**
 * Details of one pod. Rendered from the live value on every update, so it stays open and
 * current while the list changes; when the pod disappears it keeps the last known state and
 * says so.
 */
export function PodDrawer(props: {
  pod?: PodEnvelope;
  gone: boolean;
  now: number;
  onClose: () => void;
}) {
  const { pod, gone, now, onClose } = props;
  const classes = useStyles();
  const titleId = 'careplane-pod-drawer-title';
  const spec = pod?.object.spec ?? {};
  const status = pod?.object.status ?? {};
  const statuses: any[] = status.containerStatuses ?? [];
  const age = since(pod?.object.metadata.creationTimestamp, now);
  return (
    <Drawer
      anchor="right"
      open={Boolean(pod)}
      onClose={onClose}
      classes={{ paper: classes.paper }}
      PaperProps={{ role: 'dialog', 'aria-labelledby': titleId } as any}
    >
      {pod && (
        <>
          <div className={classes.header}>
            <Typography id={titleId} variant="h5" component="h2" className={classes.title}>
              Pod {pod.name}
            </Typography>
            <IconButton aria-label="Close pod details" onClick={onClose}>
              <CloseIcon />
            </IconButton>
          </div>
          <Typography variant="body2" color="textSecondary">
            {pod.cluster} / {pod.namespace}
          </Typography>
          {gone && (
            <Box mt={2}>
              <WarningPanel
                defaultExpanded
                severity="info"
                title={`This pod no longer exists on ${pod.cluster}`}
                message="Below is its last known state."
              />
            </Box>
          )}
          <div className={classes.section}>
            <dl className={classes.facts}>
              <dt>Status</dt>
              <dd>
                <PodStatus pod={pod} />
              </dd>
              <dt>Phase</dt>
              <dd>{pod.summary.phase}</dd>
              <dt>Ready</dt>
              <dd>
                {pod.summary.readyContainers}/{pod.summary.totalContainers} containers
              </dd>
              <dt>Restarts</dt>
              <dd>{pod.summary.restarts}</dd>
              <dt>Reasons</dt>
              <dd>{pod.summary.reasons.join(', ') || 'none'}</dd>
              <dt>Node</dt>
              <dd>{pod.summary.nodeName ?? 'not scheduled'}</dd>
              <dt>Owner</dt>
              <dd>
                {pod.summary.owner
                  ? `${pod.summary.owner.kind} ${pod.summary.owner.name}`
                  : 'none'}
              </dd>
              <dt>Age</dt>
              <dd>{age === undefined ? 'unknown' : formatDuration(age)}</dd>
              <dt>Resource version</dt>
              <dd>{pod.resourceVersion ?? 'unknown'}</dd>
            </dl>
          </div>
          <div className={classes.section}>
            <Typography variant="h6" component="h3">
              Containers
            </Typography>
            <Table size="small" aria-label="Containers">
              <TableHead>
                <TableRow>
                  <TableCell>Name</TableCell>
                  <TableCell>Image</TableCell>
                  <TableCell>Ready</TableCell>
                  <TableCell align="right">Restarts</TableCell>
                  <TableCell>State</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {(spec.containers ?? []).map((c: any) => {
                  const s = statuses.find(x => x.name === c.name);
                  return (
                    <TableRow key={c.name}>
                      <TableCell>{c.name}</TableCell>
                      <TableCell style={{ wordBreak: 'break-all' }}>{c.image}</TableCell>
                      <TableCell>{s?.ready ? 'yes' : 'no'}</TableCell>
                      <TableCell align="right">{s?.restartCount ?? 0}</TableCell>
                      <TableCell>
                        {containerState(s)}
                        {s?.lastState?.terminated
                          ? `; last: ${s.lastState.terminated.reason ?? 'terminated'}`
                          : ''}
                      </TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          </div>
          <div className={classes.section}>
            <Typography variant="h6" component="h3">
              Conditions
            </Typography>
            <Table size="small" aria-label="Conditions">
              <TableHead>
                <TableRow>
                  <TableCell>Type</TableCell>
                  <TableCell>Status</TableCell>
                  <TableCell>Reason</TableCell>
                  <TableCell>Since</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {(status.conditions ?? []).map((c: any) => (
                  <TableRow key={c.type}>
                    <TableCell>{c.type}</TableCell>
                    <TableCell>{c.status}</TableCell>
                    <TableCell>
                      {[c.reason, c.message].filter(Boolean).join(': ') || '—'}
                    </TableCell>
                    <TableCell>
                      {c.lastTransitionTime
                        ? `${formatDuration(now - Date.parse(c.lastTransitionTime))} ago`
                        : '—'}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
          <div className={classes.section}>
            <Typography variant="h6" component="h3">
              Labels
            </Typography>
            <div className={classes.chips}>
              {Object.entries(pod.object.metadata.labels ?? {}).map(([k, v]) => (
                <Chip key={k} size="small" label={`${k}=${v}`} />
              ))}
            </div>
          </div>
        </>
      )}
    </Drawer>
  );
}
