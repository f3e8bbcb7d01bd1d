/**
 * Argo Rollouts' own phase rule (CalculateRolloutPhase in
 * utils/rollout/rolloututil.go), evaluated on the status the controller
 * just computed.
 */
export function calculateRolloutPhase(
  spec: any,
  status: any,
): { phase: string; message: string } {
  const conds: any[] = status.conditions ?? [];
  const invalid = conds.find(c => c.type === 'InvalidSpec');
  if (invalid)
    return { phase: 'Degraded', message: `InvalidSpec: ${invalid.message}` };
  const bad = conds.find(
    c =>
      c.reason === 'RolloutAborted' || c.reason === 'ProgressDeadlineExceeded',
  );
  if (bad)
    return { phase: 'Degraded', message: `${bad.reason}: ${bad.message}` };
  if (spec.paused) return { phase: 'Paused', message: 'manually paused' };
  if ((status.pauseConditions ?? []).length > 0)
    return { phase: 'Paused', message: status.pauseConditions[0].reason };
  if (spec.restartAt && spec.restartAt !== status.restartedAt)
    return { phase: 'Progressing', message: 'rollout is restarting' };
  const replicas = spec.replicas ?? 1;
  if ((status.updatedReplicas ?? 0) < replicas)
    return {
      phase: 'Progressing',
      message: 'more replicas need to be updated',
    };
  if ((status.availableReplicas ?? 0) < (status.updatedReplicas ?? 0))
    return {
      phase: 'Progressing',
      message: 'updated replicas are still becoming available',
    };
  if (spec.strategy?.blueGreen) {
    if (
      !status.blueGreen?.activeSelector ||
      status.blueGreen.activeSelector !== status.currentPodHash
    ) {
      return {
        phase: 'Progressing',
        message: 'active service cutover pending',
      };
    }
    if (!status.stableRS || status.stableRS !== status.currentPodHash) {
      return {
        phase: 'Progressing',
        message: 'waiting for post-promotion verification to complete',
      };
    }
  } else {
    if (
      !spec.strategy?.canary?.trafficRouting &&
      (status.replicas ?? 0) > (status.updatedReplicas ?? 0)
    ) {
      return {
        phase: 'Progressing',
        message: 'old replicas are pending termination',
      };
    }
    if (!status.stableRS || status.stableRS !== status.currentPodHash) {
      return {
        phase: 'Progressing',
        message: 'waiting for all steps to complete',
      };
    }
  }
  return { phase: 'Healthy', message: '' };
}
