import type { ObjectEnvelope } from '@careplane/plugin-clusters-common';

/** Kinds evaluated as workloads (pods owned by a controller are evaluated through it). @public */
export const WORKLOAD_KINDS = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'Rollout',
  'Pod',
];

/**
 * Whether an object is a workload of its own: a workload kind not controlled by another
 * workload (a ReplicaSet's or Job's pods, a CronJob's Jobs are evaluated through their owner).
 * @public
 */
export function isTopLevelWorkload(o: ObjectEnvelope): boolean {
  if (!WORKLOAD_KINDS.includes(o.kind)) return false;
  const owners = o.object.metadata.ownerReferences ?? [];
  return !owners.some(r => r.controller !== false);
}
