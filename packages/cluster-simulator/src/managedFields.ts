import { listMergeKey } from './patch';
import { clone, jsonEqual, JsonObject, K8sObject } from './util';

/**
 * Server-side apply field ownership, modelled on the real field manager:
 * each manager owns a set of field paths (serialised as FieldsV1 tries in
 * metadata.managedFields). Apply conflicts when another manager owns a field
 * the applied configuration sets to a different value; update operations
 * take ownership of what they change.
 */

const SEP = '\u0001';
const IGNORED_METADATA = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'managedFields',
  'selfLink',
]);

/** A conflict found while applying. */
export interface FieldConflict {
  manager: string;
  apiVersion: string;
  operation: string;
  time?: string;
  subresource?: string;
  field: string;
}

/**
 * printManager (apimachinery managedfields/internal/conflict.go): an Apply
 * manager by name; an Update manager with its apiVersion and time.
 */
export function describeManager(c: {
  manager: string;
  operation: string;
  apiVersion: string;
  time?: string;
  subresource?: string;
}): string {
  let s = JSON.stringify(c.manager);
  if (c.subresource) s += ` with subresource ${JSON.stringify(c.subresource)}`;
  if (c.operation === 'Update') {
    return c.time
      ? `${s} using ${c.apiVersion} at ${c.time}`
      : `${s} using ${c.apiVersion}`;
  }
  return s;
}

function collect(value: any, prefix: string[], out: Set<string>) {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value).filter(k => value[k] !== undefined);
    if (keys.length === 0) {
      out.add(prefix.join(SEP));
      return;
    }
    for (const k of keys) {
      collect(value[k], [...prefix, `f:${k}`], out);
    }
    return;
  }
  if (Array.isArray(value)) {
    const key = listMergeKey(value);
    if (key) {
      for (const el of value) {
        const seg = `k:${JSON.stringify({ [key]: el[key] })}`;
        const p = [...prefix, seg];
        out.add(p.join(SEP));
        for (const k of Object.keys(el)) {
          if (el[k] !== undefined) collect(el[k], [...p, `f:${k}`], out);
        }
      }
      return;
    }
  }
  out.add(prefix.join(SEP));
}

/** The set of field paths an object (or applied configuration) sets. */
export function fieldsOf(obj: any, subresource?: string): Set<string> {
  const out = new Set<string>();
  if (!obj || typeof obj !== 'object') return out;
  if (subresource === 'status') {
    if (obj.status !== undefined) collect(obj.status, ['f:status'], out);
    return out;
  }
  const meta = obj.metadata ?? {};
  for (const k of Object.keys(meta)) {
    if (!IGNORED_METADATA.has(k) && meta[k] !== undefined) {
      collect(meta[k], ['f:metadata', `f:${k}`], out);
    }
  }
  for (const k of Object.keys(obj)) {
    if (['apiVersion', 'kind', 'metadata', 'status'].includes(k)) continue;
    if (obj[k] !== undefined) collect(obj[k], [`f:${k}`], out);
  }
  return out;
}

function isElementMarker(path: string): boolean {
  const segs = path.split(SEP);
  return segs[segs.length - 1].startsWith('k:');
}

function childOf(cur: any, seg: string): { found: boolean; value?: any } {
  if (cur === null || cur === undefined || typeof cur !== 'object') {
    return { found: false };
  }
  if (seg.startsWith('f:')) {
    const k = seg.slice(2);
    return Array.isArray(cur) || !(k in cur)
      ? { found: false }
      : { found: true, value: cur[k] };
  }
  if (seg.startsWith('k:') && Array.isArray(cur)) {
    const key = JSON.parse(seg.slice(2));
    const el = cur.find(
      e => e && Object.entries(key).every(([kk, vv]) => e[kk] === vv),
    );
    return el === undefined ? { found: false } : { found: true, value: el };
  }
  return { found: false };
}

function valueAt(obj: any, path: string): { found: boolean; value?: any } {
  let cur: any = obj;
  for (const seg of path.split(SEP)) {
    const next = childOf(cur, seg);
    if (!next.found) return { found: false };
    cur = next.value;
  }
  return { found: true, value: cur };
}

function removeAt(obj: any, path: string) {
  const segs = path.split(SEP);
  let cur: any = obj;
  for (const seg of segs.slice(0, -1)) {
    const next = childOf(cur, seg);
    if (!next.found) return;
    cur = next.value;
  }
  const last = segs[segs.length - 1];
  if (last.startsWith('f:') && cur && typeof cur === 'object') {
    delete cur[last.slice(2)];
  } else if (last.startsWith('k:') && Array.isArray(cur)) {
    const key = JSON.parse(last.slice(2));
    const idx = cur.findIndex(
      e => e && Object.entries(key).every(([kk, vv]) => e[kk] === vv),
    );
    if (idx >= 0) cur.splice(idx, 1);
  }
}

/** Serialises a path set into the FieldsV1 trie format. */
export function toFieldsV1(paths: Set<string>): JsonObject {
  const root: JsonObject = {};
  for (const p of [...paths].sort()) {
    let cur = root;
    const segs = p.split(SEP);
    segs.forEach(seg => {
      cur[seg] = cur[seg] ?? {};
      cur = cur[seg];
    });
    if (segs[segs.length - 1].startsWith('k:')) {
      cur['.'] = {};
    }
  }
  return root;
}

/** Parses a FieldsV1 trie back into a path set. */
export function fromFieldsV1(trie: any): Set<string> {
  const out = new Set<string>();
  const walk = (node: any, prefix: string[]) => {
    const keys = Object.keys(node ?? {});
    if (keys.length === 0 && prefix.length > 0) {
      out.add(prefix.join(SEP));
      return;
    }
    for (const k of keys) {
      if (k === '.') {
        out.add(prefix.join(SEP));
      } else {
        walk(node[k], [...prefix, k]);
      }
    }
  };
  walk(trie, []);
  return out;
}

/**
 * Renders a path the way structured-merge-diff's fieldpath.Path.String()
 * prints conflicting fields: `.spec.containers[name="app"].image`.
 */
export function renderPath(path: string): string {
  return path
    .split(SEP)
    .map(seg => {
      if (seg.startsWith('f:')) return `.${seg.slice(2)}`;
      const key = JSON.parse(seg.slice(2)) as Record<string, unknown>;
      return `[${Object.keys(key)
        .sort()
        .map(k => `${k}=${JSON.stringify(key[k])}`)
        .join(',')}]`;
    })
    .join('');
}

interface Entry {
  manager: string;
  operation: string;
  apiVersion: string;
  time: string;
  subresource?: string;
  fields: Set<string>;
}

function readEntries(obj: K8sObject): Entry[] {
  return (obj.metadata.managedFields ?? []).map(e => ({
    manager: String(e.manager ?? ''),
    operation: String(e.operation ?? 'Update'),
    apiVersion: String(e.apiVersion ?? obj.apiVersion ?? ''),
    time: String(e.time ?? ''),
    subresource: e.subresource,
    fields: fromFieldsV1(e.fieldsV1),
  }));
}

function writeEntries(obj: K8sObject, entries: Entry[]) {
  const kept = entries.filter(e => e.fields.size > 0);
  obj.metadata.managedFields = kept.map(e => ({
    manager: e.manager,
    operation: e.operation,
    apiVersion: e.apiVersion,
    time: e.time,
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(e.fields),
    ...(e.subresource ? { subresource: e.subresource } : {}),
  }));
  if (obj.metadata.managedFields.length === 0) {
    delete obj.metadata.managedFields;
  }
}

function ssaMerge(target: any, applied: any): any {
  if (applied === null || typeof applied !== 'object') {
    return clone(applied);
  }
  if (Array.isArray(applied)) {
    const key = listMergeKey(applied);
    if (!key || !Array.isArray(target)) return clone(applied);
    const out = target.map(t => clone(t));
    for (const a of applied) {
      const idx = out.findIndex(t => t && t[key] === a[key]);
      if (idx >= 0) out[idx] = ssaMerge(out[idx], a);
      else out.push(clone(a));
    }
    return out;
  }
  const out: any =
    target && typeof target === 'object' && !Array.isArray(target)
      ? { ...target }
      : {};
  for (const [k, v] of Object.entries(applied)) {
    if (v === undefined) continue;
    out[k] = ssaMerge(out[k], v);
  }
  return out;
}

/** Result of a server-side apply computation. */
export type ApplyResult =
  | { ok: true; object: K8sObject }
  | { ok: false; conflicts: FieldConflict[] };

/**
 * Computes the object that results from `manager` applying `applied` onto
 * `current` (undefined when the object does not exist yet).
 */
export function serverSideApply(options: {
  current: K8sObject | undefined;
  applied: K8sObject;
  manager: string;
  force: boolean;
  apiVersion: string;
  now: string;
  subresource?: string;
}): ApplyResult {
  const { current, applied, manager, force, now, subresource } = options;
  const base: K8sObject = current
    ? clone(current)
    : { metadata: { name: applied.metadata?.name } };
  const entries = readEntries(base);
  const scopeOf = (e: Entry) => (e.subresource ?? '') === (subresource ?? '');
  const appliedFields = fieldsOf(applied, subresource);

  const conflicts: FieldConflict[] = [];
  for (const e of entries) {
    if (!scopeOf(e) || (e.manager === manager && e.operation === 'Apply')) {
      continue;
    }
    for (const p of appliedFields) {
      if (!e.fields.has(p) || isElementMarker(p)) continue;
      const live = valueAt(base, p);
      const want = valueAt(applied, p);
      if (live.found && !jsonEqual(live.value, want.value)) {
        conflicts.push({
          manager: e.manager,
          apiVersion: e.apiVersion,
          operation: e.operation,
          time: e.time || undefined,
          subresource: e.subresource,
          field: p,
        });
      }
    }
  }
  if (conflicts.length > 0 && !force) {
    return { ok: false, conflicts };
  }

  const mine = entries.find(
    e => e.manager === manager && e.operation === 'Apply' && scopeOf(e),
  );
  const ownedByOthers = new Set<string>();
  for (const e of entries) {
    if (e === mine || !scopeOf(e)) continue;
    for (const p of e.fields) ownedByOthers.add(p);
  }
  if (mine) {
    // Fields this manager applied before but no longer applies are removed,
    // unless another manager also owns them.
    const dropped = [...mine.fields].filter(
      p => !appliedFields.has(p) && !ownedByOthers.has(p),
    );
    dropped.sort((a, b) => b.length - a.length);
    for (const p of dropped) {
      const hasOtherDescendant = [...ownedByOthers].some(o =>
        o.startsWith(p + SEP),
      );
      if (!hasOtherDescendant) removeAt(base, p);
    }
  }

  let merged: K8sObject;
  if (subresource === 'status') {
    merged = { ...base, status: ssaMerge(base.status, applied.status) };
  } else {
    const { status: _ignored, ...rest } = applied;
    merged = ssaMerge(base, rest);
    merged.metadata = {
      ...merged.metadata,
      managedFields: base.metadata.managedFields,
    };
  }

  const conflictPaths = new Set(conflicts.map(c => c.field));
  for (const e of entries) {
    if (e === mine) continue;
    for (const p of conflictPaths) e.fields.delete(p);
  }
  const next: Entry = {
    manager,
    operation: 'Apply',
    apiVersion: options.apiVersion,
    time: now,
    ...(subresource ? { subresource } : {}),
    fields: appliedFields,
  };
  const others = entries.filter(e => e !== mine);
  writeEntries(merged, mine ? [...others, next] : [...others, next]);
  return { ok: true, object: merged };
}

/**
 * Records an update operation (create, PUT, merge or JSON patch): the manager
 * takes ownership of the fields it changed and other managers lose them.
 */
export function recordUpdate(options: {
  previous: K8sObject | undefined;
  next: K8sObject;
  manager: string;
  apiVersion: string;
  now: string;
  subresource?: string;
}): void {
  const { previous, next, manager, now, subresource } = options;
  const entries = previous ? readEntries(previous) : [];
  const scopeOf = (e: Entry) => (e.subresource ?? '') === (subresource ?? '');
  const before = previous ? fieldsOf(previous, subresource) : new Set<string>();
  const after = fieldsOf(next, subresource);
  const changed = new Set<string>();
  for (const p of after) {
    if (!before.has(p)) {
      changed.add(p);
    } else if (!isElementMarker(p)) {
      const a = valueAt(previous, p);
      const b = valueAt(next, p);
      if (!jsonEqual(a.value, b.value)) changed.add(p);
    }
  }
  for (const p of before) if (!after.has(p)) changed.add(p);
  if (changed.size === 0 && entries.length > 0) {
    writeEntries(next, entries);
    return;
  }
  for (const e of entries) {
    if (!scopeOf(e)) continue;
    for (const p of [...e.fields]) {
      if (!after.has(p)) e.fields.delete(p);
      else if (
        !(e.manager === manager && e.operation === 'Update') &&
        changed.has(p)
      ) {
        e.fields.delete(p);
      }
    }
  }
  let mine = entries.find(
    e => e.manager === manager && e.operation === 'Update' && scopeOf(e),
  );
  if (!mine) {
    mine = {
      manager,
      operation: 'Update',
      apiVersion: options.apiVersion,
      time: now,
      ...(subresource ? { subresource } : {}),
      fields: new Set(),
    };
    entries.push(mine);
  }
  for (const p of changed) if (after.has(p)) mine.fields.add(p);
  if (changed.size > 0) mine.time = now;
  writeEntries(next, entries);
}
