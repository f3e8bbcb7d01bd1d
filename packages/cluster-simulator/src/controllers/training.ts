import { K8sObject } from '../util';
import {
  Ctl,
  getCondition,
  iso,
  ownedBy,
  ownerRef,
  podFromTemplate,
  podTerminal,
  setCondition,
} from './context';

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
