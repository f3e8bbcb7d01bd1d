import type {
  ClusterResult,
  KindStatus,
} from '@careplane/plugin-clusters-common';

const RANK: Record<string, number> = {
  ok: 0,
  'not-installed': 0,
  stale: 1,
  unavailable: 2,
};

/**
 * Aggregates per-kind statuses into a cluster's status.
 * @internal
 */
export function aggregate(cluster: string, kinds: KindStatus[]): ClusterResult {
  if (kinds.length > 0 && kinds.every(k => k.status === 'not-installed')) {
    return { cluster, status: 'not-installed', kinds };
  }
  const worst = kinds.reduce<KindStatus | undefined>(
    (w, k) => (!w || RANK[k.status] > RANK[w.status] ? k : w),
    undefined,
  );
  const status =
    !worst || worst.status === 'not-installed' ? 'ok' : worst.status;
  const stale = kinds.filter(k => k.status === 'stale');
  return {
    cluster,
    status,
    syncedAt: stale.length ? stale.map(k => k.syncedAt!).sort()[0] : undefined,
    ageMs: stale.length ? Math.max(...stale.map(k => k.ageMs ?? 0)) : undefined,
    error: worst && status !== 'ok' ? worst.error : undefined,
    kinds,
  };
}
