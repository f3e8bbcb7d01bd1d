import {
  KindDescriptor,
  KubeObject,
  LabelRequirement,
  matchesLabelSelector,
  ObjectEnvelope,
} from '@careplane/plugin-clusters-common';
import { markImmutable } from '../serialize';
import { compactObject, internString } from './compact';
import { stripObject } from './strip';

interface Entry {
  envelope: ObjectEnvelope;
  labelKeys: string[];
  bytes: number;
}

/** The store key of an object: `namespace/name`. @internal */
export function keyOf(obj: KubeObject) {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
}

/**
 * The objects of one (cluster, kind) informer, stripped before they are stored and indexed by
 * every `label=value` pair, so a label-selector look-up is a set intersection in memory.
 * @internal
 */
export class ObjectStore {
  private readonly objects = new Map<string, Entry>();
  private readonly index = new Map<string, Set<string>>();
  private bytes = 0;

  constructor(
    private readonly cluster: string,
    private readonly kind: KindDescriptor,
  ) {}

  get size() {
    return this.objects.size;
  }

  get approxBytes() {
    return this.bytes;
  }

  keys() {
    return this.objects.keys();
  }

  clear() {
    this.objects.clear();
    this.index.clear();
    this.bytes = 0;
  }

  /** Objects matching the requirements (and namespace), from memory. */
  select(
    requirements: LabelRequirement[],
    namespace?: string,
  ): ObjectEnvelope[] {
    let candidates: Iterable<string> | undefined;
    let smallest = Infinity;
    for (const r of requirements) {
      let set: Set<string> | undefined;
      if (r.op === '=') {
        set = this.index.get(`${r.key}=${r.value}`) ?? new Set();
      } else if (r.op === 'in') {
        set = new Set(
          r.values.flatMap(v => [...(this.index.get(`${r.key}=${v}`) ?? [])]),
        );
      }
      if (set && set.size < smallest) {
        smallest = set.size;
        candidates = set;
      }
    }
    const out: ObjectEnvelope[] = [];
    const keys = candidates ?? this.objects.keys();
    for (const key of keys) {
      const entry = this.objects.get(key);
      if (!entry) continue;
      const env = entry.envelope;
      if (namespace && env.namespace !== namespace) continue;
      if (!matchesLabelSelector(requirements, env.object.metadata.labels))
        continue;
      out.push(env);
    }
    return out;
  }

  envelopeOf(obj: KubeObject): ObjectEnvelope {
    return {
      cluster: this.cluster,
      kind: this.kind.kind,
      namespace: obj.metadata.namespace,
      name: obj.metadata.name,
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      object: obj,
    };
  }

  put(raw: KubeObject): { envelope: ObjectEnvelope; changed: boolean } {
    const stripped = stripObject(raw, this.kind.kind);
    stripped.kind ??= this.kind.kind;
    stripped.apiVersion ??= this.kind.group
      ? `${this.kind.group}/${this.kind.version}`
      : this.kind.version;
    // the informer transform: one compact representation, without fields nobody reads
    const obj = compactObject(stripped);
    const key = keyOf(obj);
    const previous = this.objects.get(key);
    // never mutated once stored (an update replaces it), so its JSON can be memoised
    const envelope = markImmutable(this.envelopeOf(obj));
    const changed =
      previous?.envelope.resourceVersion !== envelope.resourceVersion;
    if (previous) this.unindex(key, previous);
    const labelKeys = Object.entries(obj.metadata.labels ?? {}).map(([k, v]) =>
      internString(`${k}=${v}`),
    );
    const bytes = JSON.stringify(obj).length;
    this.objects.set(key, { envelope, labelKeys, bytes });
    this.bytes += bytes;
    for (const lk of labelKeys) {
      let set = this.index.get(lk);
      if (!set) this.index.set(lk, (set = new Set()));
      set.add(key);
    }
    return { envelope, changed };
  }

  remove(key: string): Entry | undefined {
    const entry = this.objects.get(key);
    if (entry) {
      this.unindex(key, entry);
      this.objects.delete(key);
    }
    return entry;
  }

  private unindex(key: string, entry: Entry) {
    this.bytes -= entry.bytes;
    for (const lk of entry.labelKeys) {
      const set = this.index.get(lk);
      set?.delete(key);
      if (set?.size === 0) this.index.delete(lk);
    }
  }
}
