import type { ObjectEnvelope } from '@careplane/plugin-clusters-common';
import {
  LABEL_KUBERNETES_ID,
  LabelRequirement,
  matchesLabelSelector,
  parseLabelSelector,
} from '@careplane/plugin-clusters-common';
import {
  CheckOptions,
  ClusterFacts,
  EntityFacts,
  EvalContext,
  isTopLevelWorkload,
  KindFreshness,
  WORKLOAD_KINDS,
} from '@careplane/plugin-compliance-common';

/** A catalog entity as the fleet index knows it. @internal */
export interface FleetEntity {
  facts: EntityFacts;
  phi: boolean;
  labelSelector: string;
  namespace?: string;
}

interface Entry extends FleetEntity {
  requirements: LabelRequirement[];
  /** The kubernetes-id when the selector is exactly `backstage.io/kubernetes-id=<id>`. */
  id?: string;
}

interface Bucket {
  byName: Map<string, ObjectEnvelope>;
  /** By name; built on the first read after a change. */
  sorted?: ObjectEnvelope[];
}

const objectKey = (o: {
  cluster: string;
  kind: string;
  namespace?: string;
  name: string;
}) => `${o.cluster}/${o.kind}/${o.namespace ?? ''}/${o.name}`;
const nsKey = (cluster: string, namespace: string) => `${cluster}/${namespace}`;

function add<K, V>(m: Map<K, Set<V>>, k: K, v: V) {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  s.add(v);
}
function del<K, V>(m: Map<K, Set<V>>, k: K, v: V) {
  const s = m.get(k);
  if (s && s.delete(v) && s.size === 0) m.delete(k);
}

/**
 * The objects the checks read (from the hub's cache and stream), indexed by namespace, with which
 * catalog entity each workload belongs to. `upsert` / `remove` answer the entities whose results
 * may have changed, so that evaluation is incremental: a workload change affects the entities that
 * claim it (before and after) and those sharing its namespace; any other object affects the
 * entities with workloads in its namespace.
 * @internal
 */
export class FleetIndex {
  private readonly objects = new Map<string, ObjectEnvelope>();
  /** cluster → namespace → kind → objects by name (and their sorted list, built on read) */
  private readonly byNs = new Map<string, Map<string, Map<string, Bucket>>>();
  private readonly namespaces = new Map<string, ObjectEnvelope>();
  private readonly kinds = new Map<string, Map<string, KindFreshness>>();
  private readonly clusterFacts = new Map<string, ClusterFacts>();
  private readonly entities = new Map<string, Entry>();
  private readonly byId = new Map<string, Set<string>>();
  private readonly generic = new Set<string>();
  private readonly entityWorkloads = new Map<string, Set<string>>();
  private readonly workloadEntities = new Map<string, Set<string>>();
  /** namespace key → entity → number of its workloads there */
  private readonly nsEntities = new Map<string, Map<string, number>>();

  entityRefs(): string[] {
    return [...this.entities.keys()];
  }

  objectCount(): number {
    return this.objects.size;
  }

  hasEntity(ref: string): boolean {
    return this.entities.has(ref);
  }

  entity(ref: string): FleetEntity | undefined {
    return this.entities.get(ref);
  }

  setClusters(clusters: ClusterFacts[]) {
    this.clusterFacts.clear();
    for (const c of clusters) this.clusterFacts.set(c.name, c);
  }

  /** A kind's freshness on a cluster (`ok` until told otherwise). */
  kindStatusOf(cluster: string, kind: string): KindFreshness {
    return this.kinds.get(cluster)?.get(kind) ?? 'ok';
  }

  /** Records a kind's freshness on a cluster; answers the entities on that cluster when it changed. */
  setKindStatus(
    cluster: string,
    kind: string,
    status: KindFreshness,
  ): string[] {
    let byKind = this.kinds.get(cluster);
    if (!byKind) this.kinds.set(cluster, (byKind = new Map()));
    if (byKind.get(kind) === status) return [];
    byKind.set(kind, status);
    const out = new Set<string>();
    for (const [ns, refs] of this.nsEntities)
      if (ns.startsWith(`${cluster}/`)) for (const r of refs.keys()) out.add(r);
    if (kind === 'Deployment') {
      // entities without workloads answer unknown or not-applicable by this kind's freshness
      for (const ref of this.entities.keys()) {
        if (!this.entityWorkloads.get(ref)?.size) out.add(ref);
      }
    }
    return [...out];
  }

  /** Adds (or replaces) an entity and claims its workloads; answers the entities affected. */
  setEntity(entity: FleetEntity): string[] {
    const ref = entity.facts.entityRef;
    const before = this.removeEntity(ref);
    const requirements = parseLabelSelector(entity.labelSelector);
    const m = entity.labelSelector.match(
      new RegExp(
        `^${LABEL_KUBERNETES_ID.replace(/[./]/g, '\\$&')}=([^,\\s]+)$`,
      ),
    );
    const entry: Entry = { ...entity, requirements, id: m?.[1] };
    this.entities.set(ref, entry);
    if (entry.id) add(this.byId, entry.id, ref);
    else this.generic.add(ref);
    for (const [key, o] of this.objects)
      if (isTopLevelWorkload(o) && this.claims(entry, o))
        this.link(ref, key, o);
    const after = this.sameNamespaceEntities(ref);
    return [...new Set([...before, ref, ...after])];
  }

  /** Removes an entity; answers the entities that shared its namespaces. */
  removeEntity(ref: string): string[] {
    const entry = this.entities.get(ref);
    if (!entry) return [];
    const affected = this.sameNamespaceEntities(ref).filter(r => r !== ref);
    for (const key of [...(this.entityWorkloads.get(ref) ?? [])])
      this.unlink(ref, key, this.objects.get(key)!);
    this.entities.delete(ref);
    if (entry.id) del(this.byId, entry.id, ref);
    else this.generic.delete(ref);
    return affected;
  }

  /** Adds or replaces an object; answers the entities whose results may change. */
  upsert(o: ObjectEnvelope): string[] {
    if (o.kind === 'Pod' && !isTopLevelWorkload(o)) return [];
    const key = objectKey(o);
    const affected = new Set<string>(this.removeKey(key));
    this.objects.set(key, o);
    if (o.kind === 'Namespace') {
      this.namespaces.set(nsKey(o.cluster, o.name), o);
      for (const r of this.nsEntities.get(nsKey(o.cluster, o.name))?.keys() ??
        [])
        affected.add(r);
      return [...affected];
    }
    const nk = nsKey(o.cluster, o.namespace ?? '');
    let namespaces = this.byNs.get(o.cluster);
    if (!namespaces) this.byNs.set(o.cluster, (namespaces = new Map()));
    let kinds = namespaces.get(o.namespace ?? '');
    if (!kinds) namespaces.set(o.namespace ?? '', (kinds = new Map()));
    let bucket = kinds.get(o.kind);
    if (!bucket) kinds.set(o.kind, (bucket = { byName: new Map() }));
    bucket.byName.set(o.name, o);
    bucket.sorted = undefined;
    if (isTopLevelWorkload(o)) {
      for (const ref of this.candidates(o)) this.link(ref, key, o);
    }
    for (const r of this.nsEntities.get(nk)?.keys() ?? []) affected.add(r);
    return [...affected];
  }

  /** Removes an object; answers the entities whose results may change. */
  remove(
    o: Pick<ObjectEnvelope, 'cluster' | 'kind' | 'namespace' | 'name'>,
  ): string[] {
    return this.removeKey(objectKey(o));
  }

  /** Everything a check may read for an entity. */
  context(ref: string, options: CheckOptions, now: number): EvalContext {
    const entry = this.entities.get(ref);
    if (!entry) throw new Error(`Unknown entity ${ref}`);
    // sorted, so that the answer does not depend on the order changes arrived in
    const workloads = [...(this.entityWorkloads.get(ref) ?? [])]
      .sort()
      .map(k => this.objects.get(k)!);
    const clusterNames = workloads.length
      ? [...new Set(workloads.map(w => w.cluster))]
      : [...this.clusterFacts.keys()];
    const computeUnclaimed = () => this.unclaimedAround(workloads);
    let unclaimed: ObjectEnvelope[] | undefined;
    return {
      entity: entry.facts,
      phi: entry.phi,
      workloads,
      inNamespace: (cluster, namespace, kind) =>
        this.listOf(cluster, namespace, kind),
      namespace: (cluster, name) => this.namespaces.get(nsKey(cluster, name)),
      kindStatus: (cluster, kind) => this.kinds.get(cluster)?.get(kind) ?? 'ok',
      clusters: clusterNames.map(
        n => this.clusterFacts.get(n) ?? { name: n, labels: {} },
      ),
      // computed on first read: only META-004 (PHI services) needs it
      get unclaimed() {
        unclaimed ??= computeUnclaimed();
        return unclaimed;
      },
      options,
      now,
    };
  }

  /** Workloads in the namespaces of these workloads that no entity claims, sorted. */
  private unclaimedAround(workloads: ObjectEnvelope[]): ObjectEnvelope[] {
    const namespaces = new Map(
      workloads.map(w => [nsKey(w.cluster, w.namespace ?? ''), w] as const),
    );
    const unclaimed: ObjectEnvelope[] = [];
    for (const w of namespaces.values()) {
      const kinds = this.byNs.get(w.cluster)?.get(w.namespace ?? '');
      for (const kind of WORKLOAD_KINDS) {
        for (const o of kinds?.get(kind)?.byName.values() ?? []) {
          if (
            isTopLevelWorkload(o) &&
            !this.workloadEntities.get(objectKey(o))?.size
          )
            unclaimed.push(o);
        }
      }
    }
    return unclaimed.sort((a, b) => (objectKey(a) < objectKey(b) ? -1 : 1));
  }

  /** Objects of a kind in a namespace, sorted by name (cached until the next change there). */
  private listOf(
    cluster: string,
    namespace: string,
    kind: string,
  ): ObjectEnvelope[] {
    const bucket = this.byNs.get(cluster)?.get(namespace)?.get(kind);
    if (!bucket) return [];
    if (!bucket.sorted) {
      bucket.sorted = [...bucket.byName.values()].sort((a, b) =>
        a.name < b.name ? -1 : 1,
      );
    }
    return bucket.sorted;
  }

  private claims(e: Entry, o: ObjectEnvelope): boolean {
    if (e.namespace && e.namespace !== o.namespace) return false;
    return matchesLabelSelector(e.requirements, o.object.metadata.labels);
  }

  private candidates(o: ObjectEnvelope): string[] {
    const out: string[] = [];
    const id = o.object.metadata.labels?.[LABEL_KUBERNETES_ID];
    const check = (ref: string) => {
      const e = this.entities.get(ref)!;
      if (this.claims(e, o)) out.push(ref);
    };
    if (id) for (const ref of this.byId.get(id) ?? []) check(ref);
    for (const ref of this.generic) check(ref);
    return out;
  }

  private link(ref: string, key: string, o: ObjectEnvelope) {
    add(this.entityWorkloads, ref, key);
    add(this.workloadEntities, key, ref);
    const nk = nsKey(o.cluster, o.namespace ?? '');
    let m = this.nsEntities.get(nk);
    if (!m) this.nsEntities.set(nk, (m = new Map()));
    m.set(ref, (m.get(ref) ?? 0) + 1);
  }

  private unlink(ref: string, key: string, o: ObjectEnvelope) {
    del(this.entityWorkloads, ref, key);
    del(this.workloadEntities, key, ref);
    const nk = nsKey(o.cluster, o.namespace ?? '');
    const m = this.nsEntities.get(nk);
    if (!m) return;
    const n = (m.get(ref) ?? 1) - 1;
    if (n <= 0) m.delete(ref);
    else m.set(ref, n);
    if (m.size === 0) this.nsEntities.delete(nk);
  }

  private sameNamespaceEntities(ref: string): string[] {
    const out = new Set<string>();
    for (const key of this.entityWorkloads.get(ref) ?? []) {
      const o = this.objects.get(key)!;
      for (const r of this.nsEntities
        .get(nsKey(o.cluster, o.namespace ?? ''))
        ?.keys() ?? [])
        out.add(r);
    }
    return [...out];
  }

  private removeKey(key: string): string[] {
    const old = this.objects.get(key);
    if (!old) return [];
    const affected = new Set<string>();
    this.objects.delete(key);
    if (old.kind === 'Namespace') {
      this.namespaces.delete(nsKey(old.cluster, old.name));
      for (const r of this.nsEntities
        .get(nsKey(old.cluster, old.name))
        ?.keys() ?? [])
        affected.add(r);
      return [...affected];
    }
    const nk = nsKey(old.cluster, old.namespace ?? '');
    for (const r of this.nsEntities.get(nk)?.keys() ?? []) affected.add(r);
    const namespaces = this.byNs.get(old.cluster);
    const kinds = namespaces?.get(old.namespace ?? '');
    const bucket = kinds?.get(old.kind);
    if (bucket) {
      bucket.byName.delete(old.name);
      bucket.sorted = undefined;
      if (bucket.byName.size === 0) kinds!.delete(old.kind);
      if (kinds!.size === 0) namespaces!.delete(old.namespace ?? '');
      if (namespaces!.size === 0) this.byNs.delete(old.cluster);
    }
    for (const ref of [...(this.workloadEntities.get(key) ?? [])]) {
      affected.add(ref);
      this.unlink(ref, key, old);
    }
    return [...affected];
  }
}
