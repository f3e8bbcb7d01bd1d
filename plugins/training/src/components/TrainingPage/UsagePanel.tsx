import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { InfoCard } from '@backstage/core-components';
import type { UsageResponse } from '@careplane/plugin-training-common';
import { formatMoney } from '../shared/format';

/** GPU-hours and cost per team and month. */
export function UsagePanel(props: { usage?: UsageResponse }) {
  const items = props.usage?.items ?? [];
  return (
    <InfoCard title="GPU-hours and cost per team and month">
      {!items.length ? (
        <Typography color="textSecondary">No run has used GPUs yet.</Typography>
      ) : (
        <Table size="small" aria-label="Usage per team and month">
          <TableHead>
            <TableRow>
              <TableCell>Month</TableCell>
              <TableCell>Team</TableCell>
              <TableCell align="right">Runs</TableCell>
              <TableCell align="right">GPU-hours</TableCell>
              <TableCell align="right">Cost</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {items.map(u => (
              <TableRow key={`${u.month}/${u.team}`}>
                <TableCell>{u.month}</TableCell>
                <TableCell>{u.team}</TableCell>
                <TableCell align="right">{u.runs}</TableCell>
                <TableCell align="right">{u.gpuHours.toFixed(2)}</TableCell>
                <TableCell align="right">
                  {formatMoney(u.cost, props.usage?.currency)}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
}
