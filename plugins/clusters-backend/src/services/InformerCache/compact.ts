import type { KubeObject } from '@careplane/plugin-clusters-common';

/**
 * Strings longer than this are kept as they are (images, selectors, label values and condition
 * reasons are far shorter; long strings are rarely shared).
 */
const MAX_INTERNED_LENGTH = 128;
/** Bound of the intern table: when full it starts over (objects keep what they share). */
const MAX_INTERNED = 100_000;
/**
 * Values that are unique per object (or per change) are not interned: sharing them saves
 * nothing and would keep them in the table after their object is gone.
 */
const UNIQUE_KEYS = new Set([
  'uid',
  'resourceVersion',
  'creationTimestamp',
  'deletionTimestamp',
  'podIP',
  'hostIP',
  'ip',
  'startTime',
  'startedAt',
  'finishedAt',
  'lastTransitionTime',
  'lastUpdateTime',
  'lastHeartbeatTime',
]);

let table = new Map<string, string>();

function intern(s: string): string {
  if (s.length > MAX_INTERNED_LENGTH) return s;
  const shared = table.get(s);
  if (shared !== undefined) return shared;
  if (table.size >= MAX_INTERNED) table = new Map();
  table.set(s, s);
  return s;
}

function copy(value: unknown, key: string, inMetadata: boolean): unknown {
  // `inMetadata`: `value` is a field of an object's `metadata`
  if (typeof value === 'string') {
    // an object's own name is unique; a container's or an owner's name is shared
    if (UNIQUE_KEYS.has(key) || (inMetadata && key === 'name')) return value;
    return intern(value);
  }
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(v => copy(v, '', false));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[k];
    if (v === undefined) continue;
    out[intern(k)] = copy(v, k, key === 'metadata');
  }
  return out;
}

const STATUS_LISTS = [
  'containerStatuses',
  'initContainerStatuses',
  'ephemeralContainerStatuses',
];

/**
 * Fields no Careplane reader uses (the hub's answers, the Workloads tab and drawer, the rollouts,
 * training and compliance plugins: see the README, "What the cache keeps"), dropped from cached
 * objects. Everything else is kept. `compact.test.ts` proves the readers see the same with and
 * without them.
 * @internal
 */
export const DROPPED_FIELDS = [
  'metadata.generateName',
  'status.conditions[].lastProbeTime when null',
  'Pod status.hostIPs and status.podIPs (status.hostIP and status.podIP are kept)',
  'Pod status.{init,ephemeral,}containerStatuses[].imageID and .containerID',
] as const;

type Fields = Record<string, unknown>;
const isFields = (v: unknown): v is Fields =>
  Boolean(v) && typeof v === 'object' && !Array.isArray(v);
const fieldsOf = (v: unknown): Fields[] =>
  Array.isArray(v) ? v.filter(isFields) : [];

/** Drops {@link DROPPED_FIELDS} from a parsed answer (about to be copied). */
function dropUnread(obj: KubeObject) {
  if (isFields(obj.metadata)) delete obj.metadata.generateName;
  const status = obj.status;
  if (!isFields(status)) return;
  for (const c of fieldsOf(status.conditions)) {
    if (c.lastProbeTime === null) delete c.lastProbeTime;
  }
  if (obj.kind !== 'Pod') return;
  delete status.hostIPs;
  delete status.podIPs;
  for (const list of STATUS_LISTS) {
    for (const c of fieldsOf(status[list])) {
      delete c.imageID;
      delete c.containerID;
    }
  }
}

/**
 * One compact copy of a stripped object for the cache, as an informer transform: every object
 * and array is built afresh with its keys in order (V8 keeps such objects in fast mode, where
 * deleting fields from the parsed answer leaves dictionary-mode objects about twice as large),
 * and strings shared between objects (label keys and values, images, namespaces, node names,
 * condition types, reasons and statuses, owner kinds) are one string for all of them. Unique
 * values (names of objects, uids, resourceVersions, IPs, timestamps) are not shared. The copy
 * is JSON-equal to its input without {@link DROPPED_FIELDS}; `obj.kind` must be set.
 * @internal
 */
export function compactObject(obj: KubeObject): KubeObject {
  dropUnread(obj);
  return copy(obj, '', false) as KubeObject;
}

/** Shares a string through the same table (for index keys such as `label=value`). @internal */
export function internString(s: string): string {
  return intern(s);
}
