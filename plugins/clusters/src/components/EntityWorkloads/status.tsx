import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import type {
  PodEnvelope,
  WorkloadEnvelope,
} from '@careplane/plugin-clusters-common';

/** Pod status in words (with an icon; never colour alone). */
export function podStatusText(pod: PodEnvelope): string {
  const { summary } = pod;
  if (pod.object.metadata.deletionTimestamp) return 'Terminating';
  if (summary.phase === 'Succeeded') return 'Completed';
  if (summary.ready) return 'Ready';
  if (summary.reasons.length) return summary.reasons[0];
  if (summary.phase === 'Pending') return 'Pending';
  if (summary.phase === 'Failed') return 'Failed';
  return 'Not ready';
}

export function PodStatus(props: { pod: PodEnvelope }) {
  const text = podStatusText(props.pod);
  if (text === 'Ready' || text === 'Completed') return <StatusOK>{text}</StatusOK>;
  if (text === 'Pending' || text === 'Terminating') {
    return <StatusPending>{text}</StatusPending>;
  }
  if (text === 'Not ready') return <StatusWarning>{text}</StatusWarning>;
  return <StatusError>{text}</StatusError>;
}

/** Workload status in words, e.g. `Available`, `Progressing`, `Paused: CanaryPauseStep`. */
export function workloadStatusText(w: WorkloadEnvelope): string {
  const { replicas } = w;
  const status = w.object.status ?? {};
  if (w.kind === 'Rollout') {
    const pause = status.pauseConditions?.[0]?.reason;
    if (w.object.spec?.paused || pause) {
      return `Paused${pause ? `: ${pause}` : ''}`;
    }
    if (status.phase) return status.phase;
  }
  if (replicas.desired === 0) return 'Scaled to zero';
  if (!replicas.observed) return 'Progressing';
  if (
    replicas.ready >= replicas.desired &&
    replicas.updated >= replicas.desired
  ) {
    return 'Available';
  }
  if (replicas.ready === 0) return 'Unavailable';
  return 'Progressing';
}

export function WorkloadStatus(props: { workload: WorkloadEnvelope }) {
  const text = workloadStatusText(props.workload);
  if (text === 'Available' || text === 'Healthy') return <StatusOK>{text}</StatusOK>;
  if (text === 'Progressing') return <StatusRunning>{text}</StatusRunning>;
  if (text.startsWith('Paused') || text === 'Scaled to zero') {
    return <StatusPending>{text}</StatusPending>;
  }
  if (text === 'Unavailable' || text === 'Degraded') {
    return <StatusError>{text}</StatusError>;
  }
  return <StatusWarning>{text}</StatusWarning>;
}
