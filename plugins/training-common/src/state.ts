import { LABEL_KUEUE_QUEUE_NAME } from './annotations';
import type { KubeObject } from '@careplane/plugin-clusters-common';
import { conditionOf, isTrue } from './conditions';
import type { RunState, TrainingRuntime } from './contract';

/**
 * What Careplane knows about a run at one moment: its object, Kueue's Workload, its pods.
 * @public
 */
export interface RunObservation {
  runtime: TrainingRuntime;
  /** The run's Job / TrainJob / PyTorchJob, absent when the cache does not have it. */
  object?: KubeObject;
  /** Kueue's Workload of the object (owner reference / job-uid label). */
  workload?: KubeObject;
  pods?: KubeObject[];
  /** 1-based position in the ClusterQueue (see `queuePosition`). */
  position?: number;
  /** The run was cancelled through Careplane. */
  cancelled?: { by: string; reason?: string };
  /** The object was seen before, so its absence means someone deleted it. */
  seenBefore?: boolean;
}

const IMAGE_PULL = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
]);

function say(words: string, more?: string): string {
  return more ? `${words}: ${more}` : words;
}

/** Was the object suspended (by Kueue or a person)? */
function suspended(o: KubeObject, runtime: TrainingRuntime): boolean {
  if (runtime === 'pytorchjob') return o.spec?.runPolicy?.suspend === true;
  if (runtime === 'trainjob')
    return o.spec?.suspend === true || isTrue(o, 'Suspended');
  return o.spec?.suspend === true;
}

/** Terminal state from the object's own conditions. */
function terminal(
  o: KubeObject,
  runtime: TrainingRuntime,
): RunState | undefined {
  let failed = conditionOf(o, 'Failed');
  if (failed?.status !== 'True') {
    failed =
      runtime === 'job' && isTrue(o, 'FailureTarget')
        ? conditionOf(o, 'FailureTarget')
        : undefined;
  }
  if (failed) {
    const reason = failed.reason ?? 'Failed';
    return {
      phase: 'failed',
      reason,
      message: say(`Failed (${reason})`, failed.message),
    };
  }
  const success = runtime === 'pytorchjob' ? 'Succeeded' : 'Complete';
  if (
    isTrue(o, success) ||
    (runtime === 'job' && isTrue(o, 'SuccessCriteriaMet'))
  ) {
    return { phase: 'succeeded', reason: 'Completed', message: 'Succeeded' };
  }
  return undefined;
}

/** State from Kueue's Workload, while it has not (or no longer) admitted the job. */
function fromWorkload(
  wl: KubeObject,
  position: number | undefined,
): RunState | undefined {
  if (wl.spec?.active === false) {
    return {
      phase: 'suspended',
      reason: 'Deactivated',
      message: 'Suspended: the Kueue workload was deactivated',
    };
  }
  const reserved = isTrue(wl, 'QuotaReserved');
  const evicted = conditionOf(wl, 'Evicted');
  const preempted = conditionOf(wl, 'Preempted');
  if (
    !reserved &&
    (evicted?.status === 'True' || preempted?.status === 'True')
  ) {
    const cond = evicted?.status === 'True' ? evicted : preempted!;
    const reason = cond.reason ?? 'Evicted';
    const count: number | undefined = wl.status?.requeueState?.count;
    const requeued = isTrue(wl, 'Requeued');
    return {
      phase: 'preempted',
      reason,
      detail: requeued ? 'requeued' : undefined,
      message: say(
        `Preempted by Kueue (${reason})${
          requeued
            ? `, requeued${
                count ? ` ${count} time${count === 1 ? '' : 's'}` : ''
              }`
            : ''
        }`,
        cond.message,
      ),
      ...(position !== undefined ? { position } : {}),
    };
  }
  if (!reserved) {
    const c = conditionOf(wl, 'QuotaReserved');
    const reason = c?.reason ?? 'Pending';
    return {
      phase: 'queued',
      reason,
      ...(position !== undefined ? { position } : {}),
      message: say(
        `Queued (${reason}${
          position !== undefined ? `, position ${position}` : ''
        })`,
        c?.message ?? 'waiting for Kueue to evaluate the workload',
      ),
    };
  }
  if (!isTrue(wl, 'Admitted')) {
    const c = conditionOf(wl, 'Admitted');
    const reason = c?.reason ?? 'UnsatisfiedAdmissionChecks';
    return {
      phase: 'queued',
      reason,
      detail: 'admission-checks',
      message: say(
        `Quota reserved, waiting for admission checks (${reason})`,
        c?.message,
      ),
    };
  }
  return undefined;
}

/** Why pods are not running yet, from their conditions and container states. */
function startingFromPods(pods: KubeObject[]): RunState {
  if (!pods.length) {
    return {
      phase: 'starting',
      detail: 'creating',
      message: 'Starting: creating pods',
    };
  }
  for (const p of pods) {
    const statuses: any[] = [
      ...(p.status?.initContainerStatuses ?? []),
      ...(p.status?.containerStatuses ?? []),
    ];
    const waiting = statuses.map(s => s?.state?.waiting).filter(Boolean);
    const pull = waiting.find(w => IMAGE_PULL.has(w.reason));
    if (pull) {
      return {
        phase: 'starting',
        detail: 'image-pull',
        reason: pull.reason,
        message: say(
          `Starting: cannot pull the image (${pull.reason})`,
          pull.message,
        ),
      };
    }
    const sched = conditionOf(p, 'PodScheduled');
    if (sched && sched.status !== 'True') {
      const reason = sched.reason ?? 'Unschedulable';
      return {
        phase: 'starting',
        detail: 'scheduling',
        reason,
        message: say(`Starting: waiting for a node (${reason})`, sched.message),
      };
    }
    const bad = waiting.find(
      w =>
        w.reason &&
        !['ContainerCreating', 'PodInitializing'].includes(w.reason),
    );
    if (bad) {
      return {
        phase: 'starting',
        detail: 'containers',
        reason: bad.reason,
        message: say(`Starting: ${bad.reason}`, bad.message),
      };
    }
  }
  if (pods.some(p => !p.spec?.nodeName && p.status?.phase === 'Pending')) {
    return {
      phase: 'starting',
      detail: 'scheduling',
      message: 'Starting: waiting for the scheduler',
    };
  }
  return {
    phase: 'starting',
    detail: 'image-pull',
    reason: 'ContainerCreating',
    message: 'Starting: pulling the image and creating containers',
  };
}

function readyPods(pods: KubeObject[]): number {
  return pods.filter(p => isTrue(p, 'Ready')).length;
}

/** Running or starting, from the object's status and its pods, once admitted. */
function active(o: KubeObject, obs: RunObservation): RunState {
  const pods = (obs.pods ?? []).filter(p => !p.metadata.deletionTimestamp);
  if (obs.runtime === 'pytorchjob') {
    if (isTrue(o, 'Restarting')) {
      const c = conditionOf(o, 'Restarting');
      return {
        phase: 'starting',
        detail: 'restarting',
        reason: c?.reason ?? 'Restarting',
        message: say('Restarting', c?.message),
      };
    }
    if (isTrue(o, 'Running')) {
      return {
        phase: 'running',
        message: 'Running',
        readyPods: readyPods(pods),
      };
    }
    return startingFromPods(pods);
  }
  if (obs.runtime === 'trainjob') {
    const jobs: any[] = Array.isArray(o.status?.jobsStatus)
      ? o.status.jobsStatus
      : [];
    const init = jobs.filter(j =>
      String(j?.name ?? '').includes('initializer'),
    );
    const trainer =
      jobs.find(j => ['node', 'trainer'].includes(j?.name)) ??
      jobs.filter(j => !init.includes(j)).pop();
    const expected: number = o.spec?.trainer?.numNodes ?? 1;
    if (trainer && (trainer.active ?? 0) > 0 && (trainer.ready ?? 0) > 0) {
      return {
        phase: 'running',
        message: 'Running',
        readyPods: pods.length ? readyPods(pods) : undefined,
        expectedPods: expected,
      };
    }
    if (init.some(j => (j.active ?? 0) > 0)) {
      return {
        phase: 'starting',
        detail: 'initializing',
        message: 'Starting: downloading the dataset or model',
      };
    }
    return { ...startingFromPods(pods), expectedPods: expected };
  }
  const expected: number = o.spec?.parallelism ?? 1;
  const ready: number = o.status?.ready ?? 0;
  const succeeded: number = o.status?.succeeded ?? 0;
  if (ready > 0 && ready + succeeded >= expected) {
    return {
      phase: 'running',
      message: 'Running',
      readyPods: ready,
      expectedPods: expected,
    };
  }
  const starting = startingFromPods(pods);
  if (ready > 0) {
    return {
      ...starting,
      detail: 'waiting-for-pods',
      readyPods: ready,
      expectedPods: expected,
      message: `Starting: ${ready} of ${expected} pods ready`,
    };
  }
  return { ...starting, readyPods: 0, expectedPods: expected };
}

/**
 * The truthful state of a run (reference §3.4), evaluated in order: cancelled; object gone;
 * the object's terminal conditions (Failed, then Complete / Succeeded); Kueue's Workload
 * (deactivated, preempted, queued with reason and position, admission checks); suspended without
 * a Workload (queued when it has a queue label, else suspended by a person); then running only
 * when pods are ready, else starting with what it waits for (scheduling, image pull,
 * initialisers). Never `running` for a suspended or unadmitted job.
 * @public
 */
export function deriveRunState(obs: RunObservation): RunState {
  if (obs.cancelled) {
    return {
      phase: 'cancelled',
      reason: 'Cancelled',
      message: say(`Cancelled by ${obs.cancelled.by}`, obs.cancelled.reason),
    };
  }
  const o = obs.object;
  if (!o) {
    return obs.seenBefore
      ? {
          phase: 'failed',
          reason: 'Deleted',
          message: 'Failed (Deleted): the object was deleted outside Careplane',
        }
      : {
          phase: 'submitted',
          message: 'Submitted: waiting for the cluster to report the object',
        };
  }
  const done = terminal(o, obs.runtime);
  if (done) return done;
  if (obs.workload) {
    const queued = fromWorkload(obs.workload, obs.position);
    if (queued) return queued;
    if (suspended(o, obs.runtime)) {
      return {
        phase: 'starting',
        detail: 'resuming',
        message: 'Starting: admitted by Kueue, resuming the job',
      };
    }
    return active(o, obs);
  }
  if (suspended(o, obs.runtime)) {
    const queue = o.metadata.labels?.[LABEL_KUEUE_QUEUE_NAME];
    return queue
      ? {
          phase: 'queued',
          reason: 'WaitingForWorkload',
          message: `Queued: waiting for Kueue to create a workload in queue ${queue}`,
        }
      : {
          phase: 'suspended',
          reason: 'Suspended',
          message:
            'Suspended: the job is suspended and no queue will resume it',
        };
  }
  return active(o, obs);
}
