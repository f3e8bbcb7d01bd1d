import { parseDurationSeconds } from '../../util';
import { setCondition } from '../context';
import { scaleReplicaSet } from '../replicasets';
import { analysisRunForStep } from './analysis';
import { avail, freshRs, RolloutRun } from './run';

/**
 * The canary strategy of Argo Rollouts: walk the steps from
 * status.currentStepIndex — setWeight scales the canary ReplicaSet (and waits
 * for it), pause holds (CanaryPauseStep, with or without a duration) until a
 * human clears the pause condition, analysis runs an AnalysisRun and aborts
 * on failure — then promote the revision to stable.
 */

type StepResult = 'next' | 'wait';

function setWeightStep(run: RolloutRun, weight: number): StepResult {
  const { ctl, rs, stable, replicas } = run;
  const want = Math.ceil((replicas * weight) / 100);
  scaleReplicaSet(ctl, rs, want);
  if (stable)
    scaleReplicaSet(
      ctl,
      stable,
      Math.max(replicas - (run.canary?.dynamicStableScale ? want : 0), 0),
    );
  return avail(freshRs(run)) >= want ? 'next' : 'wait';
}

function pauseStep(run: RolloutRun, step: any): StepResult {
  const { ctl, status, events } = run;
  const pauses: any[] = status.pauseConditions ?? [];
  const duration =
    step.pause?.duration !== undefined
      ? parseDurationSeconds(step.pause.duration)
      : undefined;
  if (pauses.length === 0 && !status.controllerPause) {
    status.pauseConditions = [
      { reason: 'CanaryPauseStep', startTime: run.nowIso },
    ];
    status.controllerPause = true;
    events.push([
      'Normal',
      'RolloutPaused',
      'Rollout is paused (CanaryPauseStep)',
    ]);
    if (duration !== undefined) ctl.wakeAt(ctl.now + duration * 1000);
    return 'wait';
  }
  if (pauses.length === 0 && status.controllerPause) {
    // Promoted by a human (pauseConditions cleared).
    status.controllerPause = undefined;
    events.push(['Normal', 'RolloutResumed', 'Rollout is resumed']);
    return 'next';
  }
  if (duration !== undefined) {
    const due = Date.parse(pauses[0].startTime) + duration * 1000;
    if (ctl.now >= due) {
      status.pauseConditions = undefined;
      status.controllerPause = undefined;
      return 'next';
    }
    ctl.wakeAt(due);
  }
  return 'wait';
}

function analysisStep(run: RolloutRun, step: any, idx: number): StepResult {
  const { ctl, status, rs, stable, replicas, revision, events } = run;
  const ar = analysisRunForStep(run, step, idx);
  status.canary = {
    ...status.canary,
    currentStepAnalysisRunStatus: {
      name: ar.metadata.name,
      status: ar.status?.phase ?? 'Pending',
      message: ar.status?.message ?? '',
    },
  };
  if (ar.status?.phase === 'Successful') return 'next';
  if (ar.status?.phase === 'Failed' || ar.status?.phase === 'Error') {
    status.abort = true;
    status.abortedAt = run.nowIso;
    scaleReplicaSet(ctl, rs, 0);
    if (stable) scaleReplicaSet(ctl, stable, replicas);
    status.conditions = setCondition(
      status.conditions,
      {
        type: 'Progressing',
        status: 'False',
        reason: 'RolloutAborted',
        message: `Rollout aborted update to revision ${revision}: Metric "${ar.spec?.metrics?.[0]?.name}" assessed Failed due to failed (1) > failureLimit (0)`,
      },
      run.nowIso,
      { lastUpdateTime: true },
    );
    events.push([
      'Warning',
      'RolloutAborted',
      `Rollout aborted update to revision ${revision}`,
    ]);
  }
  return 'wait';
}

/** Promotes the canary to stable once every step passed and it is fully available. */
function finishCanary(run: RolloutRun): void {
  const { ctl, status, rs, stable, hash, replicas, revision, events } = run;
  scaleReplicaSet(ctl, rs, replicas);
  if (avail(freshRs(run)) < replicas) return;
  status.stableRS = hash;
  if (stable) scaleReplicaSet(ctl, stable, 0);
  status.pauseConditions = undefined;
  status.controllerPause = undefined;
  status.promoteFull = undefined;
  events.push([
    'Normal',
    'RolloutCompleted',
    `Rollout completed update to revision ${revision} (${hash}): Rollout is Healthy`,
  ]);
}

/** Traffic-routed canaries report the weights they set. */
function reportWeights(run: RolloutRun, weight: number): void {
  const { status, hash, canary } = run;
  const done = status.stableRS === hash;
  status.canary = {
    ...status.canary,
    weights: {
      canary: {
        weight: done ? 0 : weight,
        podTemplateHash: hash,
        serviceName: canary.canaryService,
      },
      stable: {
        weight: done ? 100 : 100 - weight,
        podTemplateHash: status.stableRS,
        serviceName: canary.stableService,
      },
    },
  };
}

/** Advances a canary rollout as far as it can go in this reconcile. */
export function stepCanary(run: RolloutRun): void {
  const { status, steps } = run;
  if (status.promoteFull) status.currentStepIndex = steps.length;
  let idx: number = status.currentStepIndex ?? 0;
  let weight = 0;
  for (let i = 0; i < Math.min(idx, steps.length); i++) {
    if (steps[i].setWeight !== undefined) weight = steps[i].setWeight;
  }
  while (idx < steps.length) {
    const step = steps[idx];
    let result: StepResult = 'next';
    if (step.setWeight !== undefined) {
      weight = step.setWeight;
      result = setWeightStep(run, weight);
    } else if (step.pause !== undefined) {
      result = pauseStep(run, step);
    } else if (step.analysis !== undefined) {
      result = analysisStep(run, step, idx);
    }
    // Other step kinds (experiment, setCanaryScale, header routes, plugins) pass.
    if (result === 'wait') break;
    idx++;
  }
  status.currentStepIndex = idx;
  if (idx >= steps.length && !status.abort) finishCanary(run);
  if (run.canary?.trafficRouting) reportWeights(run, weight);
}
