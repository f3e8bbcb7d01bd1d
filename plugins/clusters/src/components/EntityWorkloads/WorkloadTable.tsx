import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
} from '@material-ui/core';
import type { WorkloadEnvelope } from '@careplane/plugin-clusters-common';
import { objectKey } from '@careplane/plugin-clusters-react';
import { memo } from 'react';
import { WorkloadStatus } from './status';

const WorkloadRow = memo(function WorkloadRowImpl(props: {
  workload: WorkloadEnvelope;
}) {
  const { workload } = props;
  const { replicas } = workload;
  return (
    <TableRow>
      <TableCell>{workload.kind}</TableCell>
      <TableCell>{workload.name}</TableCell>
      <TableCell>
        <WorkloadStatus workload={workload} />
      </TableCell>
      <TableCell align="right">{replicas.desired}</TableCell>
      <TableCell align="right">{replicas.ready}</TableCell>
      <TableCell align="right">{replicas.updated}</TableCell>
      <TableCell align="right">{replicas.available}</TableCell>
    </TableRow>
  );
});

/** Deployments, StatefulSets and Rollouts with desired / ready / updated / available. */
export function WorkloadTable(props: {
  cluster: string;
  workloads: WorkloadEnvelope[];
}) {
  return (
    <Table size="small" aria-label={`Workloads on ${props.cluster}`}>
      <TableHead>
        <TableRow>
          <TableCell>Kind</TableCell>
          <TableCell>Name</TableCell>
          <TableCell>Status</TableCell>
          <TableCell align="right">Desired</TableCell>
          <TableCell align="right">Ready</TableCell>
          <TableCell align="right">Updated</TableCell>
          <TableCell align="right">Available</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.workloads.map(w => (
          <WorkloadRow key={objectKey(w)} workload={w} />
        ))}
      </TableBody>
    </Table>
  );
}
