import {
  Box,
  Button,
  makeStyles,
  MenuItem,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@material-ui/core';
import {
  EmptyState,
  Progress,
  StatusError,
  StatusOK,
  StatusWarning,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  AuditQuery,
  AuditRecord,
  clustersAuditReadPermission,
} from '@careplane/plugin-clusters-common';
import {
  AuditExportFormat,
  clustersApiRef,
  describeError,
} from '@careplane/plugin-clusters-react';
import { useEffect, useState } from 'react';

const useStyles = makeStyles(theme => ({
  filters: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(200px, 1fr))',
    gap: theme.spacing(2),
    padding: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  actions: {
    display: 'flex',
    gap: theme.spacing(1),
    alignItems: 'center',
    marginBottom: theme.spacing(2),
  },
  grow: { flex: 1 },
  mono: { fontFamily: 'monospace', fontSize: '0.8em' },
}));

interface Filters {
  actor: string;
  entityRef: string;
  cluster: string;
  action: string;
  outcome: string;
  from: string;
  to: string;
}

const noFilters: Filters = {
  actor: '',
  entityRef: '',
  cluster: '',
  action: '',
  outcome: '',
  from: '',
  to: '',
};

/** `datetime-local` values are local time without a zone; the API wants ISO instants. */
function toIso(local: string): string | undefined {
  if (!local) return undefined;
  const t = new Date(local);
  return Number.isNaN(t.getTime()) ? undefined : t.toISOString();
}

function toQuery(f: Filters): AuditQuery {
  return {
    actor: f.actor.trim() || undefined,
    entityRef: f.entityRef.trim() || undefined,
    cluster: f.cluster.trim() || undefined,
    action: (f.action || undefined) as AuditQuery['action'],
    outcome: (f.outcome || undefined) as AuditQuery['outcome'],
    from: toIso(f.from),
    to: toIso(f.to),
  };
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

function Outcome(props: { record: AuditRecord }) {
  const { record } = props;
  if (record.outcome === 'success') return <StatusOK>Success</StatusOK>;
  if (record.outcome === 'denied') {
    return <StatusWarning>Denied{record.error ? `: ${record.error}` : ''}</StatusWarning>;
  }
  return <StatusError>Failed{record.error ? `: ${record.error}` : ''}</StatusError>;
}

function objectOf(r: AuditRecord) {
  return [r.cluster, r.namespace, r.kind && r.name ? `${r.kind}/${r.name}` : r.name]
    .filter(Boolean)
    .join(' / ');
}

function AuditTable() {
  const api = useApi(clustersApiRef);
  const classes = useStyles();
  const [filters, setFilters] = useState<Filters>(noFilters);
  const query = useDebounced(toQuery(filters), 300);
  const queryKey = JSON.stringify(query);
  const [items, setItems] = useState<AuditRecord[]>();
  const [nextCursor, setNextCursor] = useState<string>();
  const [error, setError] = useState<Error>();
  const [loadingMore, setLoadingMore] = useState(false);
  const [exporting, setExporting] = useState<AuditExportFormat>();
  const [exportError, setExportError] = useState<Error>();

  useEffect(() => {
    const controller = new AbortController();
    setError(undefined);
    api.listAudit(JSON.parse(queryKey), { signal: controller.signal }).then(
      page => {
        setItems(page.items);
        setNextCursor(page.nextCursor);
      },
      e => {
        if (!controller.signal.aborted) setError(e);
      },
    );
    return () => controller.abort();
  }, [api, queryKey]);

  const loadMore = async () => {
    setLoadingMore(true);
    try {
      const page = await api.listAudit({ ...JSON.parse(queryKey), cursor: nextCursor });
      setItems(prev => [...(prev ?? []), ...page.items]);
      setNextCursor(page.nextCursor);
    } catch (e) {
      setError(e as Error);
    } finally {
      setLoadingMore(false);
    }
  };

  const download = async (format: AuditExportFormat) => {
    setExporting(format);
    setExportError(undefined);
    try {
      // through fetchApi (the export needs the user's token), then saved as a file
      const { blob, filename } = await api.exportAudit(JSON.parse(queryKey), format);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = filename;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setExportError(e as Error);
    } finally {
      setExporting(undefined);
    }
  };

  const field = (key: keyof Filters) => ({
    id: `careplane-audit-filter-${key}`,
    value: filters[key],
    onChange: (e: React.ChangeEvent<{ value: unknown }>) =>
      setFilters(f => ({ ...f, [key]: String(e.target.value) })),
  });

  return (
    <>
      <Paper component="form" aria-label="Audit filters" className={classes.filters}>
        <TextField label="User" placeholder="user:default/priya.shah" {...field('actor')} />
        <TextField
          label="Entity"
          placeholder="component:default/video-consultation"
          {...field('entityRef')}
        />
        <TextField label="Cluster" placeholder="cloud-east" {...field('cluster')} />
        <TextField select label="Action" {...field('action')}>
          <MenuItem value="">Any</MenuItem>
          <MenuItem value="apply">apply</MenuItem>
          <MenuItem value="patch">patch</MenuItem>
          <MenuItem value="delete">delete</MenuItem>
          <MenuItem value="logs">logs</MenuItem>
          <MenuItem value="create-namespace">new namespace</MenuItem>
        </TextField>
        <TextField select label="Outcome" {...field('outcome')}>
          <MenuItem value="">Any</MenuItem>
          <MenuItem value="success">success</MenuItem>
          <MenuItem value="failure">failure</MenuItem>
          <MenuItem value="denied">denied</MenuItem>
        </TextField>
        <TextField
          label="From"
          type="datetime-local"
          InputLabelProps={{ shrink: true }}
          {...field('from')}
        />
        <TextField
          label="To"
          type="datetime-local"
          InputLabelProps={{ shrink: true }}
          {...field('to')}
        />
      </Paper>
      <div className={classes.actions}>
        <Typography variant="body2" className={classes.grow}>
          {items ? `${items.length}${nextCursor ? '+' : ''} records` : ''}
        </Typography>
        <Button
          variant="outlined"
          onClick={() => download('csv')}
          disabled={Boolean(exporting)}
        >
          {exporting === 'csv' ? 'Exporting CSV…' : 'Export CSV'}
        </Button>
        <Button
          variant="outlined"
          onClick={() => download('json')}
          disabled={Boolean(exporting)}
        >
          {exporting === 'json' ? 'Exporting JSON…' : 'Export JSON'}
        </Button>
      </div>
      {exportError && (
        <Box mb={2}>
          <WarningPanel
            severity="error"
            title="The export failed"
            message={describeError(exportError)}
          />
        </Box>
      )}
      {error && (
        <Box mb={2}>
          <WarningPanel
            severity="error"
            title="Could not load the audit log"
            message={describeError(error)}
          />
        </Box>
      )}
      {!items && !error && <Progress />}
      {items && items.length === 0 && (
        <EmptyState
          missing="data"
          title="No audit records match these filters"
          description="Every write, delete and log read through Careplane is recorded here. Widen the time range or clear a filter."
        />
      )}
      {items && items.length > 0 && (
        <TableContainer component={Paper}>
          <Table size="small" aria-label="Audit records">
            <TableHead>
              <TableRow>
                <TableCell>Time</TableCell>
                <TableCell>User</TableCell>
                <TableCell>Action</TableCell>
                <TableCell>Object</TableCell>
                <TableCell>Entity</TableCell>
                <TableCell>Reason</TableCell>
                <TableCell>Outcome</TableCell>
                <TableCell>Patch SHA-256</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {items.map(r => (
                <TableRow key={r.id}>
                  <TableCell>{new Date(r.occurredAt).toLocaleString()}</TableCell>
                  <TableCell>
                    {r.actor}
                    {r.actorType === 'service' ? ' (service)' : ''}
                  </TableCell>
                  <TableCell>
                    {r.action}
                    {r.dryRun ? ' (dry run)' : ''}
                  </TableCell>
                  <TableCell>{objectOf(r)}</TableCell>
                  <TableCell>{r.entityRef ?? '—'}</TableCell>
                  <TableCell>{r.reason ?? '—'}</TableCell>
                  <TableCell>
                    <Outcome record={r} />
                  </TableCell>
                  <TableCell className={classes.mono} title={r.patchSha256}>
                    {r.patchSha256 ? r.patchSha256.slice(0, 12) : '—'}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
      {nextCursor && (
        <Box mt={2}>
          <Button variant="outlined" onClick={loadMore} disabled={loadingMore}>
            {loadingMore ? 'Loading…' : 'Load more'}
          </Button>
        </Box>
      )}
    </>
  );
}

/**
 * The clusters audit log, for holders of `clusters.audit.read`; others are told why they cannot
 * see it (the backend refuses the data regardless).
 */
export function AuditLog() {
  const { loading, allowed } = usePermission({
    permission: clustersAuditReadPermission,
  });
  if (loading) return <Progress />;
  if (!allowed) {
    return (
      <WarningPanel
        severity="info"
        title="You cannot see the clusters audit log"
        message={`Reading it needs the ${clustersAuditReadPermission.name} permission, which this portal's permission policy grants to platform admins: the log names people, services and patient-data workloads. Ask a platform admin if you need a record from it.`}
      />
    );
  }
  return <AuditTable />;
}
