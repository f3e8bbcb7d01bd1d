import type { SimulatedCluster } from '../cluster';
import { fnv32, K8sObject, parseQuantity } from '../util';
import {
  Ctl,
  getCondition,
  iso,
  ownedBy,
  ownerRef,
  podFromTemplate,
  podReady,
  podTerminal,
  setCondition,
} from './context';

export const QUEUE_LABEL = 'kueue.x-k8s.io/queue-name';

// ------------------------------------------------------------------ jobs

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

/** Kubeflow Trainer v2: a TrainJob runs as a JobSet; the simulator models its trainer Job. */
export function reconcileTrainJob(ctl: Ctl, tj: K8sObject): void {
  const { cluster, now } = ctl;
  const ns = tj.metadata.namespace!;
  const name = tj.metadata.name!;
  const nowIso = iso(now);
  if (['Complete', 'Failed'].some(t => getCondition(tj, t)?.status === 'True'))
    return;
  const spec = tj.spec ?? {};
  const numNodes: number = spec.trainer?.numNodes ?? 1;
  const suspended = !!spec.suspend;
  const jobName = `${name}-node-0`;
  let job = cluster.objectOf('batch', 'Job', ns, jobName);
  const patches: any[] = spec.runtimePatches ?? [];
  const nodeSelector = Object.assign(
    {},
    ...patches.map(
      p =>
        p.trainingRuntimeSpec?.template?.spec?.replicatedJobs?.[0]?.template
          ?.spec?.template?.spec?.nodeSelector ?? {},
    ),
  );
  const tolerations = patches.flatMap(
    p =>
      p.trainingRuntimeSpec?.template?.spec?.replicatedJobs?.[0]?.template?.spec
        ?.template?.spec?.tolerations ?? [],
  );
  if (!job) {
    job = cluster.writeInternal(
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: {
          name: jobName,
          namespace: ns,
          labels: {
            'jobset.sigs.k8s.io/jobset-name': name,
            'jobset.sigs.k8s.io/replicatedjob-name': 'node',
            'trainer.kubeflow.org/trainjob-ancestor-step': 'trainer',
          },
          ownerReferences: [ownerRef(tj)],
        },
        spec: {
          completions: numNodes,
          parallelism: numNodes,
          completionMode: 'Indexed',
          backoffLimit: 0,
          suspend: suspended,
          template: {
            metadata: {
              labels: {
                'jobset.sigs.k8s.io/jobset-name': name,
                'jobset.sigs.k8s.io/replicatedjob-name': 'node',
                'trainer.kubeflow.org/trainjob-ancestor-step': 'trainer',
                ...(tj.metadata.labels?.['backstage.io/kubernetes-id']
                  ? {
                      'backstage.io/kubernetes-id':
                        tj.metadata.labels['backstage.io/kubernetes-id'],
                    }
                  : {}),
              },
              annotations: Object.fromEntries(
                Object.entries(tj.metadata.annotations ?? {}).filter(([k]) =>
                  k.startsWith('sim.careplane.io/'),
                ),
              ),
            },
            spec: {
              restartPolicy: 'Never',
              ...(Object.keys(nodeSelector).length ? { nodeSelector } : {}),
              ...(tolerations.length ? { tolerations } : {}),
              containers: [
                {
                  name: 'node',
                  image:
                    spec.trainer?.image ??
                    'pytorch/pytorch:2.7.1-cuda12.8-cudnn9-runtime',
                  ...(spec.trainer?.command
                    ? { command: spec.trainer.command }
                    : {}),
                  ...(spec.trainer?.args ? { args: spec.trainer.args } : {}),
                  ...(spec.trainer?.env ? { env: spec.trainer.env } : {}),
                  resources: spec.trainer?.resourcesPerNode ?? {},
                },
              ],
            },
          },
        },
      },
      'jobset-controller',
    );
  } else if (!!job.spec?.suspend !== suspended) {
    job = cluster.mutate('batch', 'Job', ns, jobName, j => {
      j.spec.suspend = suspended;
      if (!suspended && Object.keys(nodeSelector).length)
        j.spec.template.spec.nodeSelector = nodeSelector;
      if (!suspended && tolerations.length)
        j.spec.template.spec.tolerations = tolerations;
    })!;
  }
  const js = job.status ?? {};
  const complete = getCondition(job, 'Complete')?.status === 'True';
  const failed = getCondition(job, 'Failed')?.status === 'True';
  cluster.mutate('trainer.kubeflow.org', 'TrainJob', ns, name, t => {
    let conds = t.status?.conditions;
    if (suspended) {
      conds = setCondition(
        conds,
        {
          type: 'Suspended',
          status: 'True',
          reason: 'Suspended',
          message: 'TrainJob is suspended',
        },
        nowIso,
      );
    } else if (getCondition(t, 'Suspended')) {
      conds = setCondition(
        conds,
        {
          type: 'Suspended',
          status: 'False',
          reason: 'Resumed',
          message: 'TrainJob is resumed',
        },
        nowIso,
      );
    }
    if (complete)
      conds = setCondition(
        conds,
        {
          type: 'Complete',
          status: 'True',
          reason: 'JobSetCompleted',
          message: 'jobset completed successfully',
        },
        nowIso,
      );
    if (failed)
      conds = setCondition(
        conds,
        {
          type: 'Failed',
          status: 'True',
          reason: 'FailedJobs',
          message: `jobset failed: job "${jobName}" failed`,
        },
        nowIso,
      );
    t.status = {
      ...t.status,
      ...(conds ? { conditions: conds } : {}),
      jobsStatus: [
        {
          name: 'node',
          ready: js.ready ?? 0,
          succeeded: complete ? 1 : 0,
          failed: failed ? 1 : 0,
          active: !complete && !failed && (js.active ?? 0) > 0 ? 1 : 0,
          suspended: suspended ? 1 : 0,
        },
      ],
    };
  });
}

// ------------------------------------------------------------ pytorchjob

/** Kubeflow Training Operator v1 PyTorchJob: master + workers as bare pods. */
export function reconcilePyTorchJob(ctl: Ctl, pj: K8sObject): void {
  const { cluster, now } = ctl;
  const ns = pj.metadata.namespace!;
  const name = pj.metadata.name!;
  const nowIso = iso(now);
  if (['Succeeded', 'Failed'].some(t => getCondition(pj, t)?.status === 'True'))
    return;
  const specs = pj.spec?.pytorchReplicaSpecs ?? {};
  const suspended = !!pj.spec?.runPolicy?.suspend;
  const pods = ownedBy(ctl, pj, '', 'Pod');
  const replicaStatuses: Record<string, any> = {};
  for (const [rtype, rspec] of Object.entries<any>(specs)) {
    const lower = rtype.toLowerCase();
    const n = rspec.replicas ?? 1;
    const mine = pods.filter(
      p => p.metadata.labels?.['training.kubeflow.org/replica-type'] === lower,
    );
    if (suspended) {
      for (const p of mine) cluster.removeOf('', 'Pod', ns, p.metadata.name!);
    } else {
      for (let i = 0; i < n; i++) {
        if (
          mine.some(
            p =>
              p.metadata.labels?.['training.kubeflow.org/replica-index'] ===
              String(i),
          )
        )
          continue;
        const tmpl = rspec.template ?? {};
        const pod = podFromTemplate(
          pj,
          {
            ...tmpl,
            metadata: {
              ...tmpl.metadata,
              annotations: {
                ...Object.fromEntries(
                  Object.entries(pj.metadata.annotations ?? {}).filter(([k]) =>
                    k.startsWith('sim.careplane.io/'),
                  ),
                ),
                ...tmpl.metadata?.annotations,
              },
            },
          },
          `${name}-${lower}-${i}`,
          {
            'training.kubeflow.org/job-name': name,
            'training.kubeflow.org/operator-name': 'pytorchjob-controller',
            'training.kubeflow.org/replica-type': lower,
            'training.kubeflow.org/replica-index': String(i),
            ...(rtype === 'Master'
              ? { 'training.kubeflow.org/job-role': 'master' }
              : {}),
          },
        );
        pod.spec.restartPolicy =
          rspec.restartPolicy === 'Always'
            ? 'OnFailure'
            : rspec.restartPolicy ?? 'OnFailure';
        cluster.writeInternal(pod, 'pytorchjob-controller');
      }
    }
    const cur = ownedBy(ctl, pj, '', 'Pod').filter(
      p => p.metadata.labels?.['training.kubeflow.org/replica-type'] === lower,
    );
    replicaStatuses[rtype] = {
      active: cur.filter(p => !podTerminal(p)).length,
      ...(cur.some(p => p.status?.phase === 'Succeeded')
        ? { succeeded: cur.filter(p => p.status?.phase === 'Succeeded').length }
        : {}),
      ...(cur.some(p => p.status?.phase === 'Failed')
        ? { failed: cur.filter(p => p.status?.phase === 'Failed').length }
        : {}),
      selector: `training.kubeflow.org/job-name=${name},training.kubeflow.org/operator-name=pytorchjob-controller,training.kubeflow.org/replica-type=${lower}`,
    };
  }
  const all = ownedBy(ctl, pj, '', 'Pod');
  const master = all.find(
    p => p.metadata.labels?.['training.kubeflow.org/replica-type'] === 'master',
  );
  const running =
    !suspended &&
    all.length > 0 &&
    all.every(p => p.status?.phase === 'Running');
  cluster.mutate('kubeflow.org', 'PyTorchJob', ns, name, j => {
    let conds = setCondition(
      j.status?.conditions,
      {
        type: 'Created',
        status: 'True',
        reason: 'PyTorchJobCreated',
        message: `PyTorchJob ${name} is created.`,
      },
      nowIso,
      { lastUpdateTime: true },
    );
    if (suspended) {
      conds = setCondition(
        conds,
        {
          type: 'Suspended',
          status: 'True',
          reason: 'PyTorchJobSuspended',
          message: `PyTorchJob ${name} is suspended.`,
        },
        nowIso,
        { lastUpdateTime: true },
      );
      conds = setCondition(
        conds,
        {
          type: 'Running',
          status: 'False',
          reason: 'PyTorchJobSuspended',
          message: `PyTorchJob ${name} is suspended.`,
        },
        nowIso,
        { lastUpdateTime: true },
      );
    } else {
      if (getCondition(j, 'Suspended'))
        conds = setCondition(
          conds,
          {
            type: 'Suspended',
            status: 'False',
            reason: 'PyTorchJobResumed',
            message: `PyTorchJob ${name} is resumed.`,
          },
          nowIso,
          { lastUpdateTime: true },
        );
      if (running)
        conds = setCondition(
          conds,
          {
            type: 'Running',
            status: 'True',
            reason: 'PyTorchJobRunning',
            message: `PyTorchJob ${ns}/${name} is running.`,
          },
          nowIso,
          { lastUpdateTime: true },
        );
    }
    if (master?.status?.phase === 'Succeeded') {
      conds = setCondition(
        conds,
        {
          type: 'Running',
          status: 'False',
          reason: 'PyTorchJobSucceeded',
          message: `PyTorchJob ${ns}/${name} successfully completed.`,
        },
        nowIso,
        { lastUpdateTime: true },
      );
      conds = setCondition(
        conds,
        {
          type: 'Succeeded',
          status: 'True',
          reason: 'PyTorchJobSucceeded',
          message: `PyTorchJob ${ns}/${name} successfully completed.`,
        },
        nowIso,
        { lastUpdateTime: true },
      );
    } else if (master?.status?.phase === 'Failed') {
      conds = setCondition(
        conds,
        {
          type: 'Running',
          status: 'False',
          reason: 'PyTorchJobFailed',
          message: `PyTorchJob ${ns}/${name} has failed because 1 Master replica(s) failed.`,
        },
        nowIso,
        { lastUpdateTime: true },
      );
      conds = setCondition(
        conds,
        {
          type: 'Failed',
          status: 'True',
          reason: 'PyTorchJobFailed',
          message: `PyTorchJob ${ns}/${name} has failed because 1 Master replica(s) failed.`,
        },
        nowIso,
        { lastUpdateTime: true },
      );
    }
    const finished = master && podTerminal(master);
    j.status = {
      conditions: conds,
      replicaStatuses,
      ...(j.status?.startTime || running
        ? { startTime: j.status?.startTime ?? nowIso }
        : {}),
      ...(finished
        ? { completionTime: j.status?.completionTime ?? nowIso }
        : {}),
      lastReconcileTime: j.status?.lastReconcileTime ?? nowIso,
    };
  });
}

// ----------------------------------------------------------------- kueue

interface Managed {
  group: string;
  kind: string;
  obj: K8sObject;
  podSets: Array<{
    name: string;
    count: number;
    requests: Record<string, number>;
    template: any;
  }>;
  suspended: boolean;
  finished?: 'Succeeded' | 'Failed';
}

/**
 * Whether a batch-style object has finished, from its success condition (`Complete` for Jobs and
 * TrainJobs, `Succeeded` for PyTorchJobs) or its `Failed` condition.
 */
function finishedFromConditions(
  obj: K8sObject,
  successCondition: 'Complete' | 'Succeeded' = 'Complete',
): 'Succeeded' | 'Failed' | undefined {
  if (getCondition(obj, successCondition)?.status === 'True')
    return 'Succeeded';
  if (getCondition(obj, 'Failed')?.status === 'True') return 'Failed';
  return undefined;
}

function requestsOf(podSpec: any): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of podSpec?.containers ?? []) {
    const res = {
      ...(c.resources?.requests ?? {}),
      ...(c.resources?.limits?.['nvidia.com/gpu']
        ? { 'nvidia.com/gpu': c.resources.limits['nvidia.com/gpu'] }
        : {}),
    };
    for (const [k, v] of Object.entries(res))
      out[k] = (out[k] ?? 0) + parseQuantity(v);
  }
  return out;
}

function managedJobs(cluster: SimulatedCluster): Managed[] {
  const out: Managed[] = [];
  for (const j of cluster.objectsOf('batch', 'Job')) {
    if (!j.metadata.labels?.[QUEUE_LABEL]) continue;
    out.push({
      group: 'batch',
      kind: 'Job',
      obj: j,
      podSets: [
        {
          name: 'main',
          count: j.spec?.parallelism ?? 1,
          requests: requestsOf(j.spec?.template?.spec),
          template: j.spec?.template,
        },
      ],
      suspended: !!j.spec?.suspend,
      finished: finishedFromConditions(j),
    });
  }
  for (const t of cluster.objectsOf('trainer.kubeflow.org', 'TrainJob')) {
    if (!t.metadata.labels?.[QUEUE_LABEL]) continue;
    const podSpec = {
      containers: [
        { name: 'node', resources: t.spec?.trainer?.resourcesPerNode ?? {} },
      ],
    };
    out.push({
      group: 'trainer.kubeflow.org',
      kind: 'TrainJob',
      obj: t,
      podSets: [
        {
          name: 'node',
          count: t.spec?.trainer?.numNodes ?? 1,
          requests: requestsOf(podSpec),
          template: { spec: podSpec },
        },
      ],
      suspended: !!t.spec?.suspend,
      finished: finishedFromConditions(t),
    });
  }
  for (const p of cluster.objectsOf('kubeflow.org', 'PyTorchJob')) {
    if (!p.metadata.labels?.[QUEUE_LABEL]) continue;
    out.push({
      group: 'kubeflow.org',
      kind: 'PyTorchJob',
      obj: p,
      podSets: Object.entries<any>(p.spec?.pytorchReplicaSpecs ?? {}).map(
        ([rt, rs]) => ({
          name: rt.toLowerCase(),
          count: rs.replicas ?? 1,
          requests: requestsOf(rs.template?.spec),
          template: rs.template,
        }),
      ),
      suspended: !!p.spec?.runPolicy?.suspend,
      finished: finishedFromConditions(p, 'Succeeded'),
    });
  }
  return out;
}

/** Kueue's job webhook: a job created with a queue label starts suspended. */
export function kueueAdmissionHook(cluster: SimulatedCluster) {
  return (
    type: { group: string; kind: string },
    obj: K8sObject,
    operation: 'CREATE' | 'UPDATE',
  ) => {
    if (
      operation !== 'CREATE' ||
      !obj.metadata.labels?.[QUEUE_LABEL] ||
      !cluster.hasKind('kueue.x-k8s.io', 'Workload')
    )
      return;
    if (type.group === 'batch' && type.kind === 'Job')
      obj.spec = { ...obj.spec, suspend: true };
    if (type.group === 'trainer.kubeflow.org' && type.kind === 'TrainJob')
      obj.spec = { ...obj.spec, suspend: true };
    if (type.group === 'kubeflow.org' && type.kind === 'PyTorchJob')
      obj.spec = {
        ...obj.spec,
        runPolicy: { ...obj.spec?.runPolicy, suspend: true },
      };
  };
}

function setSuspended(
  cluster: SimulatedCluster,
  m: Managed,
  suspend: boolean,
  flavorLabels: Record<string, string>,
  tolerations: any[],
) {
  const ns = m.obj.metadata.namespace!;
  const name = m.obj.metadata.name!;
  if (m.kind === 'Job') {
    cluster.mutate('batch', 'Job', ns, name, j => {
      j.spec.suspend = suspend;
      if (!suspend && Object.keys(flavorLabels).length) {
        j.spec.template.spec.nodeSelector = {
          ...j.spec.template.spec.nodeSelector,
          ...flavorLabels,
        };
      }
      if (!suspend && tolerations.length)
        j.spec.template.spec.tolerations = [
          ...(j.spec.template.spec.tolerations ?? []),
          ...tolerations,
        ];
    });
  } else if (m.kind === 'TrainJob') {
    cluster.mutate('trainer.kubeflow.org', 'TrainJob', ns, name, t => {
      t.spec.suspend = suspend;
      if (!suspend) {
        const others = (t.spec.runtimePatches ?? []).filter(
          (p: any) => p.manager !== 'kueue.x-k8s.io/manager',
        );
        t.spec.runtimePatches = [
          ...others,
          {
            manager: 'kueue.x-k8s.io/manager',
            trainingRuntimeSpec: {
              template: {
                spec: {
                  replicatedJobs: [
                    {
                      name: 'node',
                      template: {
                        spec: {
                          template: {
                            spec: {
                              nodeSelector: flavorLabels,
                              ...(tolerations.length ? { tolerations } : {}),
                            },
                          },
                        },
                      },
                    },
                  ],
                },
              },
            },
          },
        ];
      }
    });
  } else {
    cluster.mutate('kubeflow.org', 'PyTorchJob', ns, name, p => {
      p.spec.runPolicy = { ...p.spec.runPolicy, suspend };
      if (!suspend) {
        for (const rs of Object.values<any>(p.spec.pytorchReplicaSpecs ?? {})) {
          rs.template = rs.template ?? {};
          rs.template.spec = {
            ...rs.template.spec,
            nodeSelector: {
              ...rs.template.spec?.nodeSelector,
              ...flavorLabels,
            },
          };
        }
      }
    });
  }
}

/**
 * Kueue: one Workload per queued job, admission in priority then FIFO order
 * within each ClusterQueue's nominal quota, pending reasons as Kueue words
 * them, quota released when jobs finish, queue status counters.
 */
export function reconcileKueue(ctl: Ctl): void {
  const { cluster, now } = ctl;
  if (!cluster.hasKind('kueue.x-k8s.io', 'Workload')) return;
  const nowIso = iso(now);
  const jobs = managedJobs(cluster);
  const wlApi = 'kueue.x-k8s.io/v1beta2';
  const workloadFor = new Map<string, K8sObject>();

  // Ensure a Workload per managed job.
  for (const m of jobs) {
    let wl = ownedBy(ctl, m.obj, 'kueue.x-k8s.io', 'Workload')[0];
    if (!wl) {
      const wlName = `${m.kind.toLowerCase()}-${m.obj.metadata.name}-${(
        fnv32(m.obj.metadata.uid!) & 0xfffff
      )
        .toString(16)
        .padStart(5, '0')}`;
      wl = cluster.writeInternal(
        {
          apiVersion: wlApi,
          kind: 'Workload',
          metadata: {
            name: wlName,
            namespace: m.obj.metadata.namespace,
            labels: { 'kueue.x-k8s.io/job-uid': m.obj.metadata.uid! },
            ownerReferences: [ownerRef(m.obj)],
          },
          spec: {
            active: true,
            queueName: m.obj.metadata.labels![QUEUE_LABEL],
            priority: 0,
            podSets: m.podSets.map(ps => ({
              name: ps.name,
              count: ps.count,
              template: {
                spec: {
                  containers: (ps.template?.spec?.containers ?? []).map(
                    (c: any) => ({
                      name: c.name,
                      image: c.image,
                      resources: c.resources ?? {},
                    }),
                  ),
                },
              },
            })),
          },
          status: {},
        },
        'kueue',
      );
    }
    workloadFor.set(wl.metadata.uid!, wl);
    // Finished jobs release their quota.
    if (m.finished && getCondition(wl, 'Finished')?.status !== 'True') {
      cluster.mutate(
        'kueue.x-k8s.io',
        'Workload',
        wl.metadata.namespace!,
        wl.metadata.name!,
        w => {
          w.status.conditions = setCondition(
            w.status.conditions,
            {
              type: 'Finished',
              status: 'True',
              reason: m.finished!,
              message:
                m.finished === 'Succeeded'
                  ? 'Job finished successfully'
                  : 'Job failed',
            },
            nowIso,
            { observedGeneration: w.metadata.generation },
          );
        },
      );
    }
    // PodsReady when all pods of an admitted job are ready.
    if (!m.finished && getCondition(wl, 'Admitted')?.status === 'True') {
      const ready =
        m.kind === 'Job'
          ? (m.obj.status?.ready ?? 0) >= (m.obj.spec?.parallelism ?? 1)
          : m.kind === 'TrainJob'
          ? (m.obj.status?.jobsStatus?.[0]?.ready ?? 0) > 0
          : getCondition(m.obj, 'Running')?.status === 'True';
      cluster.mutate(
        'kueue.x-k8s.io',
        'Workload',
        wl.metadata.namespace!,
        wl.metadata.name!,
        w => {
          w.status.conditions = setCondition(
            w.status.conditions,
            ready
              ? {
                  type: 'PodsReady',
                  status: 'True',
                  reason: 'PodsReady',
                  message:
                    'All pods reached readiness and the workload is running',
                }
              : {
                  type: 'PodsReady',
                  status: 'False',
                  reason: 'WaitForStart',
                  message: 'Not all pods are ready or succeeded',
                },
            nowIso,
            { observedGeneration: w.metadata.generation },
          );
        },
      );
    }
  }

  const lqs = cluster.objectsOf('kueue.x-k8s.io', 'LocalQueue');
  const cqs = cluster.objectsOf('kueue.x-k8s.io', 'ClusterQueue');
  const flavors = new Map(
    cluster
      .objectsOf('kueue.x-k8s.io', 'ResourceFlavor')
      .map(f => [f.metadata.name!, f]),
  );
  const workloads = cluster.objectsOf('kueue.x-k8s.io', 'Workload');
  const jobByUid = new Map(jobs.map(m => [m.obj.metadata.uid!, m]));
  const jobOf = (wl: K8sObject) =>
    jobByUid.get(wl.metadata.ownerReferences?.[0]?.uid ?? '');
  const usage = (wl: K8sObject) => {
    const out: Array<{ flavor: string; resource: string; qty: number }> = [];
    for (const psa of wl.status?.admission?.podSetAssignments ?? []) {
      for (const [res, qty] of Object.entries<any>(psa.resourceUsage ?? {})) {
        out.push({
          flavor: psa.flavors?.[res] ?? '',
          resource: res,
          qty: parseQuantity(qty),
        });
      }
    }
    return out;
  };
  const cqOfWl = (wl: K8sObject): { lq?: K8sObject; cqName?: string } => {
    const lq = lqs.find(
      q =>
        q.metadata.namespace === wl.metadata.namespace &&
        q.metadata.name === wl.spec?.queueName,
    );
    return { lq, cqName: lq?.spec?.clusterQueue };
  };
  const isActive = (wl: K8sObject) =>
    getCondition(wl, 'QuotaReserved')?.status === 'True' &&
    getCondition(wl, 'Finished')?.status !== 'True';

  // Pending workloads without a valid queue.
  for (const wl of workloads) {
    if (isActive(wl) || getCondition(wl, 'Finished')?.status === 'True')
      continue;
    const { lq, cqName } = cqOfWl(wl);
    const cq = cqs.find(c => c.metadata.name === cqName);
    if (!lq || !cq) {
      const message = !lq
        ? `LocalQueue ${wl.spec?.queueName} doesn't exist`
        : `ClusterQueue ${cqName} doesn't exist`;
      cluster.mutate(
        'kueue.x-k8s.io',
        'Workload',
        wl.metadata.namespace!,
        wl.metadata.name!,
        w => {
          w.status.conditions = setCondition(
            w.status.conditions,
            {
              type: 'QuotaReserved',
              status: 'False',
              reason: 'Inadmissible',
              message,
            },
            nowIso,
            { observedGeneration: w.metadata.generation },
          );
        },
      );
    }
  }

  for (const cq of cqs) {
    const cqName = cq.metadata.name!;
    const lqNames = new Set(
      lqs
        .filter(q => q.spec?.clusterQueue === cqName)
        .map(q => `${q.metadata.namespace}/${q.metadata.name}`),
    );
    const mine = cluster
      .objectsOf('kueue.x-k8s.io', 'Workload')
      .filter(w => lqNames.has(`${w.metadata.namespace}/${w.spec?.queueName}`));
    const used = new Map<string, number>();
    for (const w of mine.filter(isActive)) {
      for (const u of usage(w))
        used.set(
          `${u.flavor}|${u.resource}`,
          (used.get(`${u.flavor}|${u.resource}`) ?? 0) + u.qty,
        );
    }
    const groups: any[] = cq.spec?.resourceGroups ?? [];
    const quota = (flavor: string, res: string) => {
      for (const g of groups)
        for (const f of g.flavors ?? [])
          if (f.name === flavor)
            for (const r of f.resources ?? [])
              if (r.name === res) return parseQuantity(r.nominalQuota);
      return 0;
    };
    const pending = mine
      .filter(
        w =>
          !isActive(w) &&
          getCondition(w, 'Finished')?.status !== 'True' &&
          w.spec?.active !== false,
      )
      .sort(
        (a, b) =>
          (b.spec?.priority ?? 0) - (a.spec?.priority ?? 0) ||
          (a.metadata.creationTimestamp ?? '').localeCompare(
            b.metadata.creationTimestamp ?? '',
          ) ||
          a.metadata.name!.localeCompare(b.metadata.name!),
      );
    const strict = cq.spec?.queueingStrategy === 'StrictFIFO';
    let blocked = false;
    for (const wl of pending) {
      const m = jobOf(wl);
      if (!m) continue;
      const assignments: any[] = [];
      let problem: { reason: string; message: string } | undefined;
      const tentative = new Map(used);
      for (const ps of m.podSets) {
        const flavorsFor: Record<string, string> = {};
        const resourceUsage: Record<string, string> = {};
        for (const [res, per] of Object.entries(ps.requests)) {
          const need = per * ps.count;
          const group = groups.find(g =>
            (g.coveredResources ?? []).includes(res),
          );
          if (!group) {
            problem = {
              reason: 'Inadmissible',
              message: `couldn't assign flavors to pod set ${ps.name}: resource ${res} unavailable in ClusterQueue`,
            };
            break;
          }
          let chosen: string | undefined;
          let shortfall = Infinity;
          let maxQuota = 0;
          for (const f of group.flavors ?? []) {
            const q = quota(f.name, res);
            maxQuota = Math.max(maxQuota, q);
            const free = q - (tentative.get(`${f.name}|${res}`) ?? 0);
            if (free >= need) {
              chosen = f.name;
              break;
            }
            shortfall = Math.min(shortfall, need - free);
          }
          if (!chosen) {
            const flavorName = group.flavors?.[0]?.name ?? '';
            problem =
              need > maxQuota
                ? {
                    reason: 'ExceedsMaxQuota',
                    message: `couldn't assign flavors to pod set ${ps.name}: insufficient quota for ${res} in flavor ${flavorName}, request > maximum capacity (${need} > ${maxQuota})`,
                  }
                : {
                    reason: 'WaitingForQuota',
                    message: `couldn't assign flavors to pod set ${ps.name}: insufficient unused quota for ${res} in flavor ${flavorName}, ${shortfall} more needed`,
                  };
            break;
          }
          flavorsFor[res] = chosen;
          resourceUsage[res] = String(need);
          tentative.set(
            `${chosen}|${res}`,
            (tentative.get(`${chosen}|${res}`) ?? 0) + need,
          );
        }
        if (problem) break;
        assignments.push({
          name: ps.name,
          count: ps.count,
          flavors: flavorsFor,
          resourceUsage,
        });
      }
      if (!problem && strict && blocked) {
        problem = {
          reason: 'WaitingForQuota',
          message:
            'Workload is waiting behind an older workload in a StrictFIFO ClusterQueue',
        };
      }
      if (problem) {
        if (strict) blocked = true;
        cluster.mutate(
          'kueue.x-k8s.io',
          'Workload',
          wl.metadata.namespace!,
          wl.metadata.name!,
          w => {
            w.status.conditions = setCondition(
              w.status.conditions,
              {
                type: 'QuotaReserved',
                status: 'False',
                reason: problem!.reason,
                message: problem!.message,
              },
              nowIso,
              { observedGeneration: w.metadata.generation },
            );
            w.status.resourceRequests = m.podSets.map(ps => ({
              name: ps.name,
              resources: Object.fromEntries(
                Object.entries(ps.requests).map(([k, v]) => [k, String(v)]),
              ),
            }));
          },
        );
        continue;
      }
      for (const [k, v] of tentative) used.set(k, v);
      const labels: Record<string, string> = {};
      const tolerations: any[] = [];
      for (const a of assignments) {
        for (const f of Object.values<string>(a.flavors)) {
          Object.assign(labels, flavors.get(f)?.spec?.nodeLabels ?? {});
          tolerations.push(...(flavors.get(f)?.spec?.tolerations ?? []));
        }
      }
      const admitted = cluster.mutate(
        'kueue.x-k8s.io',
        'Workload',
        wl.metadata.namespace!,
        wl.metadata.name!,
        w => {
          w.status.admission = {
            clusterQueue: cqName,
            podSetAssignments: assignments,
          };
          let conds = setCondition(
            w.status.conditions,
            {
              type: 'QuotaReserved',
              status: 'True',
              reason: 'QuotaReserved',
              message: `Quota reserved in ClusterQueue ${cqName}`,
            },
            nowIso,
            { observedGeneration: w.metadata.generation },
          );
          conds = setCondition(
            conds,
            {
              type: 'Admitted',
              status: 'True',
              reason: 'Admitted',
              message: 'The workload is admitted',
            },
            nowIso,
            { observedGeneration: w.metadata.generation },
          );
          w.status.conditions = conds;
        },
      );
      if (admitted)
        cluster.recordEvent(
          admitted,
          'Normal',
          'QuotaReserved',
          `Quota reserved in ClusterQueue ${cqName}, wait time since queued was ${Math.max(
            0,
            Math.round(
              (now - Date.parse(wl.metadata.creationTimestamp!)) / 1000,
            ),
          )}s`,
          'kueue-admission',
        );
      if (m.suspended) setSuspended(cluster, m, false, labels, tolerations);
    }

    // ClusterQueue and LocalQueue status.
    const after = cluster
      .objectsOf('kueue.x-k8s.io', 'Workload')
      .filter(w => lqNames.has(`${w.metadata.namespace}/${w.spec?.queueName}`));
    const flavorUsage = (ws: K8sObject[]) => {
      const out: any[] = [];
      for (const g of groups) {
        for (const f of g.flavors ?? []) {
          out.push({
            name: f.name,
            resources: (f.resources ?? []).map((r: any) => {
              let total = 0;
              for (const w of ws.filter(isActive))
                for (const u of usage(w))
                  if (u.flavor === f.name && u.resource === r.name)
                    total += u.qty;
              return { name: r.name, total: String(total), borrowed: '0' };
            }),
          });
        }
      }
      return out;
    };
    const countOf = (ws: K8sObject[]) => ({
      pendingWorkloads: ws.filter(
        w => !isActive(w) && getCondition(w, 'Finished')?.status !== 'True',
      ).length,
      reservingWorkloads: ws.filter(isActive).length,
      admittedWorkloads: ws.filter(
        w => isActive(w) && getCondition(w, 'Admitted')?.status === 'True',
      ).length,
    });
    cluster.mutate('kueue.x-k8s.io', 'ClusterQueue', '', cqName, c => {
      c.status = {
        ...countOf(after),
        flavorsReservation: flavorUsage(after),
        flavorsUsage: flavorUsage(after),
        conditions: setCondition(
          c.status?.conditions,
          {
            type: 'Active',
            status: 'True',
            reason: 'Ready',
            message: 'Can admit new workloads',
          },
          nowIso,
          { observedGeneration: c.metadata.generation },
        ),
      };
    });
    for (const lq of lqs.filter(q => q.spec?.clusterQueue === cqName)) {
      const ws = after.filter(
        w =>
          w.metadata.namespace === lq.metadata.namespace &&
          w.spec?.queueName === lq.metadata.name,
      );
      cluster.mutate(
        'kueue.x-k8s.io',
        'LocalQueue',
        lq.metadata.namespace!,
        lq.metadata.name!,
        q => {
          q.status = {
            ...countOf(ws),
            flavorsReservation: flavorUsage(ws),
            flavorsUsage: flavorUsage(ws),
            conditions: setCondition(
              q.status?.conditions,
              {
                type: 'Active',
                status: 'True',
                reason: 'Ready',
                message: 'Can submit new workloads to localQueue',
              },
              nowIso,
              { observedGeneration: q.metadata.generation },
            ),
          };
        },
      );
    }
  }
}

/** Pending workloads of a ClusterQueue in admission order (for the visibility API). */
export function pendingWorkloads(
  cluster: SimulatedCluster,
  cqName: string,
): Array<{
  workload: K8sObject;
  positionInClusterQueue: number;
  positionInLocalQueue: number;
}> {
  const lqs = cluster
    .objectsOf('kueue.x-k8s.io', 'LocalQueue')
    .filter(q => q.spec?.clusterQueue === cqName);
  const names = new Set(
    lqs.map(q => `${q.metadata.namespace}/${q.metadata.name}`),
  );
  const pending = cluster
    .objectsOf('kueue.x-k8s.io', 'Workload')
    .filter(w => names.has(`${w.metadata.namespace}/${w.spec?.queueName}`))
    .filter(
      w =>
        getCondition(w, 'QuotaReserved')?.status !== 'True' &&
        getCondition(w, 'Finished')?.status !== 'True',
    )
    .sort(
      (a, b) =>
        (b.spec?.priority ?? 0) - (a.spec?.priority ?? 0) ||
        (a.metadata.creationTimestamp ?? '').localeCompare(
          b.metadata.creationTimestamp ?? '',
        ) ||
        a.metadata.name!.localeCompare(b.metadata.name!),
    );
  const perLq = new Map<string, number>();
  return pending.map((w, i) => {
    const k = `${w.metadata.namespace}/${w.spec?.queueName}`;
    const pos = perLq.get(k) ?? 0;
    perLq.set(k, pos + 1);
    return {
      workload: w,
      positionInClusterQueue: i,
      positionInLocalQueue: pos,
    };
  });
}

/** Whether a job-like object is still running (used to decide on wake-ups). */
export function isRunningPod(pod: K8sObject): boolean {
  return !podTerminal(pod) && pod.status?.phase === 'Running';
}
