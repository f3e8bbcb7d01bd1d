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
  private readonly byNs = new Map<
    string,
    Map<string, Map<string, ObjectEnvelope>>
  >();
  private readonly namespaces = new Map<string, ObjectEnvelope>();
  private readonly kinds = new Map<string, KindFreshness>();
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

  /** Records a kind's freshness on a cluster; answers the entities on that cluster when it changed. */
  setKindStatus(
    cluster: string,
    kind: string,
    status: KindFreshness,
  ): string[] {
    const k = `${cluster}/${kind}`;
    if (this.kinds.get(k) === status) return [];
    this.kinds.set(k, status);
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
    let kinds = this.byNs.get(nk);
    if (!kinds) this.byNs.set(nk, (kinds = new Map()));
    let byName = kinds.get(o.kind);
    if (!byName) kinds.set(o.kind, (byName = new Map()));
    byName.set(o.name, o);
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
    const namespaces = new Set(
      workloads.map(w => nsKey(w.cluster, w.namespace ?? '')),
    );
    const unclaimed: ObjectEnvelope[] = [];
    for (const nk of namespaces) {
      for (const kind of WORKLOAD_KINDS) {
        for (const o of this.byNs.get(nk)?.get(kind)?.values() ?? []) {
          if (
            isTopLevelWorkload(o) &&
            !this.workloadEntities.get(objectKey(o))?.size
          )
            unclaimed.push(o);
        }
      }
    }
    const clusterNames = workloads.length
      ? [...new Set(workloads.map(w => w.cluster))]
      : [...this.clusterFacts.keys()];
    unclaimed.sort((a, b) => (objectKey(a) < objectKey(b) ? -1 : 1));
    return {
      entity: entry.facts,
      phi: entry.phi,
      workloads,
      inNamespace: (cluster, namespace, kind) => {
        const m = this.byNs.get(nsKey(cluster, namespace))?.get(kind);
        if (!m) return [];
        const list = [...m.values()];
        return list.length > 1
          ? list.sort((a, b) => (a.name < b.name ? -1 : 1))
          : list;
      },
      namespace: (cluster, name) => this.namespaces.get(nsKey(cluster, name)),
      kindStatus: (cluster, kind) =>
        this.kinds.get(`${cluster}/${kind}`) ?? 'ok',
      clusters: clusterNames.map(
        n => this.clusterFacts.get(n) ?? { name: n, labels: {} },
      ),
      unclaimed,
      options,
      now,
    };
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
    const kinds = this.byNs.get(nk);
    kinds?.get(old.kind)?.delete(old.name);
    if (kinds?.get(old.kind)?.size === 0) kinds.delete(old.kind);
    if (kinds?.size === 0) this.byNs.delete(nk);
    for (const ref of [...(this.workloadEntities.get(key) ?? [])]) {
      affected.add(ref);
      this.unlink(ref, key, old);
    }
    return [...affected];
  }
}
