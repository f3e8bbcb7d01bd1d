import { Box, Button, Typography } from '@material-ui/core';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  ListRunsResponse,
  trainingRunCreatePermission,
} from '@careplane/plugin-training-common';
import { useCallback, useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { trainingApiRef } from '../../api/TrainingApi';
import { LaunchDialog } from '../LaunchDialog';
import { RunsTable } from '../shared/RunsTable';

/** The entity's "Training" tab: its runs, and launching one if you own it. */
export function EntityTrainingContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(trainingApiRef);
  const navigate = useNavigate();
  const [runs, setRuns] = useState<ListRunsResponse>();
  const [error, setError] = useState<Error>();
  const [launching, setLaunching] = useState(false);
  const [currency, setCurrency] = useState('USD');
  const canLaunch = usePermission({
    permission: trainingRunCreatePermission,
    resourceRef: entityRef,
  });

  const load = useCallback(() => {
    api.listRuns({ entityRef, limit: 50 }).then(
      r => {
        setRuns(r);
        setError(undefined);
      },
      e => setError(e),
    );
  }, [api, entityRef]);

  useEffect(() => {
    load();
    api.gpuTypes().then(
      t => setCurrency(t.currency),
      () => undefined,
    );
    const t = setInterval(load, 5000);
    return () => clearInterval(t);
  }, [api, load]);

  return (
    <InfoCard title="Training runs">
      <Box display="flex" alignItems="center" mb={2}>
        <Box flexGrow={1}>
          {!canLaunch.loading && !canLaunch.allowed && (
            <Typography variant="body2" color="textSecondary">
              Only owners of this entity and platform admins may launch runs.
            </Typography>
          )}
        </Box>
        <Button
          variant="contained"
          color="primary"
          disabled={!canLaunch.allowed}
          onClick={() => setLaunching(true)}
        >
          Launch a run
        </Button>
      </Box>
      {error && <ResponseErrorPanel error={error} />}
      {!runs && !error && <Progress />}
      {runs && (
        <RunsTable runs={runs.items} currency={currency} showEntity={false} />
      )}
      <LaunchDialog
        open={launching}
        entityRef={entityRef}
        onClose={() => setLaunching(false)}
        onLaunched={run => navigate(`/training/runs/${run.id}`)}
      />
    </InfoCard>
  );
}
