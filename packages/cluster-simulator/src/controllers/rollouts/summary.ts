import { K8sObject, templateHash } from '../../util';
import { ownedBy, setCondition } from '../context';
import { calculateRolloutPhase } from './phase';
import { HASH_LABEL, RolloutRun } from './run';

type Cond = { type: string; status: string; reason: string; message: string };

function set(run: RolloutRun, cond: Cond) {
  run.status.conditions = setCondition(
    run.status.conditions,
    cond,
    run.nowIso,
    {
      lastUpdateTime: true,
    },
  );
}

function progressingReason(run: RolloutRun): string | undefined {
  return run.status.conditions?.find((c: any) => c.type === 'Progressing')
    ?.reason;
}

/** Replica counters of all the Rollout's ReplicaSets. */
function counters(run: RolloutRun): void {
  const { ctl, ro, status, spec, hash, steps } = run;
  const fresh = ownedBy(ctl, ro, 'apps', 'ReplicaSet');
  const cur = fresh.find(r => r.metadata.labels?.[HASH_LABEL] === hash);
  const sum = (f: (r: K8sObject) => number) =>
    fresh.reduce((n, r) => n + f(r), 0);
  status.replicas = sum(r => r.status?.replicas ?? 0);
  status.updatedReplicas = cur?.status?.replicas ?? 0;
  status.readyReplicas = sum(r => r.status?.readyReplicas ?? 0);
  status.availableReplicas = sum(r => r.status?.availableReplicas ?? 0);
  status.HPAReplicas = status.replicas;
  status.selector = Object.entries(spec.selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  status.observedGeneration = String(ro.metadata.generation ?? 1);
  status.currentStepHash = steps.length ? templateHash(steps) : undefined;
}

/** Completed / Available / Paused / Progressing conditions. */
function conditions(run: RolloutRun, paused: boolean): void {
  const { status, spec, hash, name, revision, replicas } = run;
  if (status.stableRS === hash && !status.abort) {
    set(run, {
      type: 'Progressing',
      status: 'True',
      reason: 'NewReplicaSetAvailable',
      message: `Rollout "${name}" has successfully progressed.`,
    });
    set(run, {
      type: 'Completed',
      status: 'True',
      reason: 'RolloutCompleted',
      message: 'Rollout is completed',
    });
  } else {
    set(run, {
      type: 'Completed',
      status: 'False',
      reason: 'RolloutCompleted',
      message: `Rollout not completed, started update to revision ${revision}`,
    });
  }
  const available = status.availableReplicas >= replicas;
  set(run, {
    type: 'Available',
    status: available ? 'True' : 'False',
    reason: 'AvailableReason',
    message: available
      ? 'Rollout has minimum availability'
      : 'Rollout does not have minimum availability',
  });
  set(run, {
    type: 'Paused',
    status: paused ? 'True' : 'False',
    reason: paused ? 'RolloutPaused' : 'RolloutResumed',
    message: paused ? 'Rollout is paused' : 'Rollout is resumed',
  });
  const reason = progressingReason(run);
  if (paused && !spec.paused) {
    if (reason === 'ReplicaSetUpdated' || reason === 'RolloutResumed')
      set(run, {
        type: 'Progressing',
        status: 'Unknown',
        reason: 'RolloutPaused',
        message: 'Rollout is paused',
      });
  } else if (!status.abort && status.stableRS !== hash) {
    if (reason === 'RolloutPaused')
      set(run, {
        type: 'Progressing',
        status: 'True',
        reason: 'RolloutResumed',
        message: 'Rollout is resumed',
      });
  }
}

/**
 * Fills the Rollout status the way the Argo controller reports it: counters,
 * conditions and the phase from CalculateRolloutPhase. Returns whether the
 * Rollout is healthy.
 */
export function summariseRollout(run: RolloutRun): boolean {
  const { status, spec, hash, replicas } = run;
  counters(run);
  const paused = (status.pauseConditions ?? []).length > 0 || !!spec.paused;
  conditions(run, paused);
  const healthy =
    status.stableRS === hash && status.availableReplicas >= replicas;
  set(run, {
    type: 'Healthy',
    status: healthy ? 'True' : 'False',
    reason: 'RolloutHealthy',
    message: healthy ? 'Rollout is healthy' : 'Rollout is not healthy',
  });
  if (spec.restartAt) status.restartedAt = spec.restartAt;
  const ph = calculateRolloutPhase(spec, status);
  status.phase = ph.phase;
  status.message = ph.message;
  for (const k of Object.keys(status))
    if (status[k] === undefined) delete status[k];
  return healthy;
}
