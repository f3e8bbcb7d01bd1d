import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Grid,
  MenuItem,
  TextField,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import { clustersApiRef } from '@careplane/plugin-clusters-react';
import type { ClusterInfo } from '@careplane/plugin-clusters-common';
import {
  ANNOTATION_TRAINING_QUEUE,
  GpuTypesResponse,
  maxRunCost,
  Run,
  validateLaunch,
} from '@careplane/plugin-training-common';
import { useEffect, useMemo, useRef, useState } from 'react';
import { trainingApiRef } from '../../api/TrainingApi';
import { formatMoney } from '../shared/format';
import { emptyForm, fieldOf, LaunchForm, toRequest } from './launchForm';

function newKey(): string {
  return `ui-${
    globalThis.crypto?.randomUUID?.() ??
    `${Date.now()}-${Math.random().toString(36).slice(2)}`
  }`;
}

/**
 * The launch form: validated as you type with the same function the server runs, with the cost
 * of the whole maximum runtime, launched with one idempotency key per opening (a double click or a
 * retry creates one run).
 */
export function LaunchDialog(props: {
  open: boolean;
  onClose(): void;
  onLaunched(run: Run): void;
  /** Fixed owning entity (the entity tab); otherwise chosen from the entities with a training queue. */
  entityRef?: string;
  entities?: Entity[];
}) {
  const training = useApi(trainingApiRef);
  const clustersApi = useApi(clustersApiRef);
  const catalog = useApi(catalogApiRef);
  const [form, setForm] = useState<LaunchForm>(() =>
    emptyForm(props.entityRef),
  );
  const [key, setKey] = useState(newKey);
  const [types, setTypes] = useState<GpuTypesResponse>();
  const [clusters, setClusters] = useState<ClusterInfo[]>([]);
  const [entity, setEntity] = useState<Entity>();
  const [submitting, setSubmitting] = useState(false);
  const [serverError, setServerError] = useState<string>();
  const [touched, setTouched] = useState(false);
  // a second click before React re-renders must not send a second request
  const inFlight = useRef(false);
  const [launched, setLaunched] = useState(false);

  useEffect(() => {
    if (!props.open) return;
    setKey(newKey());
    inFlight.current = false;
    setLaunched(false);
    setServerError(undefined);
    setTouched(false);
    training.gpuTypes().then(
      t => {
        setTypes(t);
        const first = t.items[0];
        if (first) {
          setForm(f => ({
            ...f,
            gpuType: f.gpuType || first.name,
            cluster: f.cluster || first.clusters[0] || '',
          }));
        }
      },
      e => setServerError(String(e.message ?? e)),
    );
    clustersApi.listClusters().then(setClusters, () => setClusters([]));
  }, [props.open, training, clustersApi]);

  useEffect(() => {
    if (!form.entityRef) return;
    catalog
      .getEntityByRef(form.entityRef)
      .then(setEntity, () => setEntity(undefined));
  }, [catalog, form.entityRef]);

  const gpuType = types?.items.find(t => t.name === form.gpuType);
  const { request, problems: parseProblems } = toRequest(form, key);
  const result = useMemo(
    () =>
      validateLaunch(request, {
        gpuTypes: types?.items ?? [],
        clusters,
        entity: entity ?? { metadata: { annotations: {} } },
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [JSON.stringify(request), types, clusters, entity],
  );
  const problems = [...parseProblems, ...(result.ok ? [] : result.problems)];
  const problemOf = (field: keyof LaunchForm) =>
    problems
      .filter(p => fieldOf(p.field) === field)
      .map(p => p.message)
      .join('; ');
  const totalGpus = (Number(form.gpuCount) || 0) * (Number(form.nodes) || 0);
  const price = form.migProfile
    ? gpuType?.migProfiles.find(m => m.name === form.migProfile)
        ?.pricePerHour ?? 0
    : gpuType?.pricePerGpuHour ?? 0;
  const currency = types?.currency ?? 'USD';

  const set =
    (field: keyof LaunchForm) => (e: { target: { value: unknown } }) => {
      setTouched(true);
      setForm(f => ({ ...f, [field]: String(e.target.value) }));
    };
  const field = (name: keyof LaunchForm, label: string, extra: object = {}) => {
    const problem = touched ? problemOf(name) : '';
    return (
      <TextField
        fullWidth
        margin="dense"
        variant="outlined"
        label={label}
        value={form[name]}
        onChange={set(name)}
        error={Boolean(problem)}
        helperText={problem || undefined}
        inputProps={{ 'aria-label': label }}
        {...extra}
      />
    );
  };

  const launch = async () => {
    setTouched(true);
    if (problems.length || inFlight.current) return;
    inFlight.current = true;
    setSubmitting(true);
    setServerError(undefined);
    try {
      const answer = await training.launch(request);
      // launched: this opening's key is spent; the button stays off until the form opens again
      setLaunched(true);
      props.onLaunched(answer.run);
    } catch (e) {
      inFlight.current = false;
      setServerError((e as Error).message);
    } finally {
      setSubmitting(false);
    }
  };

  const queueHint = entity?.metadata.annotations?.[ANNOTATION_TRAINING_QUEUE];
  return (
    <Dialog
      open={props.open}
      onClose={props.onClose}
      maxWidth="md"
      fullWidth
      aria-labelledby="launch-title"
    >
      <DialogTitle id="launch-title">Launch a training run</DialogTitle>
      <DialogContent>
        <Grid container spacing={2}>
          <Grid item xs={12} sm={6}>
            {props.entityRef
              ? field('entityRef', 'Owning entity', { disabled: true })
              : field('entityRef', 'Owning entity', {
                  select: true,
                  children: (props.entities ?? []).map(e => {
                    const ref = `${e.kind.toLocaleLowerCase('en-US')}:${
                      e.metadata.namespace ?? 'default'
                    }/${e.metadata.name}`;
                    return (
                      <MenuItem key={ref} value={ref}>
                        {e.metadata.title ?? e.metadata.name}
                      </MenuItem>
                    );
                  }),
                })}
          </Grid>
          <Grid item xs={12} sm={6}>
            {field('name', 'Run name')}
          </Grid>
          <Grid item xs={12}>
            {field('image', 'Image (registry/path:tag or @sha256:digest)')}
          </Grid>
          <Grid item xs={12} sm={6}>
            {field('command', 'Command (space separated)')}
          </Grid>
          <Grid item xs={12} sm={6}>
            {field('args', 'Arguments (space separated)')}
          </Grid>
          <Grid item xs={12} sm={4}>
            {field('gpuType', 'GPU type', {
              select: true,
              children: (types?.items ?? []).map(t => (
                <MenuItem key={t.name} value={t.name}>
                  {t.title}
                </MenuItem>
              )),
            })}
          </Grid>
          <Grid item xs={6} sm={2}>
            {field('gpuCount', 'GPUs per node', { type: 'number' })}
          </Grid>
          <Grid item xs={6} sm={2}>
            {field('nodes', 'Nodes', { type: 'number' })}
          </Grid>
          <Grid item xs={12} sm={4}>
            {field('migProfile', 'MIG profile', {
              select: true,
              children: [
                <MenuItem key="" value="">
                  Whole GPUs
                </MenuItem>,
                ...(gpuType?.migProfiles ?? []).map(m => (
                  <MenuItem key={m.name} value={m.name}>
                    {m.name}
                  </MenuItem>
                )),
              ],
            })}
          </Grid>
          <Grid item xs={12} sm={4}>
            {field('cluster', 'Cluster', {
              select: true,
              children: clusters.map(c => (
                <MenuItem
                  key={c.name}
                  value={c.name}
                  disabled={!gpuType?.clusters.includes(c.name)}
                >
                  {c.title ?? c.name}
                  {gpuType && !gpuType.clusters.includes(c.name)
                    ? ' (no such GPUs)'
                    : ''}
                </MenuItem>
              )),
            })}
          </Grid>
          <Grid item xs={12} sm={4}>
            {field('runtime', 'Runtime', {
              select: true,
              children: [
                <MenuItem key="job" value="job">
                  Job (works everywhere)
                </MenuItem>,
                <MenuItem key="trainjob" value="trainjob">
                  Kubeflow TrainJob
                </MenuItem>,
                <MenuItem key="pytorchjob" value="pytorchjob">
                  PyTorchJob
                </MenuItem>,
              ],
            })}
          </Grid>
          <Grid item xs={12} sm={4}>
            {field(
              'queue',
              `Queue${queueHint ? ` (default ${queueHint})` : ''}`,
            )}
          </Grid>
          <Grid item xs={6} sm={3}>
            {field('cpu', 'CPU per node')}
          </Grid>
          <Grid item xs={6} sm={3}>
            {field('memory', 'Memory per node')}
          </Grid>
          <Grid item xs={6} sm={3}>
            {field('datasetPvc', 'Dataset PVC (/data)')}
          </Grid>
          <Grid item xs={6} sm={3}>
            {field('outputPvc', 'Output PVC (/output)')}
          </Grid>
          <Grid item xs={12} sm={6}>
            {field(
              'hyperParameters',
              'Hyper-parameters (KEY=value per line, no secrets)',
              { multiline: true, minRows: 3 },
            )}
          </Grid>
          <Grid item xs={12} sm={6}>
            {field(
              'secretEnv',
              'Secrets by reference (NAME=secret-name/key per line)',
              { multiline: true, minRows: 3 },
            )}
          </Grid>
          <Grid item xs={12} sm={4}>
            {field('maxRuntimeMinutes', 'Max runtime (minutes)', {
              type: 'number',
            })}
          </Grid>
          <Grid item xs={12} sm={8}>
            <Box mt={2} aria-label="Cost estimate">
              <Typography variant="body2">
                {totalGpus} GPU{totalGpus === 1 ? '' : 's'} ×{' '}
                {formatMoney(price, currency)} an hour ={' '}
                <strong>
                  {formatMoney(totalGpus * price, currency)} an hour
                </strong>
                ; at most{' '}
                <strong>
                  {formatMoney(
                    maxRunCost({
                      totalGpus,
                      pricePerGpuHour: price,
                      maxRuntimeMinutes: Number(form.maxRuntimeMinutes) || 0,
                    }),
                    currency,
                  )}
                </strong>{' '}
                for the whole max runtime. Only running time is charged.
              </Typography>
            </Box>
          </Grid>
        </Grid>
        {touched && problems.length > 0 && (
          <Alert severity="warning" role="status">
            {problems.length} thing{problems.length === 1 ? '' : 's'} to fix
            before launching.
          </Alert>
        )}
        {serverError && (
          <Alert severity="error" role="alert">
            {serverError}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          onClick={launch}
          disabled={submitting || launched || (touched && problems.length > 0)}
        >
          {submitting ? 'Launching…' : 'Launch'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
