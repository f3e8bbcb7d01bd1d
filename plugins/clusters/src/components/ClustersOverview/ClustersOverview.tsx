import {
  Box,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import {
  EmptyState,
  Progress,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type { ClusterInfo } from '@careplane/plugin-clusters-common';
import {
  clustersApiRef,
  describeError,
} from '@careplane/plugin-clusters-react';
import { useEffect, useState } from 'react';
import { ago } from '../shared/format';
import { useNow } from '../shared/useNow';

// Short values (health, version, times, counts) stay on one line; the kinds list wraps.
const NOWRAP = { whiteSpace: 'nowrap' } as const;

const REFRESH_MS = 15_000;

/** Optional kinds by API group, named as operators know them. */
const ADDON_BY_GROUP: Record<string, string> = {
  'argoproj.io': 'Argo Rollouts',
  'flagger.app': 'Flagger',
  'trainer.kubeflow.org': 'Kubeflow Trainer',
  'kubeflow.org': 'Kubeflow Training Operator',
  'kueue.x-k8s.io': 'Kueue',
  'wgpolicyk8s.io': 'Policy Reports',
  'postgresql.cnpg.io': 'CloudNativePG',
};

/**
 * The cluster's optional kinds in words, grouped by add-on, e.g.
 * "Argo Rollouts, Kueue — not installed: Flagger, CloudNativePG". An add-on counts as installed
 * when any of its kinds is.
 */
export function describeKinds(
  kinds: NonNullable<ClusterInfo['kinds']>,
): string {
  const addons = new Map<string, Set<string>>();
  for (const k of kinds) {
    const group = k.apiVersion.includes('/') ? k.apiVersion.split('/')[0] : '';
    const name = ADDON_BY_GROUP[group] ?? k.kind;
    if (!addons.has(name)) addons.set(name, new Set());
    addons.get(name)!.add(k.status);
  }
  const installed: string[] = [];
  const missing: string[] = [];
  const unknown: string[] = [];
  for (const [name, statuses] of addons) {
    if (statuses.has('installed')) installed.push(name);
    else if (statuses.has('unknown')) unknown.push(name);
    else missing.push(name);
  }
  if (installed.length === 0 && missing.length === 0) {
    return 'unknown (not probed yet)';
  }
  return [
    installed.length ? installed.join(', ') : 'none installed',
    missing.length ? `not installed: ${missing.join(', ')}` : undefined,
    unknown.length ? `unknown: ${unknown.join(', ')}` : undefined,
  ]
    .filter(Boolean)
    .join(' — ');
}

function Health(props: { cluster: ClusterInfo }) {
  const { health } = props.cluster;
  const circuit =
    health.circuit === 'open'
      ? ' (circuit open: calls fail fast until a probe succeeds)'
      : '';
  switch (health.status) {
    case 'healthy':
      return <StatusOK>Healthy</StatusOK>;
    case 'degraded':
      return <StatusWarning>Degraded{circuit}</StatusWarning>;
    case 'unavailable':
      return <StatusError>Unreachable{circuit}</StatusError>;
    default:
      return <StatusPending>Not contacted yet</StatusPending>;
  }
}

/** The size of one cached object: bytes, or KiB with one decimal. */
function formatObjectBytes(n: number) {
  return n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KiB`;
}

function formatBytes(n: number) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** Every cluster with health, version, kinds, last contact, latency and cache size. */
export function ClustersOverview() {
  const api = useApi(clustersApiRef);
  const now = useNow(5_000);
  const [value, setValue] = useState<ClusterInfo[]>();
  const [error, setError] = useState<Error>();
  useEffect(() => {
    // quiet refreshes: the table keeps showing the last answer, even when a refresh fails
    let cancelled = false;
    const load = () =>
      api.listClusters().then(
        v => {
          if (cancelled) return;
          setValue(v);
          setError(undefined);
        },
        e => {
          if (!cancelled) setError(e);
        },
      );
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [api]);
  const state = { value, error };

  if (!value && !error) return <Progress />;
  if (!state.value) {
    return (
      <WarningPanel
        severity="error"
        title="Could not list the clusters"
        message={describeError(state.error)}
      />
    );
  }
  const clusters = state.value as ClusterInfo[];
  if (clusters.length === 0) {
    return (
      <EmptyState
        missing="info"
        title="No clusters are configured"
        description="Add clusters under clusters.clusters in app-config.yaml (see the clusters-backend README)."
      />
    );
  }
  return (
    <>
      {state.error && (
        <Box mb={2}>
          <WarningPanel
            severity="warning"
            title="Could not refresh; showing the last answer"
            message={describeError(state.error)}
          />
        </Box>
      )}
      <TableContainer component={Paper}>
        <Table aria-label="Clusters">
          <TableHead>
            <TableRow>
              <TableCell style={NOWRAP}>Cluster</TableCell>
              <TableCell style={NOWRAP}>Environment</TableCell>
              <TableCell style={NOWRAP}>Health</TableCell>
              <TableCell style={NOWRAP}>Version</TableCell>
              <TableCell style={NOWRAP}>Kinds</TableCell>
              <TableCell style={NOWRAP}>Last contact</TableCell>
              <TableCell align="right" style={NOWRAP}>
                Latency
              </TableCell>
              <TableCell align="right" style={NOWRAP}>
                Objects cached
              </TableCell>
              <TableCell align="right" style={NOWRAP}>
                API requests
              </TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {clusters.map(c => {
              const requests = Object.values(c.stats.requests).reduce(
                (a, b) => a + b,
                0,
              );
              return (
                <TableRow key={c.name} data-testid={`cluster-row-${c.name}`}>
                  <TableCell>
                    <Typography variant="body2" component="div">
                      <strong>{c.title ?? c.name}</strong>
                    </Typography>
                    {c.title && (
                      <Typography variant="caption" color="textSecondary">
                        {c.name}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell>
                    {[c.environment, c.region, c.phi ? 'PHI' : undefined, c.gpu]
                      .filter(Boolean)
                      .join(' · ') || '—'}
                  </TableCell>
                  <TableCell style={NOWRAP}>
                    <Health cluster={c} />
                    {c.health.error && (
                      <Typography
                        variant="caption"
                        component="div"
                        color="error"
                      >
                        {c.health.error.message}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell style={NOWRAP}>
                    {c.version?.gitVersion ?? 'not reported'}
                    {c.version?.platform && (
                      <Typography
                        variant="caption"
                        component="div"
                        color="textSecondary"
                      >
                        {c.version.platform}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell>
                    {c.kinds
                      ? describeKinds(c.kinds)
                      : `${c.stats.informers} watched`}
                  </TableCell>
                  <TableCell style={NOWRAP}>
                    {ago(c.health.lastContactAt, now)}
                  </TableCell>
                  <TableCell align="right" style={NOWRAP}>
                    {c.health.latencyMs === undefined
                      ? '—'
                      : `${Math.round(c.health.latencyMs)} ms`}
                  </TableCell>
                  <TableCell align="right" style={NOWRAP}>
                    {c.stats.objects} ({formatBytes(c.stats.approxBytes)})
                    {c.stats.kinds && c.stats.kinds.length > 0 && (
                      <Typography
                        variant="caption"
                        component="div"
                        color="textSecondary"
                        data-testid={`cluster-kinds-${c.name}`}
                      >
                        {c.stats.kinds
                          .filter(k => k.objects > 0)
                          .map(
                            k =>
                              `${k.kind} ${k.objects} × ${formatObjectBytes(
                                k.bytesPerObject,
                              )}`,
                          )
                          .join(', ')}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell align="right">
                    {requests}
                    {c.stats.throttled > 0
                      ? `, ${c.stats.throttled} throttled`
                      : ''}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </TableContainer>
    </>
  );
}
