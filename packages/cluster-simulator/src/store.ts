import { K8sObject } from './util';

/** One change recorded by the store, as a watch would report it. */
export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  resourceVersion: number;
  resource: string;
  object: K8sObject;
  /** The object before a modification or deletion. */
  previous?: K8sObject;
}

/** Identifies an object in the store. */
export interface ObjectRef {
  resource: string;
  namespace: string;
  name: string;
}

/**
 * The in-memory "etcd" of one simulated cluster: objects by resource,
 * namespace and name, a single monotonically increasing resourceVersion, a
 * bounded history of changes for watch resumption, and an owner index for
 * garbage collection. Stored objects are treated as immutable: writers
 * replace them, never mutate them in place.
 */
export class ObjectStore {
  private revision = 1;
  private readonly objects = new Map<
    string,
    Map<string, Map<string, K8sObject>>
  >();
  private readonly sorted = new Map<string, K8sObject[]>();
  private history: StoreEvent[] = [];
  /** Watches may resume from any resourceVersion >= this one. */
  private compactedRevision = 1;
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  private readonly owners = new Map<string, Set<string>>();

  constructor(private readonly historyLimit = 20000) {}

  /** The current (latest) resourceVersion of the store. */
  get resourceVersion(): number {
    return this.revision;
  }

  /** The oldest resourceVersion a watch can still resume from. */
  get oldestResumableVersion(): number {
    return this.compactedRevision;
  }

  /** Forgets all history, so any watch resuming from an older version gets 410. */
  compact(): void {
    this.history = [];
    this.compactedRevision = this.revision;
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(
    resource: string,
    namespace: string,
    name: string,
  ): K8sObject | undefined {
    return this.objects.get(resource)?.get(namespace)?.get(name);
  }

  /** Objects of a resource, sorted like etcd keys (`namespace/name`). */
  list(resource: string, namespace?: string): K8sObject[] {
    const byNs = this.objects.get(resource);
    if (!byNs) return [];
    if (namespace !== undefined) {
      const m = byNs.get(namespace);
      if (!m) return [];
      return [...m.keys()].sort().map(k => m.get(k)!);
    }
    let cached = this.sorted.get(resource);
    if (!cached) {
      // etcd order: by the whole key `<namespace>/<name>` (so "a-x/…" sorts before "a/…").
      const keyed: Array<[string, K8sObject]> = [];
      for (const [ns, m] of byNs) {
        for (const [k, o] of m) keyed.push([`${ns}/${k}`, o]);
      }
      keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      cached = keyed.map(e => e[1]);
      this.sorted.set(resource, cached);
    }
    return cached;
  }

  /**
   * Objects of a resource as they were at `resourceVersion` (an etcd read at
   * a past revision), sorted like list(); undefined when history before it
   * has been compacted away. Undoes the recorded changes made after it.
   */
  listAt(
    resource: string,
    namespace: string | undefined,
    resourceVersion: number,
  ): K8sObject[] | undefined {
    if (resourceVersion < this.compactedRevision) return undefined;
    const current = this.list(resource, namespace);
    if (resourceVersion >= this.revision) return current;
    const keyOf = (o: K8sObject) =>
      `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    const overlay = new Map<string, K8sObject | null>();
    for (let i = this.history.length - 1; i >= 0; i--) {
      const ev = this.history[i];
      if (ev.resourceVersion <= resourceVersion) break;
      if (ev.resource !== resource) continue;
      if (
        namespace !== undefined &&
        (ev.object.metadata.namespace ?? '') !== namespace
      )
        continue;
      overlay.set(keyOf(ev.object), ev.previous ?? null);
    }
    if (overlay.size === 0) return current;
    const out = current.filter(o => !overlay.has(keyOf(o)));
    for (const o of overlay.values()) if (o) out.push(o);
    return out.sort((a, b) => {
      const ka = keyOf(a);
      const kb = keyOf(b);
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
  }

  /** Number of objects of a resource. */
  count(resource: string): number {
    let n = 0;
    for (const m of this.objects.get(resource)?.values() ?? []) n += m.size;
    return n;
  }

  /** Refs of objects that name `uid` in their ownerReferences. */
  dependentsOf(uid: string): ObjectRef[] {
    return [...(this.owners.get(uid) ?? [])].map(s => {
      const [resource, namespace, name] = s.split('|');
      return { resource, namespace, name };
    });
  }

  /** Events after `resourceVersion` (exclusive), or undefined if compacted away. */
  eventsSince(resourceVersion: number): StoreEvent[] | undefined {
    if (resourceVersion < this.compactedRevision) return undefined;
    let lo = 0;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.history[mid].resourceVersion <= resourceVersion) lo = mid + 1;
      else hi = mid;
    }
    return this.history.slice(lo);
  }

  /** Writes an object (insert or replace), stamping a new resourceVersion. */
  put(resource: string, object: K8sObject): K8sObject {
    const ns = object.metadata.namespace ?? '';
    const name = object.metadata.name!;
    const previous = this.get(resource, ns, name);
    this.revision++;
    const stored: K8sObject = {
      ...object,
      metadata: { ...object.metadata, resourceVersion: String(this.revision) },
    };
    let byNs = this.objects.get(resource);
    if (!byNs) {
      byNs = new Map();
      this.objects.set(resource, byNs);
    }
    let m = byNs.get(ns);
    if (!m) {
      m = new Map();
      byNs.set(ns, m);
    }
    m.set(name, stored);
    if (previous) {
      this.unindexOwners(resource, previous);
      // Replacing in place keeps the cached sort order valid.
      const cached = this.sorted.get(resource);
      if (cached) {
        const idx = cached.indexOf(previous);
        if (idx >= 0) cached[idx] = stored;
        else this.sorted.delete(resource);
      }
    } else {
      this.sorted.delete(resource);
    }
    this.indexOwners(resource, stored);
    this.record({
      type: previous ? 'MODIFIED' : 'ADDED',
      resourceVersion: this.revision,
      resource,
      object: stored,
      previous,
    });
    return stored;
  }

  /** Removes an object; returns the deleted object with its final resourceVersion. */
  remove(
    resource: string,
    namespace: string,
    name: string,
  ): K8sObject | undefined {
    const m = this.objects.get(resource)?.get(namespace);
    const previous = m?.get(name);
    if (!m || !previous) return undefined;
    m.delete(name);
    if (m.size === 0) this.objects.get(resource)!.delete(namespace);
    this.sorted.delete(resource);
    this.unindexOwners(resource, previous);
    this.revision++;
    const deleted: K8sObject = {
      ...previous,
      metadata: {
        ...previous.metadata,
        resourceVersion: String(this.revision),
      },
    };
    this.record({
      type: 'DELETED',
      resourceVersion: this.revision,
      resource,
      object: deleted,
      previous,
    });
    return deleted;
  }

  private record(event: StoreEvent) {
    this.history.push(event);
    if (this.history.length > this.historyLimit) {
      const drop = Math.floor(this.historyLimit / 2);
      this.compactedRevision = this.history[drop - 1].resourceVersion;
      this.history = this.history.slice(drop);
    }
    for (const l of [...this.listeners]) l(event);
  }

  private indexOwners(resource: string, obj: K8sObject) {
    for (const ref of obj.metadata.ownerReferences ?? []) {
      let s = this.owners.get(ref.uid);
      if (!s) {
        s = new Set();
        this.owners.set(ref.uid, s);
      }
      s.add(`${resource}|${obj.metadata.namespace ?? ''}|${obj.metadata.name}`);
    }
  }

  private unindexOwners(resource: string, obj: K8sObject) {
    for (const ref of obj.metadata.ownerReferences ?? []) {
      const s = this.owners.get(ref.uid);
      s?.delete(
        `${resource}|${obj.metadata.namespace ?? ''}|${obj.metadata.name}`,
      );
      if (s && s.size === 0) this.owners.delete(ref.uid);
    }
  }
}
