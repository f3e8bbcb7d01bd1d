import { K8sObject, parseQuantity } from '../../util';
import { Ctl, iso, setCondition } from '../context';
import { Managed, setSuspended } from './jobs';
import {
  isActive,
  isFinished,
  setWorkloadCondition,
  usageOf,
} from './workloads';

/**
 * Kueue admission within one ClusterQueue: pending Workloads in priority then
 * FIFO order get flavors assigned while the nominal quota lasts
 * (`QuotaReserved` + `Admitted`, the job unsuspended with the flavor's node
 * labels and tolerations); the others keep `QuotaReserved=False` with Kueue's
 * reasons (`WaitingForQuota`, `ExceedsMaxQuota`, `Inadmissible`).
 */

type Problem = { reason: string; message: string };
type Usage = Map<string, number>;

/** The ClusterQueue's nominal quota of a resource in a flavor. */
function quotaOf(cq: K8sObject, flavor: string, res: string): number {
  for (const g of cq.spec?.resourceGroups ?? [])
    for (const f of g.flavors ?? [])
      if (f.name === flavor)
        for (const r of f.resources ?? [])
          if (r.name === res) return parseQuantity(r.nominalQuota);
  return 0;
}

/** Tries to fit every pod set; returns the assignments or why not. */
function assignFlavors(
  cq: K8sObject,
  m: Managed,
  tentative: Usage,
): { assignments: any[] } | { problem: Problem } {
  const groups: any[] = cq.spec?.resourceGroups ?? [];
  const assignments: any[] = [];
  for (const ps of m.podSets) {
    const flavorsFor: Record<string, string> = {};
    const resourceUsage: Record<string, string> = {};
    for (const [res, per] of Object.entries(ps.requests)) {
      const need = per * ps.count;
      const group = groups.find(g => (g.coveredResources ?? []).includes(res));
      if (!group)
        return {
          problem: {
            reason: 'Inadmissible',
            message: `couldn't assign flavors to pod set ${ps.name}: resource ${res} unavailable in ClusterQueue`,
          },
        };
      let chosen: string | undefined;
      let shortfall = Infinity;
      let maxQuota = 0;
      for (const f of group.flavors ?? []) {
        const q = quotaOf(cq, f.name, res);
        maxQuota = Math.max(maxQuota, q);
        const free = q - (tentative.get(`${f.name}|${res}`) ?? 0);
        if (free >= need) {
          chosen = f.name;
          break;
        }
        shortfall = Math.min(shortfall, need - free);
      }
      if (!chosen) {
        const flavorName = group.flavors?.[0]?.name ?? '';
        return {
          problem:
            need > maxQuota
              ? {
                  reason: 'ExceedsMaxQuota',
                  message: `couldn't assign flavors to pod set ${ps.name}: insufficient quota for ${res} in flavor ${flavorName}, request > maximum capacity (${need} > ${maxQuota})`,
                }
              : {
                  reason: 'WaitingForQuota',
                  message: `couldn't assign flavors to pod set ${ps.name}: insufficient unused quota for ${res} in flavor ${flavorName}, ${shortfall} more needed`,
                },
        };
      }
      flavorsFor[res] = chosen;
      resourceUsage[res] = String(need);
      tentative.set(
        `${chosen}|${res}`,
        (tentative.get(`${chosen}|${res}`) ?? 0) + need,
      );
    }
    assignments.push({
      name: ps.name,
      count: ps.count,
      flavors: flavorsFor,
      resourceUsage,
    });
  }
  return { assignments };
}

function recordPending(ctl: Ctl, wl: K8sObject, m: Managed, problem: Problem) {
  setWorkloadCondition(
    ctl,
    wl,
    {
      type: 'QuotaReserved',
      status: 'False',
      reason: problem.reason,
      message: problem.message,
    },
    w => {
      w.status.resourceRequests = m.podSets.map(ps => ({
        name: ps.name,
        resources: Object.fromEntries(
          Object.entries(ps.requests).map(([k, v]) => [k, String(v)]),
        ),
      }));
    },
  );
}

function admit(
  ctl: Ctl,
  cqName: string,
  wl: K8sObject,
  m: Managed,
  assignments: any[],
  flavors: Map<string, K8sObject>,
) {
  const labels: Record<string, string> = {};
  const tolerations: any[] = [];
  for (const a of assignments) {
    for (const f of Object.values<string>(a.flavors)) {
      Object.assign(labels, flavors.get(f)?.spec?.nodeLabels ?? {});
      tolerations.push(...(flavors.get(f)?.spec?.tolerations ?? []));
    }
  }
  const nowIso = iso(ctl.now);
  const opts = (w: K8sObject) => ({
    observedGeneration: w.metadata.generation,
  });
  const admitted = ctl.cluster.mutate(
    'kueue.x-k8s.io',
    'Workload',
    wl.metadata.namespace!,
    wl.metadata.name!,
    w => {
      w.status.admission = {
        clusterQueue: cqName,
        podSetAssignments: assignments,
      };
      const reserved = setCondition(
        w.status.conditions,
        {
          type: 'QuotaReserved',
          status: 'True',
          reason: 'QuotaReserved',
          message: `Quota reserved in ClusterQueue ${cqName}`,
        },
        nowIso,
        opts(w),
      );
      w.status.conditions = setCondition(
        reserved,
        {
          type: 'Admitted',
          status: 'True',
          reason: 'Admitted',
          message: 'The workload is admitted',
        },
        nowIso,
        opts(w),
      );
    },
  );
  if (admitted) {
    const waited = Math.max(
      0,
      Math.round((ctl.now - Date.parse(wl.metadata.creationTimestamp!)) / 1000),
    );
    ctl.cluster.recordEvent(
      admitted,
      'Normal',
      'QuotaReserved',
      `Quota reserved in ClusterQueue ${cqName}, wait time since queued was ${waited}s`,
      'kueue-admission',
    );
  }
  if (m.suspended) setSuspended(ctl.cluster, m, false, labels, tolerations);
}

/** Admission order: priority, then creation time, then name. */
export function admissionOrder(a: K8sObject, b: K8sObject): number {
  return (
    (b.spec?.priority ?? 0) - (a.spec?.priority ?? 0) ||
    (a.metadata.creationTimestamp ?? '').localeCompare(
      b.metadata.creationTimestamp ?? '',
    ) ||
    a.metadata.name!.localeCompare(b.metadata.name!)
  );
}

/** Admits what fits in one ClusterQueue. */
export function admitInClusterQueue(
  ctl: Ctl,
  cq: K8sObject,
  mine: K8sObject[],
  jobOf: (wl: K8sObject) => Managed | undefined,
  flavors: Map<string, K8sObject>,
): void {
  const used: Usage = new Map();
  for (const w of mine.filter(isActive))
    for (const u of usageOf(w)) {
      const k = `${u.flavor}|${u.resource}`;
      used.set(k, (used.get(k) ?? 0) + u.qty);
    }
  const pending = mine
    .filter(w => !isActive(w) && !isFinished(w) && w.spec?.active !== false)
    .sort(admissionOrder);
  const strict = cq.spec?.queueingStrategy === 'StrictFIFO';
  let blocked = false;
  for (const wl of pending) {
    const m = jobOf(wl);
    if (!m) continue;
    const tentative = new Map(used);
    let result = assignFlavors(cq, m, tentative);
    if ('assignments' in result && strict && blocked)
      result = {
        problem: {
          reason: 'WaitingForQuota',
          message:
            'Workload is waiting behind an older workload in a StrictFIFO ClusterQueue',
        },
      };
    if ('problem' in result) {
      if (strict) blocked = true;
      recordPending(ctl, wl, m, result.problem);
      continue;
    }
    for (const [k, v] of tentative) used.set(k, v);
    admit(ctl, cq.metadata.name!, wl, m, result.assignments, flavors);
  }
}
