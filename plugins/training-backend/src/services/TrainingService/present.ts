import {
  Run,
  runCost,
  RunStateChange,
} from '@careplane/plugin-training-common';
import type { RunRecord } from '../../database/RunStore';

/**
 * The API's view of a stored run: GPU-hours and cost so far from its running time. The history
 * is left out of listings (empty) and given for a single run.
 */
export function presentRun(
  run: RunRecord,
  history: RunStateChange[],
  now: number,
): Run {
  const end = run.finishedAt ? Date.parse(run.finishedAt) : now;
  const { gpuHours, cost } = runCost({
    history: history.length
      ? history
      : [
          ...(run.startedAt
            ? [{ phase: 'running' as const, at: run.startedAt }]
            : []),
          ...(run.finishedAt
            ? [{ phase: run.state.phase, at: run.finishedAt }]
            : []),
        ],
    totalGpus: run.totalGpus,
    pricePerGpuHour: run.pricePerGpuHour,
    end,
  });
  return {
    id: run.id,
    name: run.name,
    entityRef: run.entityRef,
    team: run.team,
    createdBy: run.createdBy,
    createdAt: run.createdAt,
    cluster: run.cluster,
    namespace: run.namespace,
    kind: run.kind,
    objectName: run.objectName,
    parameters: run.parameters,
    state: run.state,
    stateChangedAt: run.stateChangedAt,
    history,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    cancelledBy: run.cancelledBy,
    cancelReason: run.cancelReason,
    totalGpus: run.totalGpus,
    gpuHours,
    cost,
  };
}
