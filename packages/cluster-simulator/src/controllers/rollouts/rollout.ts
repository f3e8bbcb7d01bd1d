import { K8sObject, templateHash } from '../../util';
import { Ctl, iso, ownedBy, setCondition } from '../context';
import { createReplicaSet, scaleReplicaSet } from '../replicasets';
import { stepBlueGreen } from './blueGreen';
import { stepCanary } from './canary';
import {
  avail,
  HASH_LABEL,
  REV_ANN,
  RolloutRun,
  updateServiceSelector,
} from './run';
import { summariseRollout } from './summary';

/**
 * The Argo Rollouts controller: one ReplicaSet per pod template revision,
 * the canary or blue-green strategy between the stable and the desired
 * revision, and promote / abort / retry driven by `status` patches
 * (status.pauseConditions cleared, status.abort, status.promoteFull).
 */

/** Finds or creates the ReplicaSet of the desired revision. */
function desiredReplicaSet(
  ctl: Ctl,
  ro: K8sObject,
  hash: string,
  rss: K8sObject[],
): K8sObject {
  const existing = rss.find(r => r.metadata.labels?.[HASH_LABEL] === hash);
  if (existing) return existing;
  const maxRev = Math.max(
    0,
    ...rss.map(r => Number(r.metadata.annotations?.[REV_ANN] ?? 0)),
  );
  const rs = createReplicaSet(
    ctl,
    ro,
    hash,
    HASH_LABEL,
    maxRev + 1,
    REV_ANN,
    0,
  );
  rss.push(rs);
  ctl.cluster.recordEvent(
    ro,
    'Normal',
    'RolloutUpdated',
    `Rollout updated to revision ${maxRev + 1}`,
    'rollouts-controller',
  );
  return rs;
}

function progressing(
  run: RolloutRun,
  status: string,
  reason: string,
  message: string,
) {
  run.status.conditions = setCondition(
    run.status.conditions,
    { type: 'Progressing', status, reason, message },
    run.nowIso,
    { lastUpdateTime: true },
  );
}

/** A new revision restarts the step pointer; a cleared abort is a retry. */
function startRevisionOrRetry(run: RolloutRun): void {
  const { status, hash, steps } = run;
  if (status.currentPodHash !== hash) {
    const first = !status.stableRS;
    status.currentPodHash = hash;
    status.currentStepIndex = first ? steps.length : 0;
    for (const k of [
      'pauseConditions',
      'controllerPause',
      'abort',
      'abortedAt',
      'promoteFull',
    ])
      status[k] = undefined;
    progressing(
      run,
      'True',
      'ReplicaSetUpdated',
      `ReplicaSet "${run.rs.metadata.name}" is progressing.`,
    );
    if (first) status.stableRS = undefined;
  }
  if (status.abortedAt && !status.abort) {
    status.abortedAt = undefined;
    status.currentStepIndex = 0;
    status.pauseConditions = undefined;
    status.controllerPause = undefined;
    progressing(run, 'True', 'RolloutRetry', 'Retrying Rollout after abort');
    run.events.push(['Normal', 'RolloutRetry', 'Rollout is retried']);
  }
}

/** The first revision goes straight to full scale; a stable one stays there. */
function holdStable(run: RolloutRun, first: boolean): void {
  const { ctl, status, rs, hash, replicas, blueGreen, steps } = run;
  scaleReplicaSet(ctl, rs, replicas);
  if (first) {
    if (avail(rs) < replicas) return;
    status.stableRS = hash;
    if (blueGreen) {
      status.blueGreen = { activeSelector: hash, previewSelector: hash };
      updateServiceSelector(run, blueGreen.activeService, hash);
      updateServiceSelector(run, blueGreen.previewService, hash);
    }
    return;
  }
  status.currentStepIndex = steps.length || undefined;
  if (blueGreen)
    status.blueGreen = {
      ...status.blueGreen,
      activeSelector: hash,
      previewSelector: hash,
    };
}

/** status.abort: back to the stable revision. */
function abort(run: RolloutRun): void {
  const { ctl, status, rs, stable, replicas, revision } = run;
  if (!status.abortedAt) {
    status.abortedAt = run.nowIso;
    run.events.push([
      'Warning',
      'RolloutAborted',
      `Rollout aborted update to revision ${revision}`,
    ]);
  }
  scaleReplicaSet(ctl, rs, 0);
  if (stable) scaleReplicaSet(ctl, stable, replicas);
  status.pauseConditions = undefined;
  status.controllerPause = undefined;
  progressing(
    run,
    'False',
    'RolloutAborted',
    `Rollout aborted update to revision ${revision}`,
  );
  if (run.blueGreen)
    status.blueGreen = {
      ...status.blueGreen,
      previewSelector: status.stableRS,
    };
}

/** Reconciles one Argo Rollout. */
export function reconcileRollout(ctl: Ctl, ro: K8sObject): void {
  const spec = ro.spec ?? {};
  const hash = templateHash(spec.template);
  const rss = ownedBy(ctl, ro, 'apps', 'ReplicaSet');
  const rs = desiredReplicaSet(ctl, ro, hash, rss);
  const status: any = JSON.parse(JSON.stringify(ro.status ?? {}));
  const blueGreen = spec.strategy?.blueGreen;
  const canary = spec.strategy?.canary ?? (blueGreen ? undefined : {});
  const run: RolloutRun = {
    ctl,
    ro,
    ns: ro.metadata.namespace!,
    name: ro.metadata.name!,
    nowIso: iso(ctl.now),
    spec,
    status,
    replicas: spec.replicas ?? 1,
    hash,
    revision: rs.metadata.annotations?.[REV_ANN] ?? '1',
    rs,
    blueGreen,
    canary,
    steps: canary?.steps ?? [],
    events: [],
  };
  startRevisionOrRetry(run);
  run.stable = status.stableRS
    ? rss.find(r => r.metadata.labels?.[HASH_LABEL] === status.stableRS)
    : undefined;
  for (const o of rss) {
    const h = o.metadata.labels?.[HASH_LABEL];
    if (h !== hash && h !== status.stableRS) scaleReplicaSet(ctl, o, 0);
  }

  if (!status.stableRS) holdStable(run, true);
  else if (status.stableRS === hash) holdStable(run, false);
  else if (status.abort) abort(run);
  else if (spec.paused) {
    // Manually paused: hold everything.
  } else if (blueGreen) stepBlueGreen(run);
  else stepCanary(run);

  const healthy = summariseRollout(run);
  ctl.cluster.mutate('argoproj.io', 'Rollout', run.ns, run.name, r => {
    r.status = status;
  });
  for (const [type, reason, message] of run.events)
    ctl.cluster.recordEvent(
      ro,
      type as 'Normal' | 'Warning',
      reason,
      message,
      'rollouts-controller',
    );
  if (!healthy) ctl.wakeAt(ctl.now + 2000);
}
