import type { KubeObject } from '@careplane/plugin-clusters-common';
import type { AnalysisResult, RolePods, RolloutFacts } from './types';

/** Objects related to a release (same cluster and namespace), used to fill pods and analysis. */
export interface RelatedObjects {
  replicaSets?: KubeObject[];
  analysisRuns?: KubeObject[];
  /** Deployments, for Flagger's target and primary. */
  deployments?: KubeObject[];
}

/** `container=image` of a pod template. */
export function templateImages(template: any): string[] {
  const containers: any[] = template?.spec?.containers ?? [];
  return containers.map(c => `${c.name}=${c.image}`);
}

/** Latest `lastTransitionTime` of the conditions. */
export function lastTransition(
  conditions: any[] | undefined,
): string | undefined {
  let best: string | undefined;
  for (const c of conditions ?? []) {
    const t = c.lastTransitionTime ?? c.lastUpdateTime;
    if (typeof t === 'string' && (!best || t > best)) best = t;
  }
  return best;
}

/** Replica counts of a ReplicaSet / Deployment as a role. */
export function rolePods(
  role: RolePods['role'],
  obj: KubeObject | undefined,
  revision?: string,
): RolePods {
  return {
    role,
    revision,
    replicas: obj?.status?.replicas ?? 0,
    ready: obj?.status?.readyReplicas ?? 0,
    available: obj?.status?.availableReplicas ?? 0,
  };
}

/** Whether `owner` controls `obj` (by uid, else by kind and name). */
export function ownedBy(obj: KubeObject, owner: KubeObject): boolean {
  return (obj.metadata.ownerReferences ?? []).some(r =>
    owner.metadata.uid
      ? r.uid === owner.metadata.uid
      : r.kind === owner.kind && r.name === owner.metadata.name,
  );
}

/** An AnalysisRun in the model's shape. */
export function analysisResult(ar: KubeObject): AnalysisResult {
  const metrics: any[] = ar.status?.metricResults ?? [];
  return {
    name: ar.metadata.name,
    phase: ar.status?.phase ?? 'Pending',
    message: ar.status?.message || undefined,
    startedAt: ar.status?.startedAt ?? ar.metadata.creationTimestamp,
    metrics: metrics.map(m => ({
      name: String(m.name),
      phase: m.phase ?? 'Pending',
      count: m.count ?? 0,
      successful: m.successful ?? 0,
      failed: m.failed ?? 0,
      inconclusive: m.inconclusive ?? 0,
      error: m.error ?? 0,
      message: m.message || undefined,
      measurements: (Array.isArray(m.measurements) ? m.measurements : []).map(
        (x: { phase: string; value?: string; finishedAt?: string }) => ({
          phase: x.phase,
          value: x.value,
          finishedAt: x.finishedAt,
        }),
      ),
    })),
  };
}

/** Facts that do not apply to a kind. */
export const noFacts: RolloutFacts = {
  abort: false,
  promoteFull: false,
  specPaused: false,
  controllerPause: false,
  stepCount: 0,
  analysisStepRunning: false,
  inconclusive: false,
  generationObserved: true,
};
