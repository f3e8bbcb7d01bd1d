import type { KubeObject } from '@careplane/plugin-clusters-common';

const SUFFIX: Record<string, number> = {
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
};

/**
 * A Kubernetes quantity as a number (`500m` → 0.5, `2Ti` → 2·2⁴⁰); NaN when malformed.
 * @public
 */
export function parseQuantity(q: unknown): number {
  if (typeof q === 'number') return q;
  if (typeof q !== 'string') return NaN;
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(q.trim());
  if (!m) return NaN;
  const scale = m[2] ? SUFFIX[m[2]] : 1;
  return scale === undefined ? NaN : Number(m[1]) * scale;
}

/**
 * Quota of one resource in one flavor of a ClusterQueue.
 * @public
 */
export interface QueueQuota {
  flavor: string;
  resource: string;
  nominal: number;
  /** Most the queue can use: nominal plus its borrowing limit (Infinity in a cohort without one). */
  max: number;
  used: number;
}

/**
 * The quota lines of a ClusterQueue (spec `resourceGroups`, usage from status `flavorsUsage`).
 * @public
 */
export function clusterQueueQuota(cq: KubeObject): QueueQuota[] {
  const inCohort = Boolean(cq.spec?.cohortName ?? cq.spec?.cohort);
  const usage = new Map<string, number>();
  for (const f of cq.status?.flavorsUsage ?? []) {
    for (const r of f?.resources ?? []) {
      usage.set(`${f.name}|${r.name}`, parseQuantity(r.total) || 0);
    }
  }
  const out: QueueQuota[] = [];
  for (const g of cq.spec?.resourceGroups ?? []) {
    for (const f of g?.flavors ?? []) {
      for (const r of f?.resources ?? []) {
        const nominal = parseQuantity(r.nominalQuota) || 0;
        let borrow = inCohort ? Infinity : 0;
        if (r.borrowingLimit !== undefined) {
          borrow = parseQuantity(r.borrowingLimit) || 0;
        }
        out.push({
          flavor: f.name,
          resource: r.name,
          nominal,
          max: nominal + borrow,
          used: usage.get(`${f.name}|${r.name}`) ?? 0,
        });
      }
    }
  }
  return out;
}

/**
 * Whether a request fits a queue:
 * - `fits`: some flavor has that much unused quota now;
 * - `waits`: it fits the queue's maximum, but not now (Kueue will queue it);
 * - `never`: more than any flavor can ever give (Kueue would say `ExceedsMaxQuota`), or the
 *   queue does not cover the resource at all. A launch that can never fit is refused.
 * @public
 */
export function quotaFit(
  lines: QueueQuota[],
  resource: string,
  need: number,
  queueName: string,
): { verdict: 'fits' | 'waits' | 'never'; message: string } {
  const mine = lines.filter(l => l.resource === resource);
  if (!mine.length) {
    return {
      verdict: 'never',
      message: `Queue ${queueName} has no quota for ${resource}; ask the platform team for a flavor that covers it`,
    };
  }
  const free = mine.map(l => ({ ...l, free: l.nominal - l.used }));
  const best = free.reduce((a, b) => (b.free > a.free ? b : a));
  if (best.free >= need) {
    return {
      verdict: 'fits',
      message: `${need} ${resource} fit now: ${best.free} of ${best.nominal} free in flavor ${best.flavor} of ${queueName}`,
    };
  }
  const max = Math.max(...mine.map(l => l.max));
  if (need > max) {
    return {
      verdict: 'never',
      message: `${need} ${resource} can never fit in ${queueName}: its most is ${max}; ask for fewer GPUs or a larger quota`,
    };
  }
  return {
    verdict: 'waits',
    message: `${need} ${resource} will wait in ${queueName}: ${Math.max(
      0,
      best.free,
    )} of ${best.nominal} free now in flavor ${best.flavor}`,
  };
}
