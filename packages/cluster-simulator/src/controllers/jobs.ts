import { K8sObject } from '../util';
import {
  Ctl,
  getCondition,
  iso,
  ownedBy,
  podFromTemplate,
  podReady,
  podTerminal,
  setCondition,
} from './context';

/**
 * The Job controller of kube-controller-manager, simplified: pods per
 * parallelism until completions succeed, backoff limit, active deadline,
 * suspend (Kueue), Indexed completion.
 */

function jobFinished(job: K8sObject): boolean {
  return ['Complete', 'Failed'].some(
    t => getCondition(job, t)?.status === 'True',
  );
}

/** The Job controller: parallelism, completions, backoff limit, suspend, deadline. */
export function reconcileJob(ctl: Ctl, job: K8sObject): void {
  const { cluster, now } = ctl;
  const ns = job.metadata.namespace!;
  const name = job.metadata.name!;
  const nowIso = iso(now);
  if (jobFinished(job)) return;
  const spec = job.spec ?? {};
  const pods = ownedBy(ctl, job, '', 'Pod');
  const active = pods.filter(p => !podTerminal(p));
  const succeeded = pods.filter(p => p.status?.phase === 'Succeeded').length;
  const failed = pods.filter(p => p.status?.phase === 'Failed').length;
  const completions: number = spec.completions ?? 1;
  const parallelism: number = spec.parallelism ?? 1;
  const backoffLimit: number = spec.backoffLimit ?? 6;
  const suspended = !!spec.suspend;
  const indexed = spec.completionMode === 'Indexed';

  if (suspended) {
    for (const p of active) cluster.removeOf('', 'Pod', ns, p.metadata.name!);
    cluster.mutate('batch', 'Job', ns, name, j => {
      const wasSuspended = getCondition(j, 'Suspended')?.status === 'True';
      j.status = {
        ...j.status,
        active: 0,
        ready: 0,
        conditions: setCondition(
          j.status?.conditions,
          {
            type: 'Suspended',
            status: 'True',
            reason: 'JobSuspended',
            message: 'Job suspended',
          },
          nowIso,
          { lastProbeTime: true },
        ),
      };
      if (!wasSuspended) delete j.status.startTime;
    });
    return;
  }

  const startTime = job.status?.startTime ?? nowIso;
  const deadline = spec.activeDeadlineSeconds;
  let failure: { reason: string; message: string } | undefined;
  if (failed > backoffLimit)
    failure = {
      reason: 'BackoffLimitExceeded',
      message: 'Job has reached the specified backoff limit',
    };
  else if (
    deadline !== undefined &&
    now - Date.parse(startTime) >= deadline * 1000
  )
    failure = {
      reason: 'DeadlineExceeded',
      message: 'Job was active longer than specified deadline',
    };

  if (!failure && succeeded < completions) {
    const toCreate =
      Math.min(parallelism, completions - succeeded) - active.length;
    const usedIdx = new Set(
      pods
        .filter(p => p.status?.phase !== 'Failed')
        .map(p =>
          Number(
            p.metadata.annotations?.[
              'batch.kubernetes.io/job-completion-index'
            ],
          ),
        ),
    );
    for (let i = 0; i < toCreate; i++) {
      let idx = 0;
      if (indexed) {
        while (usedIdx.has(idx)) idx++;
        usedIdx.add(idx);
      }
      const podName = indexed
        ? `${name}-${idx}-${cluster.rng.suffix()}`
        : `${name}-${cluster.rng.suffix()}`;
      const extraLabels: Record<string, string> = indexed
        ? { 'batch.kubernetes.io/job-completion-index': String(idx) }
        : {};
      const extraAnn: Record<string, string> = indexed
        ? { 'batch.kubernetes.io/job-completion-index': String(idx) }
        : {};
      const pod = podFromTemplate(
        job,
        spec.template,
        podName,
        extraLabels,
        extraAnn,
      );
      cluster.writeInternal(pod);
      cluster.recordEvent(
        job,
        'Normal',
        'SuccessfulCreate',
        `Created pod: ${podName}`,
        'job-controller',
      );
    }
  }
  if (failure) {
    for (const p of active) cluster.removeOf('', 'Pod', ns, p.metadata.name!);
  }
  const fresh = ownedBy(ctl, job, '', 'Pod');
  const nowActive = fresh.filter(p => !podTerminal(p));
  const complete = !failure && succeeded >= completions;
  cluster.mutate('batch', 'Job', ns, name, j => {
    let conds = j.status?.conditions;
    if (getCondition(j, 'Suspended')) {
      conds = setCondition(
        conds,
        {
          type: 'Suspended',
          status: 'False',
          reason: 'JobResumed',
          message: 'Job resumed',
        },
        nowIso,
        { lastProbeTime: true },
      );
    }
    if (complete) {
      conds = setCondition(
        conds,
        {
          type: 'SuccessCriteriaMet',
          status: 'True',
          reason: 'CompletionsReached',
          message: 'Reached expected number of succeeded pods',
        },
        nowIso,
        { lastProbeTime: true },
      );
      conds = setCondition(
        conds,
        {
          type: 'Complete',
          status: 'True',
          reason: 'CompletionsReached',
          message: 'Reached expected number of succeeded pods',
        },
        nowIso,
        { lastProbeTime: true },
      );
    }
    if (failure) {
      conds = setCondition(
        conds,
        { type: 'FailureTarget', status: 'True', ...failure },
        nowIso,
        { lastProbeTime: true },
      );
      conds = setCondition(
        conds,
        { type: 'Failed', status: 'True', ...failure },
        nowIso,
        { lastProbeTime: true },
      );
    }
    j.status = {
      ...(conds ? { conditions: conds } : {}),
      startTime,
      active: complete || failure ? 0 : nowActive.length,
      ready: complete || failure ? 0 : nowActive.filter(podReady).length,
      terminating: 0,
      uncountedTerminatedPods: {},
      ...(succeeded ? { succeeded } : {}),
      ...(failed ? { failed } : {}),
      ...(complete ? { completionTime: nowIso } : {}),
      ...(indexed && succeeded
        ? {
            completedIndexes: fresh
              .filter(p => p.status?.phase === 'Succeeded')
              .map(p =>
                Number(
                  p.metadata.annotations?.[
                    'batch.kubernetes.io/job-completion-index'
                  ],
                ),
              )
              .sort((a, b) => a - b)
              .join(','),
          }
        : {}),
    };
    if (!j.status.active) delete j.status.active;
  });
  if (complete)
    cluster.recordEvent(
      job,
      'Normal',
      'Completed',
      'Job completed',
      'job-controller',
    );
  if (failure)
    cluster.recordEvent(
      job,
      'Warning',
      failure.reason,
      failure.message,
      'job-controller',
    );
  if (deadline !== undefined && !complete && !failure)
    ctl.wakeAt(Date.parse(startTime) + deadline * 1000);
}

// -------------------------------------------------------------- trainjob

/** Whether a job-like object is still running (used to decide on wake-ups). */
export function isRunningPod(pod: K8sObject): boolean {
  return !podTerminal(pod) && pod.status?.phase === 'Running';
}
