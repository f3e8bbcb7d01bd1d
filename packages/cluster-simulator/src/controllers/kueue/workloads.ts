import { fnv32, K8sObject, parseQuantity } from '../../util';
import {
  Ctl,
  getCondition,
  iso,
  ownedBy,
  ownerRef,
  setCondition,
} from '../context';
import { Managed, QUEUE_LABEL } from './jobs';

/**
 * Kueue's Workload bookkeeping: one Workload per queued job (created by the
 * job reconciler), its Finished and PodsReady conditions, and the helpers the
 * admission loop shares.
 */

const GROUP = 'kueue.x-k8s.io';

/** Sets one condition on a Workload (observedGeneration as Kueue does). */
export function setWorkloadCondition(
  ctl: Ctl,
  wl: K8sObject,
  cond: { type: string; status: string; reason: string; message: string },
  more?: (w: K8sObject) => void,
): K8sObject | undefined {
  return ctl.cluster.mutate(
    GROUP,
    'Workload',
    wl.metadata.namespace!,
    wl.metadata.name!,
    w => {
      w.status.conditions = setCondition(
        w.status.conditions,
        cond,
        iso(ctl.now),
        { observedGeneration: w.metadata.generation },
      );
      more?.(w);
    },
  );
}

function createWorkload(ctl: Ctl, m: Managed): K8sObject {
  const wlName = `${m.kind.toLowerCase()}-${m.obj.metadata.name}-${(
    fnv32(m.obj.metadata.uid!) & 0xfffff
  )
    .toString(16)
    .padStart(5, '0')}`;
  return ctl.cluster.writeInternal(
    {
      apiVersion: 'kueue.x-k8s.io/v1beta2',
      kind: 'Workload',
      metadata: {
        name: wlName,
        namespace: m.obj.metadata.namespace,
        labels: { 'kueue.x-k8s.io/job-uid': m.obj.metadata.uid! },
        ownerReferences: [ownerRef(m.obj)],
      },
      spec: {
        active: true,
        queueName: m.obj.metadata.labels![QUEUE_LABEL],
        priority: 0,
        podSets: m.podSets.map(ps => ({
          name: ps.name,
          count: ps.count,
          template: {
            spec: {
              containers: (ps.template?.spec?.containers ?? []).map(
                (c: any) => ({
                  name: c.name,
                  image: c.image,
                  resources: c.resources ?? {},
                }),
              ),
            },
          },
        })),
      },
      status: {},
    },
    'kueue',
  );
}

function podsReady(m: Managed): boolean {
  if (m.kind === 'Job')
    return (m.obj.status?.ready ?? 0) >= (m.obj.spec?.parallelism ?? 1);
  if (m.kind === 'TrainJob')
    return (m.obj.status?.jobsStatus?.[0]?.ready ?? 0) > 0;
  return getCondition(m.obj, 'Running')?.status === 'True';
}

/** Ensures a Workload per managed job and keeps Finished / PodsReady current. */
export function syncWorkloads(ctl: Ctl, jobs: Managed[]): void {
  for (const m of jobs) {
    const wl =
      ownedBy(ctl, m.obj, GROUP, 'Workload')[0] ?? createWorkload(ctl, m);
    // Finished jobs release their quota.
    if (m.finished && getCondition(wl, 'Finished')?.status !== 'True') {
      setWorkloadCondition(ctl, wl, {
        type: 'Finished',
        status: 'True',
        reason: m.finished,
        message:
          m.finished === 'Succeeded'
            ? 'Job finished successfully'
            : 'Job failed',
      });
    }
    // PodsReady when all pods of an admitted job are ready.
    if (!m.finished && getCondition(wl, 'Admitted')?.status === 'True') {
      setWorkloadCondition(
        ctl,
        wl,
        podsReady(m)
          ? {
              type: 'PodsReady',
              status: 'True',
              reason: 'PodsReady',
              message: 'All pods reached readiness and the workload is running',
            }
          : {
              type: 'PodsReady',
              status: 'False',
              reason: 'WaitForStart',
              message: 'Not all pods are ready or succeeded',
            },
      );
    }
  }
}

/** Whether a Workload holds quota. */
export function isActive(wl: K8sObject): boolean {
  return (
    getCondition(wl, 'QuotaReserved')?.status === 'True' &&
    getCondition(wl, 'Finished')?.status !== 'True'
  );
}

/** Whether a Workload has finished. */
export function isFinished(wl: K8sObject): boolean {
  return getCondition(wl, 'Finished')?.status === 'True';
}

/** The flavor / resource / quantity a Workload's admission uses. */
export function usageOf(
  wl: K8sObject,
): Array<{ flavor: string; resource: string; qty: number }> {
  const out: Array<{ flavor: string; resource: string; qty: number }> = [];
  for (const psa of wl.status?.admission?.podSetAssignments ?? []) {
    for (const [res, qty] of Object.entries<any>(psa.resourceUsage ?? {})) {
      out.push({
        flavor: psa.flavors?.[res] ?? '',
        resource: res,
        qty: parseQuantity(qty),
      });
    }
  }
  return out;
}

/** Marks pending Workloads whose LocalQueue or ClusterQueue is missing. */
export function markInadmissible(
  ctl: Ctl,
  workloads: K8sObject[],
  lqs: K8sObject[],
  cqs: K8sObject[],
): void {
  for (const wl of workloads) {
    if (isActive(wl) || isFinished(wl)) continue;
    const lq = lqs.find(
      q =>
        q.metadata.namespace === wl.metadata.namespace &&
        q.metadata.name === wl.spec?.queueName,
    );
    const cqName = lq?.spec?.clusterQueue;
    if (lq && cqs.some(c => c.metadata.name === cqName)) continue;
    setWorkloadCondition(ctl, wl, {
      type: 'QuotaReserved',
      status: 'False',
      reason: 'Inadmissible',
      message: !lq
        ? `LocalQueue ${wl.spec?.queueName} doesn't exist`
        : `ClusterQueue ${cqName} doesn't exist`,
    });
  }
}
