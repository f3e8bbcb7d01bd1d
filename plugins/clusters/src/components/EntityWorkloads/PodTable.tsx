import {
  Link,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
} from '@material-ui/core';
import type { PodEnvelope } from '@careplane/plugin-clusters-common';
import { objectKey } from '@careplane/plugin-clusters-react';
import { memo } from 'react';
import { formatDuration, since } from '../shared/format';
import { PodStatus } from './status';

const PodRow = memo(function PodRowImpl(props: {
  pod: PodEnvelope;
  now: number;
  selected: boolean;
  onOpen: (cluster: string, key: string) => void;
}) {
  const { pod, now, selected, onOpen } = props;
  const { summary } = pod;
  const age = since(pod.object.metadata.creationTimestamp, now);
  return (
    <TableRow selected={selected} data-testid={`pod-${pod.cluster}-${pod.name}`}>
      <TableCell>
        <Link
          component="button"
          variant="body2"
          onClick={() => onOpen(pod.cluster, objectKey(pod))}
          aria-label={`Details of pod ${pod.name} on ${pod.cluster}`}
        >
          {pod.name}
        </Link>
      </TableCell>
      <TableCell>
        <PodStatus pod={pod} />
      </TableCell>
      <TableCell align="right">
        {summary.readyContainers}/{summary.totalContainers}
      </TableCell>
      <TableCell align="right">{summary.restarts}</TableCell>
      <TableCell>{summary.reasons.join(', ') || '—'}</TableCell>
      <TableCell>{summary.nodeName ?? 'not scheduled'}</TableCell>
      <TableCell>{age === undefined ? '—' : formatDuration(age)}</TableCell>
    </TableRow>
  );
});

/** Pods with readiness X/Y, restarts, reasons, node and age; names open the detail drawer. */
export function PodTable(props: {
  cluster: string;
  pods: PodEnvelope[];
  now: number;
  selectedKey?: string;
  onOpen: (cluster: string, key: string) => void;
}) {
  const { cluster, pods, now, selectedKey, onOpen } = props;
  return (
    <Table size="small" aria-label={`Pods on ${cluster}`}>
      <TableHead>
        <TableRow>
          <TableCell>Pod</TableCell>
          <TableCell>Status</TableCell>
          <TableCell align="right">Ready</TableCell>
          <TableCell align="right">Restarts</TableCell>
          <TableCell>Reasons</TableCell>
          <TableCell>Node</TableCell>
          <TableCell>Age</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {pods.map(p => {
          const key = objectKey(p);
          return (
            <PodRow
              key={key}
              pod={p}
              now={now}
              selected={key === selectedKey}
              onOpen={onOpen}
            />
          );
        })}
      </TableBody>
    </Table>
  );
}
