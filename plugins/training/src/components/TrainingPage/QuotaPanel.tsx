import { Box, LinearProgress, Typography } from '@material-ui/core';
import { InfoCard } from '@backstage/core-components';
import type { QuotaResponse } from '@careplane/plugin-training-common';

/** GPU quota per queue: a bar and the numbers in words. */
export function QuotaPanel(props: { quota?: QuotaResponse }) {
  const items = props.quota?.items ?? [];
  return (
    <InfoCard title="GPU quota">
      {!items.length && (
        <Typography color="textSecondary">No GPU quota is known.</Typography>
      )}
      {items.map(q => {
        const pct = q.nominal ? Math.min(100, (q.used / q.nominal) * 100) : 0;
        return (
          <Box key={`${q.cluster}/${q.queue}/${q.flavor}/${q.resource}`} mb={2}>
            <Typography variant="body2">
              <strong>{q.queue}</strong> on {q.cluster}
              {q.flavor ? ` (${q.flavor})` : ''}: {q.used} of {q.nominal}{' '}
              {q.resource} in use, {Math.max(0, q.nominal - q.used)} free
              {q.pendingWorkloads ? `, ${q.pendingWorkloads} waiting` : ''}
              {q.source === 'config' ? ' (team quota from config)' : ''}
            </Typography>
            <LinearProgress
              variant="determinate"
              value={pct}
              aria-label={`${q.queue} ${q.used} of ${q.nominal} used`}
            />
          </Box>
        );
      })}
      {props.quota?.unavailable.map(u => (
        <Typography key={u.cluster} color="error" variant="body2">
          {u.cluster}: queues could not be read ({u.error})
        </Typography>
      ))}
    </InfoCard>
  );
}
