import type { ObjectEnvelope } from '@careplane/plugin-clusters-common';
import type { CheckOutcome, Evidence } from './types';

/** Kinds that carry a pod template (or are a pod). @public */
export const POD_KINDS = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'Rollout',
  'Pod',
];

/** Kinds that keep a number of replicas running. @public */
export const REPLICATED_KINDS = ['Deployment', 'StatefulSet', 'Rollout'];

/** A container of a pod spec with the JSON path it was found at. @public */
export interface ContainerAt {
  container: any;
  path: string;
}

type PodSpecAt = { spec: any; path: string; labels: Record<string, string> };
const podSpecs = new WeakMap<object, PodSpecAt | null>();
const containerLists = new WeakMap<object, ContainerAt[]>();

/**
 * The pod spec of a workload and its path, or undefined. Memoised per object: many checks read
 * it, and cached objects are never mutated (a change is a new object).
 * @public
 */
export function podSpecOf(o: ObjectEnvelope): PodSpecAt | undefined {
  const known = podSpecs.get(o.object);
  if (known !== undefined) return known ?? undefined;
  const found = findPodSpec(o);
  podSpecs.set(o.object, found ?? null);
  return found;
}

function findPodSpec(o: ObjectEnvelope): PodSpecAt | undefined {
  const obj: any = o.object;
  switch (o.kind) {
    case 'Pod':
      return obj.spec
        ? { spec: obj.spec, path: 'spec', labels: obj.metadata.labels ?? {} }
        : undefined;
    case 'CronJob': {
      const t = obj.spec?.jobTemplate?.spec?.template;
      return t?.spec
        ? {
            spec: t.spec,
            path: 'spec.jobTemplate.spec.template.spec',
            labels: t.metadata?.labels ?? {},
          }
        : undefined;
    }
    default: {
      const t = obj.spec?.template;
      return t?.spec
        ? {
            spec: t.spec,
            path: 'spec.template.spec',
            labels: t.metadata?.labels ?? {},
          }
        : undefined;
    }
  }
}

/** Every container (init, regular, ephemeral) with its path (memoised per spec object). @public */
export function containersOf(spec: any, base: string): ContainerAt[] {
  const key = spec && typeof spec === 'object' ? spec : undefined;
  const known = key && containerLists.get(key);
  if (known && (known.length === 0 || known[0].path.startsWith(base)))
    return known;
  const out = listContainers(spec, base);
  if (key) containerLists.set(key, out);
  return out;
}

function listContainers(spec: any, base: string): ContainerAt[] {
  const out: ContainerAt[] = [];
  for (const field of ['initContainers', 'containers', 'ephemeralContainers']) {
    (spec?.[field] ?? []).forEach((c: any, i: number) =>
      out.push({ container: c, path: `${base}.${field}[${i}]` }),
    );
  }
  return out;
}

/** How an object is named in evidence. @public */
export function describeObject(o: ObjectEnvelope): string {
  const where = o.namespace ? `${o.namespace}/${o.name}` : o.name;
  return `${o.kind} ${where} on ${o.cluster}`;
}

/** One evidence item. @public */
export function ev(o: ObjectEnvelope, path: string, value: unknown): Evidence {
  return {
    object: describeObject(o),
    path,
    value:
      typeof value === 'string'
        ? value
        : JSON.stringify(value ?? null) ?? 'absent',
  };
}

/** The evidence of results that have none (shared: results are never mutated). @public */
export const NO_EVIDENCE: Evidence[] = Object.freeze(
  [],
) as unknown as Evidence[];

/** @public */
export const pass = (
  message: string,
  evidence: Evidence[] = NO_EVIDENCE,
): CheckOutcome => ({
  status: 'pass',
  message,
  evidence,
});

/** @public */
export const fail = (message: string, evidence: Evidence[]): CheckOutcome => ({
  status: 'fail',
  message,
  evidence,
});

/** @public */
export const warn = (message: string, evidence: Evidence[]): CheckOutcome => ({
  status: 'warn',
  message,
  evidence,
});

/** @public */
export const notApplicable = (message: string): CheckOutcome => ({
  status: 'not-applicable',
  message,
  evidence: NO_EVIDENCE,
});

/** @public */
export const unknown = (message: string): CheckOutcome => ({
  status: 'unknown',
  message,
  evidence: NO_EVIDENCE,
});

/** Whether a selector (`matchLabels` / `matchExpressions`) selects the labels. @public */
export function selects(
  selector:
    | { matchLabels?: Record<string, string>; matchExpressions?: any[] }
    | undefined,
  labels: Record<string, string>,
): boolean {
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[k] !== v) return false;
  }
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in labels;
    const values: string[] = e.values ?? [];
    if (e.operator === 'In' && !(has && values.includes(labels[e.key])))
      return false;
    if (e.operator === 'NotIn' && has && values.includes(labels[e.key]))
      return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** Whether a Service's plain `spec.selector` selects the labels. @public */
export function serviceSelects(
  service: any,
  labels: Record<string, string>,
): boolean {
  const sel: Record<string, string> | undefined = service?.spec?.selector;
  if (!sel || Object.keys(sel).length === 0) return false;
  return Object.entries(sel).every(([k, v]) => labels[k] === v);
}

/** The workload's replica count (default 1 as Kubernetes does). @public */
export function replicasOf(o: ObjectEnvelope): number {
  const r = (o.object as any).spec?.replicas;
  return typeof r === 'number' ? r : 1;
}
