import {
  Box,
  Button,
  makeStyles,
  Typography,
} from '@material-ui/core';
import {
  EmptyState,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  PodEnvelope,
  selectorForEntity,
} from '@careplane/plugin-clusters-common';
import {
  describeError,
  objectKey,
  useLiveEntityWorkloads,
} from '@careplane/plugin-clusters-react';
import { useCallback, useMemo, useRef, useState } from 'react';
import { ConnectionStatus } from '../shared/ConnectionStatus';
import { useNow } from '../shared/useNow';
import { ClusterSection } from './ClusterSection';
import { PodDrawer } from './PodDrawer';

const useStyles = makeStyles(theme => ({
  bar: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  grow: { flex: 1 },
}));

function safeSelector(entity: Parameters<typeof selectorForEntity>[0]) {
  try {
    return { selector: selectorForEntity(entity) };
  } catch (e) {
    return { error: e as Error };
  }
}

/**
 * The entity Workloads tab: per cluster, the entity's workloads and pods with freshness and
 * errors, kept live over the stream. One unreachable cluster is a message in its own section,
 * never an empty or error page.
 */
export function EntityWorkloadsContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const { selector, error: selectorError } = safeSelector(entity);
  const classes = useStyles();
  const now = useNow();
  const live = useLiveEntityWorkloads(selector ? entityRef : undefined);
  const [selected, setSelected] = useState<{ cluster: string; key: string }>();
  const lastSeen = useRef<PodEnvelope>();

  const onOpen = useCallback(
    (cluster: string, key: string) => setSelected({ cluster, key }),
    [],
  );
  const onClose = useCallback(() => {
    setSelected(undefined);
    lastSeen.current = undefined;
  }, []);

  const selectedPod = useMemo(() => {
    if (!selected) return undefined;
    return live.clusters
      ?.find(c => c.cluster === selected.cluster)
      ?.pods.find(p => objectKey(p) === selected.key);
  }, [live.clusters, selected]);
  if (selectedPod) lastSeen.current = selectedPod;

  if (selectorError) {
    return (
      <WarningPanel
        severity="error"
        title="The entity's Kubernetes label selector is not valid"
        message={`${selectorError.message}. Fix the ${ANNOTATION_KUBERNETES_LABEL_SELECTOR} annotation in the entity's catalog-info.yaml.`}
      />
    );
  }
  if (!selector) {
    return (
      <EmptyState
        missing="field"
        title="No Kubernetes objects are linked to this entity"
        description={`Add the annotation ${ANNOTATION_KUBERNETES_ID}: <id> to the entity's catalog-info.yaml and the label ${ANNOTATION_KUBERNETES_ID}=<id> to its Kubernetes objects (or set ${ANNOTATION_KUBERNETES_LABEL_SELECTOR} to a selector they already match).`}
      />
    );
  }
  if (live.loading) return <Progress />;
  if (live.error || !live.clusters) {
    return (
      <WarningPanel
        severity="error"
        title="Could not load the workloads of this entity"
        message={describeError(live.error)}
      >
        <Button variant="outlined" onClick={live.refresh}>
          Try again
        </Button>
      </WarningPanel>
    );
  }

  const shown = live.clusters.filter(
    c => c.status !== 'ok' || c.workloads.length + c.pods.length > 0,
  );
  const empty = live.clusters
    .filter(c => !shown.includes(c))
    .map(c => c.cluster);

  return (
    <>
      <div className={classes.bar}>
        <Typography variant="body2" className={classes.grow}>
          Objects labelled <code>{selector.labelSelector}</code>
          {selector.namespace ? ` in namespace ${selector.namespace}` : ''},
          on {live.clusters.length} cluster
          {live.clusters.length === 1 ? '' : 's'}
        </Typography>
        <ConnectionStatus state={live.connection} />
      </div>
      {live.refreshError && (
        <Box mb={2}>
          <WarningPanel
            severity="warning"
            title="Could not refresh; showing the last known state"
            message={describeError(live.refreshError)}
          />
        </Box>
      )}
      {shown.length === 0 && (
        <EmptyState
          missing="data"
          title="Nothing running on any cluster"
          description={`No cluster has objects labelled ${selector.labelSelector}. Deploy the service, or check that its manifests carry that label.`}
        />
      )}
      {shown.map(c => (
        <ClusterSection
          key={c.cluster}
          cluster={c}
          labelSelector={selector.labelSelector}
          now={now}
          selectedKey={selected?.cluster === c.cluster ? selected.key : undefined}
          onOpen={onOpen}
        />
      ))}
      {empty.length > 0 && shown.length > 0 && (
        <Typography variant="body2" color="textSecondary">
          Nothing of this entity on {empty.join(', ')}.
        </Typography>
      )}
      <PodDrawer
        pod={selected ? selectedPod ?? lastSeen.current : undefined}
        gone={Boolean(selected && !selectedPod)}
        now={now}
        onClose={onClose}
      />
    </>
  );
}
