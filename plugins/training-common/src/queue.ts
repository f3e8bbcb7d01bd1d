import type { KubeObject } from '@careplane/plugin-clusters-common';
import { conditionOf, isTrue } from './conditions';

/** Whether a Workload waits for quota (no reservation, not finished, active). */
export function isPendingWorkload(wl: KubeObject): boolean {
  return (
    !isTrue(wl, 'QuotaReserved') &&
    !isTrue(wl, 'Finished') &&
    wl.spec?.active !== false
  );
}

/** Kueue's order: priority (higher first), then creation time, then name. */
function admissionOrder(a: KubeObject, b: KubeObject): number {
  return (
    (b.spec?.priority ?? 0) - (a.spec?.priority ?? 0) ||
    (a.metadata.creationTimestamp ?? '').localeCompare(
      b.metadata.creationTimestamp ?? '',
    ) ||
    a.metadata.name.localeCompare(b.metadata.name)
  );
}

/**
 * The ClusterQueue a Workload queues in: its admission's, else its LocalQueue's.
 * @public
 */
export function clusterQueueOf(
  wl: KubeObject,
  localQueues: KubeObject[],
): string | undefined {
  const admitted: unknown = wl.status?.admission?.clusterQueue;
  if (typeof admitted === 'string') return admitted;
  const lq = localQueues.find(
    q =>
      q.metadata.namespace === wl.metadata.namespace &&
      q.metadata.name === wl.spec?.queueName,
  );
  const cq: unknown = lq?.spec?.clusterQueue;
  return typeof cq === 'string' ? cq : undefined;
}

/**
 * Position (1 = next) of a pending Workload in its ClusterQueue, in Kueue's admission order
 * (priority, then creation time): what the Visibility API's `positionInClusterQueue` + 1 says,
 * computed from the cached Workloads and LocalQueues of the cluster. `undefined` when the Workload
 * is not pending or its queue is unknown.
 * @public
 */
export function queuePosition(
  target: KubeObject,
  workloads: KubeObject[],
  localQueues: KubeObject[],
): number | undefined {
  if (!isPendingWorkload(target)) return undefined;
  const cq = clusterQueueOf(target, localQueues);
  if (!cq) return undefined;
  const pending = workloads
    .filter(isPendingWorkload)
    .filter(w => clusterQueueOf(w, localQueues) === cq)
    .sort(admissionOrder);
  const i = pending.findIndex(
    w =>
      w.metadata.namespace === target.metadata.namespace &&
      w.metadata.name === target.metadata.name,
  );
  return i < 0 ? undefined : i + 1;
}

/**
 * The reason a pending Workload gives (QuotaReserved=False), e.g. `WaitingForQuota`.
 * @public
 */
export function pendingReason(
  wl: KubeObject,
): { reason: string; message?: string } | undefined {
  const c = conditionOf(wl, 'QuotaReserved');
  if (!c || c.status === 'True') return undefined;
  return { reason: c.reason ?? 'Pending', message: c.message };
}
