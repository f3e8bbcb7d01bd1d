import { Box, Typography } from '@material-ui/core';
import { InfoCard, Progress } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { PhaseChip } from '../shared/PhaseChip';
import { useEntityRollouts } from './useEntityRollouts';

/** The entity overview card: each release's state per cluster, live. */
export function RolloutsOverviewCard() {
  const { entity } = useEntity();
  const live = useEntityRollouts(stringifyEntityRef(entity));
  return (
    <InfoCard title="Rollouts">
      {live.loading && <Progress />}
      {live.error && (
        <Typography color="error">{live.error.message}</Typography>
      )}
      {live.clusters?.map(c =>
        c.rollouts.map(r => (
          <Box
            key={`${c.cluster}/${r.kind}/${r.name}`}
            display="flex"
            alignItems="center"
            style={{ gap: 8 }}
            mb={1}
          >
            <Typography variant="body2" style={{ minWidth: 110 }}>
              {c.cluster}
            </Typography>
            <PhaseChip phase={r.phase} />
            <Typography variant="body2">
              {r.kind} {r.name}
              {r.step ? ` · step ${r.step.index}/${r.step.total}` : ''}
              {r.weights?.set !== undefined && r.phase !== 'Healthy'
                ? ` · ${r.weights.set} %`
                : ''}
            </Typography>
          </Box>
        )),
      )}
      {live.clusters && live.clusters.every(c => c.rollouts.length === 0) && (
        <Typography variant="body2">No releases on any cluster.</Typography>
      )}
    </InfoCard>
  );
}
