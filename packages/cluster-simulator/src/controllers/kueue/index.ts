import type { K8sObject } from '../../util';
import { Ctl } from '../context';
import { admitInClusterQueue } from './admission';
import { managedJobs } from './jobs';
import { updateQueueStatus } from './queues';
import { markInadmissible, syncWorkloads } from './workloads';

export { kueueAdmissionHook, QUEUE_LABEL } from './jobs';
export { pendingWorkloads } from './pending';

const GROUP = 'kueue.x-k8s.io';

/**
 * Kueue: one Workload per queued job, admission in priority then FIFO order
 * within each ClusterQueue's nominal quota, pending reasons as Kueue words
 * them, quota released when jobs finish, queue status counters.
 */
export function reconcileKueue(ctl: Ctl): void {
  const { cluster } = ctl;
  if (!cluster.hasKind(GROUP, 'Workload')) return;
  const jobs = managedJobs(cluster);
  syncWorkloads(ctl, jobs);

  const lqs = cluster.objectsOf(GROUP, 'LocalQueue');
  const cqs = cluster.objectsOf(GROUP, 'ClusterQueue');
  const flavors = new Map(
    cluster.objectsOf(GROUP, 'ResourceFlavor').map(f => [f.metadata.name!, f]),
  );
  markInadmissible(ctl, cluster.objectsOf(GROUP, 'Workload'), lqs, cqs);
  const jobByUid = new Map(jobs.map(m => [m.obj.metadata.uid!, m]));
  const jobOf = (wl: K8sObject) =>
    jobByUid.get(wl.metadata.ownerReferences?.[0]?.uid ?? '');

  for (const cq of cqs) {
    const cqName = cq.metadata.name!;
    const myLqs = lqs.filter(q => q.spec?.clusterQueue === cqName);
    const lqNames = new Set(
      myLqs.map(q => `${q.metadata.namespace}/${q.metadata.name}`),
    );
    const inQueue = () =>
      cluster
        .objectsOf(GROUP, 'Workload')
        .filter(w =>
          lqNames.has(`${w.metadata.namespace}/${w.spec?.queueName}`),
        );
    admitInClusterQueue(ctl, cq, inQueue(), jobOf, flavors);
    updateQueueStatus(ctl, cq, myLqs, inQueue());
  }
}
