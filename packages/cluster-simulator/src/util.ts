/**
 * Small deterministic helpers shared by the store, the controllers and the
 * metrics generator. Everything random in the simulator flows from a seeded
 * generator so that a scenario replays identically given the same seed.
 */

/** A JSON-compatible object as served by the Kubernetes API. */
export type JsonObject = { [key: string]: any };

/** Minimal shape of any Kubernetes object handled by the simulator. */
export interface K8sObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name?: string;
    generateName?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: Array<{
      apiVersion: string;
      kind: string;
      name: string;
      uid: string;
      controller?: boolean;
      blockOwnerDeletion?: boolean;
    }>;
    managedFields?: JsonObject[];
    finalizers?: string[];
    [key: string]: any;
  };
  spec?: any;
  status?: any;
  [key: string]: any;
}

/** A seeded pseudo random generator (mulberry32). */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Random characters from the alphabet Kubernetes uses for generated names. */
  suffix(length = 5): string {
    const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
    let out = '';
    for (let i = 0; i < length; i++) {
      out += alphabet[this.int(alphabet.length)];
    }
    return out;
  }

  /** An RFC 4122 version 4 shaped UUID. */
  uuid(): string {
    const hex = '0123456789abcdef';
    let out = '';
    for (let i = 0; i < 36; i++) {
      if (i === 8 || i === 13 || i === 18 || i === 23) {
        out += '-';
      } else if (i === 14) {
        out += '4';
      } else if (i === 19) {
        out += hex[8 + this.int(4)];
      } else {
        out += hex[this.int(16)];
      }
    }
    return out;
  }
}

/** 32-bit FNV-1a hash of a string. */
export function fnv32(input: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < input.length; i++) {
    h ^= input.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A pod-template-hash like the one Kubernetes computes: a 32-bit hash encoded
 * with the "safe" alphabet that avoids vowels and look-alike characters.
 */
export function templateHash(template: unknown): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let h = fnv32(stableStringify(template));
  let out = '';
  do {
    out += alphabet[h % alphabet.length];
    h = Math.floor(h / alphabet.length);
  } while (h > 0);
  return out;
}

/** JSON.stringify with sorted keys, so equal objects hash equally. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) {
    return `[${value.map(v => stableStringify(v)).join(',')}]`;
  }
  const keys = Object.keys(value as object).sort();
  return `{${keys
    .filter(k => (value as any)[k] !== undefined)
    .map(k => `${JSON.stringify(k)}:${stableStringify((value as any)[k])}`)
    .join(',')}}`;
}

/** Deep copy of a JSON value. */
export function clone<T>(value: T): T {
  if (value === undefined) {
    return value;
  }
  return JSON.parse(JSON.stringify(value));
}

/** Deep equality of two JSON values. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (
    a === null ||
    b === null ||
    typeof a !== 'object' ||
    typeof b !== 'object'
  ) {
    return false;
  }
  if (Array.isArray(a) !== Array.isArray(b)) {
    return false;
  }
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => jsonEqual(v, bb[i]));
  }
  const ak = Object.keys(a as object).filter(k => (a as any)[k] !== undefined);
  const bk = Object.keys(b as object).filter(k => (b as any)[k] !== undefined);
  if (ak.length !== bk.length) {
    return false;
  }
  return ak.every(k => jsonEqual((a as any)[k], (b as any)[k]));
}

/** RFC 3339 timestamp with second precision, as Kubernetes renders metav1.Time. */
export function isoSeconds(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000)
    .toISOString()
    .slice(0, 19)}Z`;
}

/** Parses "30s", "5m", "2h", "1h30m", "250ms" or a plain number of seconds. */
export function parseDurationSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return value;
  }
  if (typeof value !== 'string' || value.trim() === '') {
    return undefined;
  }
  if (/^\d+(\.\d+)?$/.test(value)) {
    return Number(value);
  }
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
  let total = 0;
  let consumed = '';
  for (;;) {
    const match = re.exec(value);
    if (match === null) break;
    consumed += match[0];
    const n = Number(match[1]);
    const unit = match[2];
    total +=
      unit === 'ms'
        ? n / 1000
        : unit === 's'
        ? n
        : unit === 'm'
        ? n * 60
        : unit === 'h'
        ? n * 3600
        : n * 86400;
  }
  return consumed === value ? total : undefined;
}

/** Parses a Kubernetes quantity ("500m", "2Gi", "8") into a number of base units. */
export function parseQuantity(value: unknown): number {
  if (typeof value === 'number') {
    return value;
  }
  if (typeof value !== 'string') {
    return 0;
  }
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(value.trim());
  if (!m) {
    return 0;
  }
  const n = Number(m[1]);
  const factors: Record<string, number> = {
    '': 1,
    m: 0.001,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    Ki: 1024,
    Mi: 1024 ** 2,
    Gi: 1024 ** 3,
    Ti: 1024 ** 4,
  };
  return n * (factors[m[2]] ?? 1);
}

/** Reads a dotted path ("status.phase", "metadata.labels.app") from an object. */
export function getPath(obj: unknown, path: string): unknown {
  let cur: any = obj;
  for (const part of path.split('.')) {
    if (cur === null || cur === undefined || typeof cur !== 'object') {
      return undefined;
    }
    cur = cur[part];
  }
  return cur;
}
