import type { K8sObject } from '../../util';
import { Ctl, getCondition, iso, setCondition } from '../context';
import { isActive, isFinished, usageOf } from './workloads';

/**
 * ClusterQueue and LocalQueue status as Kueue reports it: workload counters,
 * flavor reservation / usage per resource, and the Active condition.
 */

function flavorUsage(cq: K8sObject, ws: K8sObject[]): any[] {
  const out: any[] = [];
  for (const g of cq.spec?.resourceGroups ?? []) {
    for (const f of g.flavors ?? []) {
      out.push({
        name: f.name,
        resources: (f.resources ?? []).map((r: any) => {
          let total = 0;
          for (const w of ws.filter(isActive))
            for (const u of usageOf(w))
              if (u.flavor === f.name && u.resource === r.name) total += u.qty;
          return { name: r.name, total: String(total), borrowed: '0' };
        }),
      });
    }
  }
  return out;
}

function countOf(ws: K8sObject[]) {
  return {
    pendingWorkloads: ws.filter(w => !isActive(w) && !isFinished(w)).length,
    reservingWorkloads: ws.filter(isActive).length,
    admittedWorkloads: ws.filter(
      w => isActive(w) && getCondition(w, 'Admitted')?.status === 'True',
    ).length,
  };
}

/** Writes the status of a ClusterQueue and of its LocalQueues. */
export function updateQueueStatus(
  ctl: Ctl,
  cq: K8sObject,
  lqs: K8sObject[],
  workloads: K8sObject[],
): void {
  const nowIso = iso(ctl.now);
  const cqName = cq.metadata.name!;
  ctl.cluster.mutate('kueue.x-k8s.io', 'ClusterQueue', '', cqName, c => {
    c.status = {
      ...countOf(workloads),
      flavorsReservation: flavorUsage(cq, workloads),
      flavorsUsage: flavorUsage(cq, workloads),
      conditions: setCondition(
        c.status?.conditions,
        {
          type: 'Active',
          status: 'True',
          reason: 'Ready',
          message: 'Can admit new workloads',
        },
        nowIso,
        { observedGeneration: c.metadata.generation },
      ),
    };
  });
  for (const lq of lqs) {
    const ws = workloads.filter(
      w =>
        w.metadata.namespace === lq.metadata.namespace &&
        w.spec?.queueName === lq.metadata.name,
    );
    ctl.cluster.mutate(
      'kueue.x-k8s.io',
      'LocalQueue',
      lq.metadata.namespace!,
      lq.metadata.name!,
      q => {
        q.status = {
          ...countOf(ws),
          flavorsReservation: flavorUsage(cq, ws),
          flavorsUsage: flavorUsage(cq, ws),
          conditions: setCondition(
            q.status?.conditions,
            {
              type: 'Active',
              status: 'True',
              reason: 'Ready',
              message: 'Can submit new workloads to localQueue',
            },
            nowIso,
            { observedGeneration: q.metadata.generation },
          ),
        };
      },
    );
  }
}
