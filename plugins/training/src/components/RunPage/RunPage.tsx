import { Box, Button, Grid, Tooltip, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  Content,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { useLiveEntityObjects } from '@careplane/plugin-clusters-react';
import {
  Run,
  RunGpuMetrics,
  TERMINAL_PHASES,
  trainingRunCancelPermission,
} from '@careplane/plugin-training-common';
import { useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { trainingApiRef } from '../../api/TrainingApi';
import { formatMoney, formatTime, runDuration } from '../shared/format';
import { StateChip } from '../shared/StateChip';
import { useNow } from '../shared/useNow';
import { CancelDialog } from './CancelDialog';
import { GpuChart } from './GpuChart';
import { LogsPanel } from './LogsPanel';
import { StateTimeline } from './StateTimeline';

const POLL_MS = 5000;

function Fact(props: { label: string; value: string }) {
  return (
    <Box mr={4} mb={1}>
      <Typography variant="caption" color="textSecondary">
        {props.label}
      </Typography>
      <Typography variant="h6">{props.value}</Typography>
    </Box>
  );
}

/** One run: state and why, timeline, GPU charts, cost, logs, cancel. Live while it is not finished. */
export function RunPage() {
  const { id = '' } = useParams();
  const api = useApi(trainingApiRef);
  const now = useNow(2000);
  const [run, setRun] = useState<Run>();
  const [error, setError] = useState<Error>();
  const [gpu, setGpu] = useState<RunGpuMetrics>();
  const [currency, setCurrency] = useState('USD');
  const [cancelling, setCancelling] = useState(false);
  const [cancelError, setCancelError] = useState<string>();
  const finished = run ? TERMINAL_PHASES.includes(run.state.phase) : false;

  const load = useCallback(async () => {
    try {
      setRun(await api.getRun(id));
      setError(undefined);
    } catch (e) {
      setError(e as Error);
    }
  }, [api, id]);

  // changes of the run's objects and pods arrive over the tab's clusters stream
  const live = useLiveEntityObjects(
    run && !finished ? run.entityRef : undefined,
    run ? [run.kind, 'Pod'] : [],
    {
      clusters: run ? [run.cluster] : undefined,
    },
  );
  useEffect(() => {
    load();
  }, [load, live.updatedAt]);
  useEffect(() => {
    if (finished) return undefined;
    const t = setInterval(load, POLL_MS);
    return () => clearInterval(t);
  }, [load, finished]);

  const running = run?.state.phase === 'running';
  useEffect(() => {
    if (!run?.startedAt) return undefined;
    const get = () => api.gpu(id).then(setGpu, () => undefined);
    get();
    if (!running) return undefined;
    const t = setInterval(get, 15000);
    return () => clearInterval(t);
  }, [api, id, run?.startedAt, running]);

  useEffect(() => {
    api.gpuTypes().then(
      t => setCurrency(t.currency),
      () => undefined,
    );
  }, [api]);

  const cancelAllowed = usePermission({
    permission: trainingRunCancelPermission,
    resourceRef: run?.entityRef,
  });

  if (error && !run) return <ResponseErrorPanel error={error} />;
  if (!run) return <Progress />;

  let cancelBlocked: string | undefined;
  if (finished) {
    cancelBlocked = `The run has already ${
      run.state.phase === 'cancelled' ? 'been cancelled' : run.state.phase
    }`;
  } else if (!cancelAllowed.allowed && !cancelAllowed.loading) {
    cancelBlocked = `Only owners of ${run.entityRef} and platform admins may cancel this run`;
  }

  return (
    <Page themeId="tool">
      <Header
        title={run.objectName}
        subtitle={`${run.kind} on ${run.cluster} / ${run.namespace} for ${run.entityRef}`}
      />
      <Content>
        <Box display="flex" alignItems="center" mb={2}>
          <StateChip state={run.state} />
          <Box ml={2} flexGrow={1}>
            <Typography aria-label="State in words">
              {run.state.message}
            </Typography>
          </Box>
          <Tooltip title={cancelBlocked ?? ''}>
            <span>
              <Button
                variant="outlined"
                color="secondary"
                disabled={Boolean(cancelBlocked)}
                onClick={() => setCancelling(true)}
              >
                Cancel run
              </Button>
            </span>
          </Tooltip>
        </Box>
        {cancelBlocked && !finished && (
          <Typography variant="caption" color="textSecondary">
            {cancelBlocked}
          </Typography>
        )}
        {cancelError && <Alert severity="error">{cancelError}</Alert>}
        {gpu?.idle.idle && (
          <Alert severity="warning" role="alert">
            {gpu.idle.message}
          </Alert>
        )}
        <Box display="flex" flexWrap="wrap" my={2}>
          <Fact
            label="GPUs"
            value={`${run.totalGpus} × ${
              run.parameters.migProfile ?? run.parameters.gpuType
            }`}
          />
          <Fact label="Duration" value={runDuration(run, now)} />
          <Fact label="GPU-hours" value={run.gpuHours.toFixed(2)} />
          <Fact label="Cost so far" value={formatMoney(run.cost, currency)} />
          <Fact
            label="Price"
            value={`${formatMoney(
              run.parameters.pricePerGpuHour,
              currency,
            )} per GPU-hour`}
          />
          <Fact
            label="Launched"
            value={`${formatTime(run.createdAt)} by ${run.createdBy}`}
          />
          {run.cancelledBy && (
            <Fact
              label="Cancelled by"
              value={`${run.cancelledBy}: ${run.cancelReason ?? ''}`}
            />
          )}
        </Box>
        <Grid container spacing={2}>
          <Grid item xs={12} md={5}>
            <InfoCard title="State timeline">
              <StateTimeline history={run.history} now={now} />
            </InfoCard>
          </Grid>
          <Grid item xs={12} md={7}>
            <InfoCard title="GPU utilisation and memory">
              <GpuChart
                metrics={
                  run.startedAt
                    ? gpu
                    : { status: 'ok', points: [], idle: { idle: false } }
                }
              />
            </InfoCard>
          </Grid>
          <Grid item xs={12}>
            <InfoCard title="Logs">
              <LogsPanel runId={run.id} live={!finished} />
            </InfoCard>
          </Grid>
          <Grid item xs={12}>
            <InfoCard title="Parameters">
              <Typography variant="body2" component="div">
                Image <code>{run.parameters.image}</code>; command{' '}
                <code>
                  {[...run.parameters.command, ...run.parameters.args].join(
                    ' ',
                  ) || '(image default)'}
                </code>
                ; {run.parameters.nodes} node(s), {run.parameters.cpu} CPU and{' '}
                {run.parameters.memory} per node; queue{' '}
                {run.parameters.queue ?? 'none'}; max runtime{' '}
                {run.parameters.maxRuntimeMinutes} min; hyper-parameters{' '}
                {Object.entries(run.parameters.hyperParameters)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(', ') || 'none'}
                ; secrets by reference{' '}
                {run.parameters.secretEnv
                  .map(s => `${s.name} ← ${s.secretName}/${s.key}`)
                  .join(', ') || 'none'}
                .
              </Typography>
            </InfoCard>
          </Grid>
        </Grid>
        <CancelDialog
          open={cancelling}
          runName={run.objectName}
          onClose={() => setCancelling(false)}
          onConfirm={async reason => {
            try {
              setRun(await api.cancel(run.id, reason));
              setCancelError(undefined);
            } catch (e) {
              setCancelError((e as Error).message);
            }
            setCancelling(false);
          }}
        />
      </Content>
    </Page>
  );
}
