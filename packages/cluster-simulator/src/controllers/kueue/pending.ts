import type { SimulatedCluster } from '../../cluster';
import type { K8sObject } from '../../util';
import { getCondition } from '../context';

/** Pending workloads of a ClusterQueue in admission order (for the visibility API). */
export function pendingWorkloads(
  cluster: SimulatedCluster,
  cqName: string,
): Array<{
  workload: K8sObject;
  positionInClusterQueue: number;
  positionInLocalQueue: number;
}> {
  const lqs = cluster
    .objectsOf('kueue.x-k8s.io', 'LocalQueue')
    .filter(q => q.spec?.clusterQueue === cqName);
  const names = new Set(
    lqs.map(q => `${q.metadata.namespace}/${q.metadata.name}`),
  );
  const pending = cluster
    .objectsOf('kueue.x-k8s.io', 'Workload')
    .filter(w => names.has(`${w.metadata.namespace}/${w.spec?.queueName}`))
    .filter(
      w =>
        getCondition(w, 'QuotaReserved')?.status !== 'True' &&
        getCondition(w, 'Finished')?.status !== 'True',
    )
    .sort(
      (a, b) =>
        (b.spec?.priority ?? 0) - (a.spec?.priority ?? 0) ||
        (a.metadata.creationTimestamp ?? '').localeCompare(
          b.metadata.creationTimestamp ?? '',
        ) ||
        a.metadata.name!.localeCompare(b.metadata.name!),
    );
  const perLq = new Map<string, number>();
  return pending.map((w, i) => {
    const k = `${w.metadata.namespace}/${w.spec?.queueName}`;
    const pos = perLq.get(k) ?? 0;
    perLq.set(k, pos + 1);
    return {
      workload: w,
      positionInClusterQueue: i,
      positionInLocalQueue: pos,
    };
  });
}
