import type { SimulatedCluster } from '../cluster';
import { isoSeconds, K8sObject, parseDurationSeconds } from '../util';

/** What each reconcile function gets. */
export interface Ctl {
  cluster: SimulatedCluster;
  /** Simulated time (ms) of this reconcile. */
  now: number;
  /** Asks for the object to be reconciled again at simulated time `atMs`. */
  wakeAt(atMs: number): void;
}

/** Annotation keys the simulator reads to decide how workloads behave. */
export const SIM = {
  behavior: 'sim.careplane.io/behavior',
  readyAfter: 'sim.careplane.io/ready-after-seconds',
  runSeconds: 'sim.careplane.io/run-seconds',
  exitCode: 'sim.careplane.io/exit-code',
  analysis: 'sim.careplane.io/analysis-outcome',
  analysisSeconds: 'sim.careplane.io/analysis-seconds',
  canaryOutcome: 'sim.careplane.io/canary-outcome',
} as const;

/** An ownerReference pointing at `owner`. */
export function ownerRef(owner: K8sObject) {
  return {
    apiVersion: owner.apiVersion!,
    kind: owner.kind!,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Objects of a kind that `owner` controls. */
export function ownedBy(
  ctl: Ctl,
  owner: K8sObject,
  group: string,
  kind: string,
): K8sObject[] {
  const type = ctl.cluster.typeByKind(group, kind);
  if (!type) return [];
  const out: K8sObject[] = [];
  for (const ref of ctl.cluster.store.dependentsOf(owner.metadata.uid!)) {
    if (ref.resource !== (group ? `${type.plural}.${group}` : type.plural))
      continue;
    const o = ctl.cluster.store.get(ref.resource, ref.namespace, ref.name);
    if (o) out.push(o);
  }
  return out;
}

/** Whether a pod has condition Ready=True. */
export function podReady(pod: K8sObject): boolean {
  return (pod.status?.conditions ?? []).some(
    (c: any) => c.type === 'Ready' && c.status === 'True',
  );
}

/** Whether a pod has finished (Succeeded or Failed). */
export function podTerminal(pod: K8sObject): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/**
 * Sets a condition in a conditions array, keeping lastTransitionTime when the
 * status does not change (as controllers do).
 */
export function setCondition(
  conditions: any[] | undefined,
  cond: { type: string; status: string; reason?: string; message?: string },
  nowIso: string,
  opts: {
    lastUpdateTime?: boolean;
    lastProbeTime?: boolean;
    observedGeneration?: number;
  } = {},
): any[] {
  const list = [...(conditions ?? [])];
  const idx = list.findIndex(c => c.type === cond.type);
  const prev = idx >= 0 ? list[idx] : undefined;
  const changedStatus = !prev || prev.status !== cond.status;
  const same =
    prev &&
    !changedStatus &&
    prev.reason === cond.reason &&
    prev.message === cond.message;
  const next: any = {
    type: cond.type,
    status: cond.status,
    ...(opts.observedGeneration !== undefined
      ? { observedGeneration: opts.observedGeneration }
      : {}),
    ...(opts.lastProbeTime ? { lastProbeTime: null } : {}),
    ...(opts.lastUpdateTime
      ? { lastUpdateTime: same ? prev.lastUpdateTime : nowIso }
      : {}),
    lastTransitionTime: changedStatus ? nowIso : prev.lastTransitionTime,
    ...(cond.reason !== undefined ? { reason: cond.reason } : {}),
    ...(cond.message !== undefined ? { message: cond.message } : {}),
  };
  if (idx >= 0) list[idx] = next;
  else list.push(next);
  return list;
}

/** Finds a condition by type. */
export function getCondition(obj: K8sObject, type: string): any | undefined {
  return (obj.status?.conditions ?? []).find((c: any) => c.type === type);
}

/** Reads a numeric annotation (seconds), from the object or a pod template. */
export function annotationSeconds(
  annotations: Record<string, string> | undefined,
  key: string,
): number | undefined {
  const v = annotations?.[key];
  return v === undefined ? undefined : parseDurationSeconds(v);
}

/** ISO string of a simulated time. */
export function iso(ms: number): string {
  return isoSeconds(ms);
}

/** Resolves an int-or-percent (maxSurge, maxUnavailable) against a total. */
export function intOrPercent(
  value: unknown,
  total: number,
  roundUp: boolean,
  dflt: string,
): number {
  const v = value === undefined || value === null ? dflt : value;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(String(v));
  if (m) {
    const raw = (Number(m[1]) * total) / 100;
    return roundUp ? Math.ceil(raw) : Math.floor(raw);
  }
  return Number(v) || 0;
}

/** Builds a pod from a template, owned by `owner`. */
export function podFromTemplate(
  owner: K8sObject,
  template: any,
  name: string,
  extraLabels: Record<string, string> = {},
  extraAnnotations: Record<string, string> = {},
): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      generateName: name.replace(/[^-]+$/, ''),
      namespace: owner.metadata.namespace,
      labels: { ...(template?.metadata?.labels ?? {}), ...extraLabels },
      annotations: {
        ...(template?.metadata?.annotations ?? {}),
        ...extraAnnotations,
      },
      ownerReferences: [ownerRef(owner)],
    },
    spec: {
      restartPolicy: 'Always',
      serviceAccountName: 'default',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      ...(template?.spec ?? {}),
    },
    status: { phase: 'Pending', qosClass: 'Burstable' },
  };
}
