import { scaleReplicaSet } from '../replicasets';
import { avail, RolloutRun, updateServiceSelector } from './run';

/**
 * The blue-green strategy of Argo Rollouts: the new revision is scaled up
 * behind the preview service, paused for promotion (BlueGreenPause) unless
 * auto-promotion is on, then the active service switches to it and the old
 * revision scales down.
 */
export function stepBlueGreen(run: RolloutRun): void {
  const { ctl, status, rs, stable, hash, revision, replicas, events } = run;
  const blueGreen = run.blueGreen;
  const now = ctl.now;
  const previewCount = blueGreen.previewReplicaCount ?? replicas;
  scaleReplicaSet(ctl, rs, previewCount);
  if (stable) scaleReplicaSet(ctl, stable, replicas);
  status.blueGreen = { ...status.blueGreen, previewSelector: hash };
  updateServiceSelector(run, blueGreen.previewService, hash);
  const previewReady = avail(rs) >= previewCount;
  const pauses: any[] = status.pauseConditions ?? [];
  let promote = !!status.promoteFull;
  if (previewReady && !promote) {
    const manual =
      blueGreen.autoPromotionEnabled === false ||
      blueGreen.autoPromotionSeconds !== undefined;
    if (!manual) {
      promote = true;
    } else if (pauses.length === 0 && !status.controllerPause) {
      status.pauseConditions = [
        { reason: 'BlueGreenPause', startTime: run.nowIso },
      ];
      status.controllerPause = true;
      events.push([
        'Normal',
        'RolloutPaused',
        'Rollout is paused (BlueGreenPause)',
      ]);
    } else if (pauses.length === 0 && status.controllerPause) {
      promote = true; // the user removed the pause condition
    } else if (
      blueGreen.autoPromotionEnabled !== false &&
      blueGreen.autoPromotionSeconds !== undefined
    ) {
      const due =
        Date.parse(pauses[0].startTime) + blueGreen.autoPromotionSeconds * 1000;
      if (now >= due) promote = true;
      else ctl.wakeAt(due);
    }
  }
  if (previewReady && promote) {
    status.blueGreen = { activeSelector: hash, previewSelector: hash };
    updateServiceSelector(run, blueGreen.activeService, hash);
    status.stableRS = hash;
    status.pauseConditions = undefined;
    status.controllerPause = undefined;
    status.promoteFull = undefined;
    scaleReplicaSet(ctl, rs, replicas);
    if (stable) scaleReplicaSet(ctl, stable, 0);
    events.push([
      'Normal',
      'RolloutCompleted',
      `Rollout completed update to revision ${revision} (${hash}): Completed blue-green update`,
    ]);
  }
}
