import {
  ClusterObjectsResult,
  clusterFreshness,
  KindStatus,
  ObjectEnvelope,
  ObjectsResponse,
} from '@careplane/plugin-clusters-common';

/*
 * Pure functions that apply stream events to an ObjectsResponse. Every function returns a new
 * response that shares every untouched cluster and envelope with the old one, so memoised rows
 * of unchanged objects do not re-render (no flicker, kept UI state).
 */

/**
 * Identity of an object within a cluster: its uid, or kind/namespace/name when it has none.
 * @public
 */
export function objectKey(o: {
  kind: string;
  namespace?: string;
  name: string;
  uid?: string;
}): string {
  return o.uid ?? `${o.kind}/${o.namespace ?? ''}/${o.name}`;
}

function sameObject(a: ObjectEnvelope, b: ObjectEnvelope) {
  if (a.uid && b.uid) return a.uid === b.uid;
  return a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;
}

/**
 * Whether `incoming` is older than `current`. resourceVersions are opaque in Kubernetes, but
 * every API server in practice (etcd revisions, the simulator) uses integers; when both are
 * integers the older event is ignored, otherwise the incoming one wins.
 * @internal
 */
export function isOlder(incoming?: string, current?: string): boolean {
  if (!incoming || !current) return false;
  if (!/^\d+$/.test(incoming) || !/^\d+$/.test(current)) return false;
  const a = incoming.replace(/^0+(?=\d)/, '');
  const b = current.replace(/^0+(?=\d)/, '');
  return a.length !== b.length ? a.length < b.length : a < b;
}

/**
 * The status of a cluster from its kinds: `clusterFreshness` of clusters-common, the rule
 * clusters-backend answers with (every key is returned, so spreading it clears an old error).
 * @public
 */
export const clusterStatusOf: (
  kinds: KindStatus[],
) => Pick<ClusterObjectsResult, 'status' | 'syncedAt' | 'ageMs' | 'error'> =
  clusterFreshness;

function emptyCluster(cluster: string): ClusterObjectsResult {
  return { cluster, status: 'ok', kinds: [], items: [] };
}

function updateCluster(
  state: ObjectsResponse,
  cluster: string,
  fn: (c: ClusterObjectsResult) => ClusterObjectsResult,
): ObjectsResponse {
  const index = state.clusters.findIndex(c => c.cluster === cluster);
  const clusters = [...state.clusters];
  if (index < 0) clusters.push(fn(emptyCluster(cluster)));
  else clusters[index] = fn(clusters[index]);
  return { ...state, clusters };
}

/**
 * Applies an upsert: replaces the object in place (keeping its position) or appends it.
 * @public
 */
export function applyUpsert(
  state: ObjectsResponse,
  object: ObjectEnvelope,
): ObjectsResponse {
  return updateCluster(state, object.cluster, c => {
    const index = c.items.findIndex(i => sameObject(i, object));
    if (index < 0) return { ...c, items: [...c.items, object] };
    const current = c.items[index];
    if (
      current.resourceVersion === object.resourceVersion ||
      isOlder(object.resourceVersion, current.resourceVersion)
    ) {
      return c;
    }
    const items = [...c.items];
    items[index] = object;
    return { ...c, items };
  });
}

/**
 * Applies a delete.
 * @public
 */
export function applyDelete(
  state: ObjectsResponse,
  object: ObjectEnvelope,
): ObjectsResponse {
  return updateCluster(state, object.cluster, c => {
    const current = c.items.find(i => sameObject(i, object));
    if (!current || isOlder(object.resourceVersion, current.resourceVersion)) {
      return c;
    }
    return { ...c, items: c.items.filter(i => i !== current) };
  });
}

/**
 * Applies a freshness change of one kind on one cluster, and re-derives the cluster's status.
 * @public
 */
export function applyStatus(
  state: ObjectsResponse,
  cluster: string,
  kind: KindStatus,
): ObjectsResponse {
  return updateCluster(state, cluster, c => {
    const index = c.kinds.findIndex(k => k.kind === kind.kind);
    const kinds = [...c.kinds];
    if (index < 0) kinds.push(kind);
    else kinds[index] = kind;
    return { ...c, kinds, ...clusterStatusOf(kinds) };
  });
}

/**
 * Keeps the identity of unchanged envelopes when a fresh snapshot replaces the state, so a
 * resync does not re-render every row.
 * @public
 */
export function mergeSnapshot(
  previous: ObjectsResponse | undefined,
  next: ObjectsResponse,
): ObjectsResponse {
  if (!previous) return next;
  return {
    ...next,
    clusters: next.clusters.map(c => {
      const before = previous.clusters.find(p => p.cluster === c.cluster);
      if (!before) return c;
      const byKey = new Map(before.items.map(i => [objectKey(i), i]));
      return {
        ...c,
        items: c.items.map(i => {
          const old = byKey.get(objectKey(i));
          return old && old.resourceVersion === i.resourceVersion ? old : i;
        }),
      };
    }),
  };
}
