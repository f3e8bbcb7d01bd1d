import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { Link } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import type { Run } from '@careplane/plugin-training-common';
import { formatMoney, runDuration } from './format';
import { StateChip } from './StateChip';
import { useNow } from './useNow';

function entityName(ref: string): string {
  try {
    return parseEntityRef(ref).name;
  } catch {
    return ref;
  }
}

/** Runs as a table: name (to the run page), entity, state in words, GPUs, duration, cost. */
export function RunsTable(props: {
  runs: Run[];
  currency: string;
  showEntity?: boolean;
}) {
  const now = useNow();
  if (!props.runs.length) {
    return <Typography color="textSecondary">No training runs yet.</Typography>;
  }
  return (
    <Table size="small" aria-label="Training runs">
      <TableHead>
        <TableRow>
          <TableCell>Run</TableCell>
          {props.showEntity !== false && <TableCell>Entity</TableCell>}
          <TableCell>State</TableCell>
          <TableCell>Cluster</TableCell>
          <TableCell align="right">GPUs</TableCell>
          <TableCell>Duration</TableCell>
          <TableCell align="right">GPU-hours</TableCell>
          <TableCell align="right">Cost</TableCell>
          <TableCell>Launched by</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.runs.map(run => (
          <TableRow key={run.id} data-testid={`run-${run.objectName}`}>
            <TableCell>
              <Link to={`/training/runs/${run.id}`}>{run.objectName}</Link>
            </TableCell>
            {props.showEntity !== false && (
              <TableCell>{entityName(run.entityRef)}</TableCell>
            )}
            <TableCell>
              <StateChip state={run.state} />
            </TableCell>
            <TableCell>{run.cluster}</TableCell>
            <TableCell align="right">
              {run.totalGpus} ×{' '}
              {run.parameters.migProfile ?? run.parameters.gpuType}
            </TableCell>
            <TableCell>{runDuration(run, now)}</TableCell>
            <TableCell align="right">{run.gpuHours.toFixed(2)}</TableCell>
            <TableCell align="right">
              {formatMoney(run.cost, props.currency)}
            </TableCell>
            <TableCell>{entityName(run.createdBy)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
