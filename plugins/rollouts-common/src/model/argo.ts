import type { KubeObject } from '@careplane/plugin-clusters-common';
import {
  analysisResult,
  lastTransition,
  ownedBy,
  RelatedObjects,
  rolePods,
  templateImages,
} from './common';
import type {
  DegradedReason,
  RolePods,
  RolloutPause,
  RolloutPhase,
  RolloutView,
} from './types';

/** Label Argo Rollouts puts on the ReplicaSets and pods of a revision. */
export const ROLLOUT_HASH_LABEL = 'rollouts-pod-template-hash';
/** Annotation with a ReplicaSet's rollout revision. */
export const ROLLOUT_REVISION_ANNOTATION = 'rollout.argoproj.io/revision';
const WORKLOAD_GENERATION_ANNOTATION =
  'rollout.argoproj.io/workload-generation';

/**
 * `IsGenerationObserved` of Argo: `status.observedGeneration` is a string; a value that is not a
 * number is a legacy (v0.9) hash and counts as observed, as does one greater than the generation.
 */
export function isArgoGenerationObserved(ro: KubeObject): boolean {
  const raw = ro.status?.observedGeneration;
  // strconv.Atoi fails on an absent / empty / hash value: Argo then treats it as observed
  if (raw === undefined || raw === null || !/^-?\d+$/.test(String(raw))) {
    return true;
  }
  const observed = Number(raw);
  const generation = ro.metadata.generation ?? 0;
  return observed >= generation;
}

/**
 * Rule B (`CalculateRolloutPhase`), for controllers older than v1.0 that do not fill
 * `status.phase`.
 */
export function calculateRolloutPhase(
  spec: any,
  status: any,
): { phase: string; message: string } {
  const conds: any[] = status?.conditions ?? [];
  const invalid = conds.find(c => c.type === 'InvalidSpec');
  if (invalid) {
    return { phase: 'Degraded', message: `InvalidSpec: ${invalid.message}` };
  }
  const bad = conds.find(
    c =>
      c.reason === 'RolloutAborted' || c.reason === 'ProgressDeadlineExceeded',
  );
  if (bad)
    return { phase: 'Degraded', message: `${bad.reason}: ${bad.message}` };
  if (spec?.paused) return { phase: 'Paused', message: 'manually paused' };
  const pauses: any[] = status?.pauseConditions ?? [];
  if (pauses.length > 0) return { phase: 'Paused', message: pauses[0].reason };
  if (spec?.restartAt && spec.restartAt !== status?.restartedAt) {
    return { phase: 'Progressing', message: 'rollout is restarting' };
  }
  const replicas = spec?.replicas ?? 1;
  const updated = status?.updatedReplicas ?? 0;
  if (updated < replicas) {
    return {
      phase: 'Progressing',
      message: 'more replicas need to be updated',
    };
  }
  if ((status?.availableReplicas ?? 0) < updated) {
    return {
      phase: 'Progressing',
      message: 'updated replicas are still becoming available',
    };
  }
  const current = status?.currentPodHash;
  const stable = status?.stableRS;
  if (spec?.strategy?.blueGreen) {
    const active = status?.blueGreen?.activeSelector;
    if (!active || active !== current) {
      return {
        phase: 'Progressing',
        message: 'active service cutover pending',
      };
    }
    if (!stable || stable !== current) {
      const post = spec.strategy.blueGreen.postPromotionAnalysis;
      const postStatus =
        status?.blueGreen?.postPromotionAnalysisRunStatus?.status;
      const done = ['Successful', 'Failed', 'Error', 'Inconclusive'];
      return {
        phase: 'Progressing',
        message:
          post && !done.includes(postStatus)
            ? 'waiting for analysis to complete'
            : 'waiting for post-promotion verification to complete',
      };
    }
  } else {
    if (
      !spec?.strategy?.canary?.trafficRouting &&
      (status?.replicas ?? 0) > updated
    ) {
      return {
        phase: 'Progressing',
        message: 'old replicas are pending termination',
      };
    }
    if (!stable || stable !== current) {
      return {
        phase: 'Progressing',
        message: 'waiting for all steps to complete',
      };
    }
  }
  return { phase: 'Healthy', message: '' };
}

/**
 * Rule A (`GetRolloutPhase`): the two client-side overrides that prevent a stale "Healthy"
 * (generation not observed; unpause in flight), the workload-ref override, then the controller's
 * `status.phase`, else rule B.
 */
export function getRolloutPhase(ro: KubeObject): {
  phase: string;
  message: string;
} {
  if (!isArgoGenerationObserved(ro)) {
    return {
      phase: 'Progressing',
      message: 'waiting for rollout spec update to be observed',
    };
  }
  const status = ro.status ?? {};
  if (
    status.controllerPause === true &&
    (status.pauseConditions ?? []).length === 0
  ) {
    return { phase: 'Progressing', message: 'waiting for rollout to unpause' };
  }
  if (
    ro.spec?.templateResolvedFromRef &&
    ro.metadata.annotations?.[WORKLOAD_GENERATION_ANNOTATION] !==
      status.workloadObservedGeneration
  ) {
    return {
      phase: 'Progressing',
      message:
        'waiting for rollout spec update to be observed for the reference workload',
    };
  }
  if (status.phase)
    return { phase: status.phase, message: status.message ?? '' };
  return calculateRolloutPhase(ro.spec, status);
}

/** `GetCurrentSetWeight`: 0 when aborted, 100 when the steps are done. */
function setWeight(ro: KubeObject): number {
  const status = ro.status ?? {};
  if (status.abort) return 0;
  const steps: any[] = ro.spec?.strategy?.canary?.steps ?? [];
  const index: number = status.currentStepIndex ?? 0;
  if (steps.length === 0 || index >= steps.length) return 100;
  for (let i = index; i >= 0; i--) {
    if (typeof steps[i]?.setWeight === 'number') return steps[i].setWeight;
  }
  return 0;
}

function describeStep(step: any): string | undefined {
  if (!step) return undefined;
  if (step.setWeight !== undefined) return `set weight ${step.setWeight}%`;
  if (step.pause !== undefined) {
    return step.pause?.duration !== undefined
      ? `pause for ${step.pause.duration}`
      : 'pause until promoted';
  }
  if (step.analysis !== undefined) return 'analysis';
  if (step.experiment !== undefined) return 'experiment';
  if (step.setCanaryScale !== undefined) return 'set canary scale';
  if (step.setHeaderRoute !== undefined) return 'set header route';
  if (step.setMirrorRoute !== undefined) return 'set mirror route';
  if (step.plugin !== undefined) return 'plugin';
  return undefined;
}

function needsHuman(ro: KubeObject, reason: string): boolean {
  const spec = ro.spec ?? {};
  if (reason === 'CanaryPauseStep') {
    const steps: any[] = spec.strategy?.canary?.steps ?? [];
    const step = steps[ro.status?.currentStepIndex ?? 0];
    return step?.pause?.duration === undefined;
  }
  if (reason === 'BlueGreenPause') {
    return spec.strategy?.blueGreen?.autoPromotionEnabled === false;
  }
  return (
    reason === 'InconclusiveAnalysisRun' || reason === 'InconclusiveExperiment'
  );
}

function degradedReason(ro: KubeObject, message: string): DegradedReason {
  if (message.startsWith('InvalidSpec')) return 'InvalidSpec';
  if (message.startsWith('ProgressDeadlineExceeded')) return 'TimedOut';
  const failedAnalysis = [
    ro.status?.canary?.currentStepAnalysisRunStatus,
    ro.status?.canary?.currentBackgroundAnalysisRunStatus,
    ro.status?.blueGreen?.prePromotionAnalysisRunStatus,
    ro.status?.blueGreen?.postPromotionAnalysisRunStatus,
  ].some(s => s?.status === 'Failed' || s?.status === 'Error');
  return failedAnalysis ? 'AnalysisFailed' : 'Aborted';
}

function pods(ro: KubeObject, related: RelatedObjects): RolePods[] {
  const rss = (related.replicaSets ?? []).filter(rs => ownedBy(rs, ro));
  const byHash = (h?: string) =>
    h
      ? rss.find(rs => rs.metadata.labels?.[ROLLOUT_HASH_LABEL] === h)
      : undefined;
  const status = ro.status ?? {};
  const out: RolePods[] = [];
  if (ro.spec?.strategy?.blueGreen) {
    const active = status.blueGreen?.activeSelector ?? status.stableRS;
    const preview = status.blueGreen?.previewSelector;
    out.push(rolePods('active', byHash(active), active));
    if (preview && preview !== active)
      out.push(rolePods('preview', byHash(preview), preview));
    return out;
  }
  out.push(rolePods('stable', byHash(status.stableRS), status.stableRS));
  if (status.currentPodHash && status.currentPodHash !== status.stableRS) {
    out.push(
      rolePods('canary', byHash(status.currentPodHash), status.currentPodHash),
    );
  }
  return out;
}

function actualWeight(ro: KubeObject, set: number, roles: RolePods[]): number {
  const weights = ro.status?.canary?.weights;
  if (weights?.canary && typeof weights.canary.weight === 'number') {
    return weights.canary.weight;
  }
  const available = ro.status?.availableReplicas ?? 0;
  const canary = roles.find(r => r.role === 'canary');
  if (available > 0 && canary)
    return Math.floor((canary.available * 100) / available);
  return set;
}

function pauseOf(ro: KubeObject): RolloutPause | undefined {
  if (ro.spec?.paused) {
    return { reason: 'ManualPause', needsHuman: true };
  }
  const first = (ro.status?.pauseConditions ?? [])[0];
  if (!first) return undefined;
  return {
    reason: first.reason,
    since: first.startTime,
    needsHuman: needsHuman(ro, first.reason),
  };
}

/** The model of an Argo `Rollout` (rule A, weights from `rollout_info.go`). */
export function deriveArgoRollout(
  ro: KubeObject,
  related: RelatedObjects = {},
): RolloutView {
  const spec = ro.spec ?? {};
  const status = ro.status ?? {};
  const { phase: controllerPhase, message: controllerMessage } =
    getRolloutPhase(ro);
  const blueGreen = Boolean(spec.strategy?.blueGreen);
  const steps: any[] = spec.strategy?.canary?.steps ?? [];
  const index: number = status.currentStepIndex ?? 0;
  const roles = pods(ro, related);
  const revisionRs = (related.replicaSets ?? []).find(
    rs =>
      ownedBy(rs, ro) &&
      rs.metadata.labels?.[ROLLOUT_HASH_LABEL] === status.currentPodHash,
  );
  const pause = controllerPhase === 'Paused' ? pauseOf(ro) : undefined;
  let phase: RolloutPhase;
  let degraded: DegradedReason | undefined;
  if (controllerPhase === 'Degraded') {
    degraded = degradedReason(ro, controllerMessage);
    phase = status.abort ? 'Aborted' : 'Degraded';
  } else if (['Healthy', 'Progressing', 'Paused'].includes(controllerPhase)) {
    phase = controllerPhase as RolloutPhase;
  } else {
    phase = 'Unknown';
  }
  const set = blueGreen ? undefined : setWeight(ro);
  const runs = (related.analysisRuns ?? [])
    .filter(ar => ownedBy(ar, ro))
    .sort((a, b) =>
      String(b.metadata.creationTimestamp ?? '').localeCompare(
        String(a.metadata.creationTimestamp ?? ''),
      ),
    )
    .map(analysisResult);
  const inconclusive = pause?.reason === 'InconclusiveAnalysisRun';
  const stepText =
    !blueGreen && steps.length > 0
      ? `step ${Math.min(index, steps.length)} of ${steps.length}`
      : undefined;
  let message: string;
  switch (phase) {
    case 'Paused':
      message = `Paused${stepText ? ` at ${stepText}` : ''}: ${
        pause?.needsHuman ? 'waiting for a person to promote' : 'waiting'
      } (${pause?.reason ?? controllerMessage})`;
      break;
    case 'Aborted':
      message = `Aborted: ${controllerMessage}`;
      break;
    case 'Degraded':
      message = `Degraded: ${controllerMessage}`;
      break;
    case 'Healthy':
      message = 'Healthy: fully promoted';
      break;
    default:
      message = `${phase}${
        stepText ? ` at ${stepText}` : ''
      }: ${controllerMessage}`;
  }
  return {
    kind: 'Rollout',
    namespace: ro.metadata.namespace ?? '',
    name: ro.metadata.name,
    phase,
    message,
    controllerPhase,
    strategy: blueGreen ? 'blueGreen' : 'canary',
    revision: revisionRs?.metadata.annotations?.[ROLLOUT_REVISION_ANNOTATION],
    images: templateImages(spec.template),
    step:
      !blueGreen && steps.length > 0
        ? {
            index: Math.min(index, steps.length),
            total: steps.length,
            description: describeStep(steps[index]),
          }
        : undefined,
    weights:
      set === undefined
        ? undefined
        : { set, actual: actualWeight(ro, set, roles) },
    pause,
    degradedReason: degraded,
    pods: roles,
    analysis: runs,
    lastTransition: lastTransition(status.conditions),
    waitingForHuman:
      phase === 'Degraded' || phase === 'Aborted' || Boolean(pause?.needsHuman),
    facts: {
      abort: Boolean(status.abort),
      promoteFull: Boolean(status.promoteFull),
      specPaused: Boolean(spec.paused),
      controllerPause: Boolean(status.controllerPause),
      currentPodHash: status.currentPodHash,
      stableRS: status.stableRS,
      currentStepIndex: status.currentStepIndex,
      stepCount: steps.length,
      analysisStepRunning:
        steps[index]?.analysis !== undefined &&
        status.canary?.currentStepAnalysisRunStatus?.status !== 'Successful',
      inconclusive,
      generationObserved: isArgoGenerationObserved(ro),
    },
  };
}
