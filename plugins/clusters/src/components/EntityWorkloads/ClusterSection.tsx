import { makeStyles, Paper, Typography } from '@material-ui/core';
import { WarningPanel } from '@backstage/core-components';
import type { LiveClusterWorkloads } from '@careplane/plugin-clusters-react';
import { memo } from 'react';
import { FreshnessChip } from '../shared/FreshnessChip';
import { PodTable } from './PodTable';
import { WorkloadTable } from './WorkloadTable';

const useStyles = makeStyles(theme => ({
  root: { padding: theme.spacing(2), marginBottom: theme.spacing(3) },
  header: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(1.5),
    marginBottom: theme.spacing(1),
  },
  sub: { marginTop: theme.spacing(2) },
}));

/** One cluster's part of the Workloads tab. */
export const ClusterSection = memo(function ClusterSectionImpl(props: {
  cluster: LiveClusterWorkloads;
  labelSelector: string;
  now: number;
  selectedKey?: string;
  onOpen: (cluster: string, key: string) => void;
}) {
  const { cluster, labelSelector, now, selectedKey, onOpen } = props;
  const classes = useStyles();
  const headingId = `careplane-cluster-${cluster.cluster}`;
  const notInstalled = cluster.kinds
    .filter(k => k.status === 'not-installed')
    .map(k => k.kind);
  const hasObjects = cluster.workloads.length + cluster.pods.length > 0;
  return (
    <Paper
      component="section"
      className={classes.root}
      aria-labelledby={headingId}
      data-testid={`cluster-${cluster.cluster}`}
    >
      <div className={classes.header}>
        <Typography id={headingId} variant="h6" component="h2">
          {cluster.cluster}
        </Typography>
        <FreshnessChip result={cluster} now={now} />
        {notInstalled.length > 0 && (
          <Typography variant="caption" color="textSecondary">
            {notInstalled.join(', ')}: not installed on this cluster
          </Typography>
        )}
      </div>
      {cluster.status === 'unavailable' && (
        <WarningPanel
          defaultExpanded
          severity="error"
          title={`Cluster ${cluster.cluster} unreachable: ${
            cluster.error?.message ?? 'no answer'
          }`}
          message={
            hasObjects
              ? 'Showing the last known state of this cluster. Other clusters are unaffected.'
              : 'Nothing can be shown from this cluster until it answers again. Other clusters are unaffected.'
          }
        />
      )}
      {cluster.status === 'stale' && (
        <Typography variant="body2" color="textSecondary">
          The watch on this cluster is down; these objects are from the cache
          and may be out of date.
        </Typography>
      )}
      {cluster.status === 'syncing' && (
        <Typography variant="body2" color="textSecondary">
          Still loading{' '}
          {cluster.kinds
            .filter(k => k.status === 'syncing')
            .map(k => k.kind)
            .join(', ')}{' '}
          from this cluster; they appear here when their first sync is done.
        </Typography>
      )}
      {cluster.status !== 'unavailable' &&
        cluster.status !== 'syncing' &&
        !hasObjects && (
          <Typography variant="body2">
            No workloads or pods labelled <code>{labelSelector}</code> on this
            cluster.
          </Typography>
        )}
      {cluster.workloads.length > 0 && (
        <div className={classes.sub}>
          <Typography variant="subtitle2" component="h3">
            Workloads
          </Typography>
          <WorkloadTable
            cluster={cluster.cluster}
            workloads={cluster.workloads}
          />
        </div>
      )}
      {cluster.pods.length > 0 && (
        <div className={classes.sub}>
          <Typography variant="subtitle2" component="h3">
            Pods
          </Typography>
          <PodTable
            cluster={cluster.cluster}
            pods={cluster.pods}
            now={now}
            selectedKey={selectedKey}
            onOpen={onOpen}
          />
        </div>
      )}
    </Paper>
  );
});
