import type { KubeObject, PodSummary, ReplicaSummary } from './types';

/**
 * Summarises a pod: readiness, restarts and the reasons it is not fine. Isomorphic, so the
 * frontend can re-derive it from streamed objects.
 * @public
 */
export function summarizePod(pod: KubeObject): PodSummary {
  const status = pod.status ?? {};
  const containerStatuses: any[] = status.containerStatuses ?? [];
  const initStatuses: any[] = status.initContainerStatuses ?? [];
  const totalContainers =
    (pod.spec?.containers?.length as number | undefined) ??
    containerStatuses.length;
  const readyContainers = containerStatuses.filter(c => c.ready).length;
  const readyCondition = (status.conditions ?? []).find(
    (c: any) => c.type === 'Ready',
  );
  const reasons = new Set<string>();
  for (const c of [...initStatuses, ...containerStatuses]) {
    const waiting = c.state?.waiting?.reason;
    if (
      waiting &&
      waiting !== 'ContainerCreating' &&
      waiting !== 'PodInitializing'
    ) {
      reasons.add(waiting);
    }
    const terminated = c.state?.terminated?.reason;
    if (terminated && terminated !== 'Completed') reasons.add(terminated);
    const last = c.lastState?.terminated?.reason;
    if (last && last !== 'Completed' && !c.ready) reasons.add(last);
  }
  if (status.reason) reasons.add(status.reason);
  for (const cond of status.conditions ?? []) {
    if (
      cond.type === 'PodScheduled' &&
      cond.status === 'False' &&
      cond.reason
    ) {
      reasons.add(cond.reason);
    }
  }
  const controller =
    (pod.metadata.ownerReferences ?? []).find(o => o.controller) ??
    pod.metadata.ownerReferences?.[0];
  const restarts = [...initStatuses, ...containerStatuses].reduce(
    (sum, c) => sum + (Number(c.restartCount) || 0),
    0,
  );
  return {
    phase: status.phase ?? 'Unknown',
    ready:
      readyCondition?.status === 'True' &&
      totalContainers > 0 &&
      readyContainers === totalContainers,
    readyContainers,
    totalContainers,
    restarts,
    reasons: [...reasons],
    nodeName: pod.spec?.nodeName,
    startedAt: status.startTime,
    owner: controller
      ? { kind: controller.kind, name: controller.name }
      : undefined,
  };
}

/**
 * Replica counts of a Deployment or StatefulSet.
 * @public
 */
export function summarizeReplicas(workload: KubeObject): ReplicaSummary {
  const status = workload.status ?? {};
  return {
    desired: workload.spec?.replicas ?? 1,
    ready: status.readyReplicas ?? 0,
    updated: status.updatedReplicas ?? 0,
    available: status.availableReplicas ?? 0,
    observed:
      status.observedGeneration === undefined ||
      workload.metadata.generation === undefined ||
      status.observedGeneration >= workload.metadata.generation,
  };
}
