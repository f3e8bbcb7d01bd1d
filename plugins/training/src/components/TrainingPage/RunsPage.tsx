import { Box, Button, Grid, MenuItem, TextField } from '@material-ui/core';
import {
  Content,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_TRAINING_QUEUE,
  ListRunsResponse,
  QuotaResponse,
  RunPhase,
  UsageResponse,
} from '@careplane/plugin-training-common';
import { useCallback, useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { trainingApiRef } from '../../api/TrainingApi';
import { LaunchDialog } from '../LaunchDialog';
import { RunsTable } from '../shared/RunsTable';
import { PHASES } from '../shared/StateChip';
import { QuotaPanel } from './QuotaPanel';
import { UsagePanel } from './UsagePanel';

const REFRESH_MS = 5000;

/** Runs across the organisation, filtered by team, state and cluster; launch; quota; usage. */
export function RunsPage() {
  const api = useApi(trainingApiRef);
  const catalog = useApi(catalogApiRef);
  const navigate = useNavigate();
  const [filters, setFilters] = useState({ team: '', phase: '', cluster: '' });
  const [runs, setRuns] = useState<ListRunsResponse>();
  const [error, setError] = useState<Error>();
  const [quota, setQuota] = useState<QuotaResponse>();
  const [usage, setUsage] = useState<UsageResponse>();
  const [currency, setCurrency] = useState('USD');
  const [entities, setEntities] = useState<Entity[]>([]);
  const [launching, setLaunching] = useState(false);

  const load = useCallback(async () => {
    try {
      setRuns(
        await api.listRuns({
          team: filters.team || undefined,
          phase: (filters.phase || undefined) as RunPhase | undefined,
          cluster: filters.cluster || undefined,
          limit: 50,
        }),
      );
      setError(undefined);
    } catch (e) {
      setError(e as Error);
    }
  }, [api, filters]);

  useEffect(() => {
    load();
    const t = setInterval(load, REFRESH_MS);
    return () => clearInterval(t);
  }, [load]);

  useEffect(() => {
    api.quota().then(setQuota, () => undefined);
    api.usage().then(setUsage, () => undefined);
    api.gpuTypes().then(
      t => setCurrency(t.currency),
      () => undefined,
    );
    catalog
      .getEntities({ filter: { kind: 'Component' } })
      .then(r =>
        setEntities(
          r.items.filter(
            e => e.metadata.annotations?.[ANNOTATION_TRAINING_QUEUE],
          ),
        ),
      )
      .catch(() => setEntities([]));
  }, [api, catalog]);

  const teams = [
    ...new Set(runs?.items.map(r => r.team).filter(Boolean) as string[]),
  ];
  const clusters = [...new Set(runs?.items.map(r => r.cluster))];
  const filter = (
    name: keyof typeof filters,
    label: string,
    options: string[],
  ) => (
    <TextField
      select
      label={label}
      value={filters[name]}
      variant="outlined"
      size="small"
      style={{ minWidth: 180, marginRight: 16 }}
      onChange={e =>
        setFilters(f => ({ ...f, [name]: String(e.target.value) }))
      }
      inputProps={{ 'aria-label': label }}
    >
      <MenuItem value="">All</MenuItem>
      {[...new Set([...options, filters[name]].filter(Boolean))].map(o => (
        <MenuItem key={o} value={o}>
          {o}
        </MenuItem>
      ))}
    </TextField>
  );

  return (
    <Page themeId="tool">
      <Header
        title="Training"
        subtitle="GPU training runs across the organisation"
      />
      <Content>
        <Box display="flex" alignItems="center" mb={2}>
          {filter('team', 'Team', teams)}
          {filter('phase', 'State', PHASES)}
          {filter('cluster', 'Cluster', clusters)}
          <Box flexGrow={1} />
          <Button
            variant="contained"
            color="primary"
            onClick={() => setLaunching(true)}
          >
            Launch a run
          </Button>
        </Box>
        {error && <ResponseErrorPanel error={error} />}
        {!runs && !error && <Progress />}
        {runs && <RunsTable runs={runs.items} currency={currency} />}
        <Grid container spacing={2} style={{ marginTop: 16 }}>
          <Grid item xs={12} md={6}>
            <QuotaPanel quota={quota} />
          </Grid>
          <Grid item xs={12} md={6}>
            <UsagePanel usage={usage} />
          </Grid>
        </Grid>
        <LaunchDialog
          open={launching}
          entities={entities}
          onClose={() => setLaunching(false)}
          onLaunched={run => {
            setLaunching(false);
            navigate(`runs/${run.id}`);
          }}
        />
      </Content>
    </Page>
  );
}
