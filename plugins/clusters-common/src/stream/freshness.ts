import type { ClusterResult, ClusterResultStatus, KindStatus } from '..';

const RANK: Record<ClusterResultStatus, number> = {
  ok: 0,
  'not-installed': 0,
  syncing: 1,
  stale: 2,
  unavailable: 3,
};

/**
 * A cluster's freshness fields, every key present (undefined when it does not apply) so that
 * spreading them over an older result clears what no longer holds.
 * @public
 */
export type ClusterFreshness = {
  [K in 'status' | 'syncedAt' | 'ageMs' | 'error']: ClusterResult[K];
};

function oldest(values: Array<string | undefined>): string | undefined {
  return values
    .filter((v): v is string => Boolean(v))
    .reduce<string | undefined>(
      (a, b) => (a === undefined || b < a ? b : a),
      undefined,
    );
}

/**
 * The rule of a cluster's freshness from its kinds' (`ClusterResult`), the same in
 * clusters-backend's answers and in the live views that apply `status` events:
 * - `status`: `not-installed` when every kind is; otherwise the worst kind (`unavailable` over
 *   `stale` over `syncing` over `ok`), where `not-installed` counts as `ok`; no kinds is `ok`;
 * - `ok`: `syncedAt` is the oldest of the kinds' (the answer is live as of then), no `ageMs`;
 * - `syncing` (some kind's first sync is under way, none is stale or unavailable): never shown as
 *   live and never as an error: `syncedAt` is the oldest of the synced kinds', no `ageMs`, no
 *   `error`;
 * - `stale` / `unavailable`: `syncedAt` is the oldest and `ageMs` the largest of the stale kinds
 *   (what is shown is that old), `error` the first error of the kinds of the worst status.
 * @public
 */
export function clusterFreshness(kinds: KindStatus[]): ClusterFreshness {
  if (kinds.length > 0 && kinds.every(k => k.status === 'not-installed')) {
    return {
      status: 'not-installed',
      syncedAt: undefined,
      ageMs: undefined,
      error: undefined,
    };
  }
  const rank = Math.max(0, ...kinds.map(k => RANK[k.status]));
  if (rank === 0) {
    return {
      status: 'ok',
      syncedAt: oldest(kinds.map(k => k.syncedAt)),
      ageMs: undefined,
      error: undefined,
    };
  }
  if (rank === RANK.syncing) {
    return {
      status: 'syncing',
      syncedAt: oldest(kinds.map(k => k.syncedAt)),
      ageMs: undefined,
      error: undefined,
    };
  }
  const worst = kinds.filter(k => RANK[k.status] === rank);
  const stale = kinds.filter(k => k.status === 'stale');
  const ages = stale
    .map(k => k.ageMs)
    .filter((a): a is number => typeof a === 'number');
  return {
    status: worst[0].status,
    syncedAt: oldest(stale.map(k => k.syncedAt)),
    ageMs: ages.length > 0 ? Math.max(...ages) : undefined,
    error: worst.find(k => k.error)?.error,
  };
}

/**
 * A cluster's part of an answer from its kinds, with {@link clusterFreshness}.
 * @public
 */
export function aggregateClusterFreshness(
  cluster: string,
  kinds: KindStatus[],
): ClusterResult {
  return { cluster, ...clusterFreshness(kinds), kinds };
}
