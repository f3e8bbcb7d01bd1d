import type { KubeObject } from '@careplane/plugin-clusters-common';
import { deriveRunState, RunObservation } from './state';
import type { RunState } from './contract';

const cond = (
  type: string,
  status: string,
  reason?: string,
  message?: string,
) => ({
  type,
  status,
  ...(reason ? { reason } : {}),
  ...(message ? { message } : {}),
});

const obj = (
  kind: string,
  spec: any,
  status: any = {},
  labels: Record<string, string> = {
    'kueue.x-k8s.io/queue-name': 'ml-platform',
  },
): KubeObject => ({
  kind,
  metadata: { name: 'r', namespace: 'ml', labels },
  spec,
  status,
});

const job = (
  spec: any = {},
  status: any = {},
  labels?: Record<string, string>,
) => obj('Job', { parallelism: 2, ...spec }, status, labels);
const trainJob = (spec: any = {}, status: any = {}) =>
  obj('TrainJob', { trainer: { numNodes: 2 }, ...spec }, status);
const pyTorchJob = (spec: any = {}, status: any = {}) =>
  obj('PyTorchJob', spec, status);
const wl = (conditions: any[], more: any = {}): KubeObject => ({
  kind: 'Workload',
  metadata: { name: 'job-r-1', namespace: 'ml' },
  spec: { queueName: 'ml-platform', ...(more.spec ?? {}) },
  status: { conditions, ...(more.status ?? {}) },
});
const admitted = wl([cond('QuotaReserved', 'True'), cond('Admitted', 'True')]);
const pod = (status: any, nodeName?: string): KubeObject => ({
  kind: 'Pod',
  metadata: { name: 'r-abc', namespace: 'ml' },
  spec: nodeName ? { nodeName } : {},
  status,
});

type Row = [string, RunObservation, Partial<RunState>];

const rows: Row[] = [
  // -- before the cache has it, and after it is gone
  ['not seen yet', { runtime: 'job' }, { phase: 'submitted' }],
  [
    'deleted outside Careplane',
    { runtime: 'job', seenBefore: true },
    { phase: 'failed', reason: 'Deleted' },
  ],
  [
    'cancelled wins over everything',
    {
      runtime: 'job',
      object: job({}, { ready: 2 }),
      workload: admitted,
      cancelled: { by: 'user:default/li.wei', reason: 'wrong lr' },
    },
    {
      phase: 'cancelled',
      message: 'Cancelled by user:default/li.wei: wrong lr',
    },
  ],
  // -- batch/v1 Job
  [
    'Job failed with its reason',
    {
      runtime: 'job',
      object: job(
        {},
        {
          conditions: [
            cond(
              'Failed',
              'True',
              'DeadlineExceeded',
              'Job was active longer than specified deadline',
            ),
          ],
        },
      ),
    },
    {
      phase: 'failed',
      reason: 'DeadlineExceeded',
      message:
        'Failed (DeadlineExceeded): Job was active longer than specified deadline',
    },
  ],
  [
    'Job FailureTarget counts as failed',
    {
      runtime: 'job',
      object: job(
        {},
        { conditions: [cond('FailureTarget', 'True', 'BackoffLimitExceeded')] },
      ),
    },
    { phase: 'failed', reason: 'BackoffLimitExceeded' },
  ],
  [
    'Job complete',
    {
      runtime: 'job',
      object: job({}, { conditions: [cond('Complete', 'True')] }),
    },
    { phase: 'succeeded' },
  ],
  [
    'suspended Job, Workload waiting for quota, with position',
    {
      runtime: 'job',
      object: job({ suspend: true }),
      workload: wl([
        cond(
          'QuotaReserved',
          'False',
          'WaitingForQuota',
          "couldn't assign flavors to pod set main: insufficient unused quota for nvidia.com/gpu in flavor a100-80gb, 4 more needed",
        ),
      ]),
      position: 2,
    },
    {
      phase: 'queued',
      reason: 'WaitingForQuota',
      position: 2,
      message:
        "Queued (WaitingForQuota, position 2): couldn't assign flavors to pod set main: insufficient unused quota for nvidia.com/gpu in flavor a100-80gb, 4 more needed",
    },
  ],
  [
    'Workload that can never fit',
    {
      runtime: 'job',
      object: job({ suspend: true }),
      workload: wl([
        cond(
          'QuotaReserved',
          'False',
          'ExceedsMaxQuota',
          'request > maximum capacity (20 > 16)',
        ),
      ]),
    },
    { phase: 'queued', reason: 'ExceedsMaxQuota' },
  ],
  [
    'Workload not yet evaluated',
    { runtime: 'job', object: job({ suspend: true }), workload: wl([]) },
    { phase: 'queued', reason: 'Pending' },
  ],
  [
    'quota reserved, admission checks pending: still queued, never running',
    {
      runtime: 'job',
      object: job({ suspend: true }),
      workload: wl([
        cond('QuotaReserved', 'True'),
        cond('Admitted', 'False', 'UnsatisfiedAdmissionChecks', 'provisioning'),
      ]),
    },
    {
      phase: 'queued',
      reason: 'UnsatisfiedAdmissionChecks',
      detail: 'admission-checks',
    },
  ],
  [
    'Job with ready pods but an unadmitted Workload is queued, not running',
    {
      runtime: 'job',
      object: job({}, { ready: 2 }),
      workload: wl([cond('QuotaReserved', 'False', 'WaitingForQuota')]),
    },
    { phase: 'queued' },
  ],
  [
    'suspended Job without a Workload but with a queue label: queued',
    { runtime: 'job', object: job({ suspend: true }) },
    { phase: 'queued', reason: 'WaitingForWorkload' },
  ],
  [
    'suspended Job without a queue: suspended by a person',
    { runtime: 'job', object: job({ suspend: true }, {}, {}) },
    { phase: 'suspended', reason: 'Suspended' },
  ],
  [
    'admitted but still suspended: resuming',
    { runtime: 'job', object: job({ suspend: true }), workload: admitted },
    { phase: 'starting', detail: 'resuming' },
  ],
  [
    'preempted and requeued',
    {
      runtime: 'job',
      object: job({ suspend: true }),
      workload: wl(
        [
          cond('QuotaReserved', 'False', 'Pending'),
          cond(
            'Evicted',
            'True',
            'Preempted',
            'Preempted to accommodate a higher priority Workload',
          ),
          cond('Requeued', 'True', 'Preempted'),
        ],
        { status: { requeueState: { count: 1 } } },
      ),
    },
    {
      phase: 'preempted',
      reason: 'Preempted',
      detail: 'requeued',
      message:
        'Preempted by Kueue (Preempted), requeued 1 time: Preempted to accommodate a higher priority Workload',
    },
  ],
  [
    'evicted earlier but admitted again: not preempted',
    {
      runtime: 'job',
      object: job({}, { ready: 2 }),
      workload: wl([
        cond('QuotaReserved', 'True'),
        cond('Admitted', 'True'),
        cond('Evicted', 'True', 'PodsReadyTimeout'),
      ]),
    },
    { phase: 'running' },
  ],
  [
    'deactivated Workload',
    {
      runtime: 'job',
      object: job({ suspend: true }),
      workload: wl([], { spec: { active: false } }),
    },
    { phase: 'suspended', reason: 'Deactivated' },
  ],
  [
    'admitted, no pods yet',
    { runtime: 'job', object: job(), workload: admitted, pods: [] },
    { phase: 'starting', detail: 'creating' },
  ],
  [
    'admitted, pod unschedulable',
    {
      runtime: 'job',
      object: job(),
      workload: admitted,
      pods: [
        pod({
          phase: 'Pending',
          conditions: [
            cond(
              'PodScheduled',
              'False',
              'Unschedulable',
              '0/5 nodes are available: 4 Insufficient nvidia.com/gpu',
            ),
          ],
        }),
      ],
    },
    {
      phase: 'starting',
      detail: 'scheduling',
      reason: 'Unschedulable',
      message:
        'Starting: waiting for a node (Unschedulable): 0/5 nodes are available: 4 Insufficient nvidia.com/gpu',
    },
  ],
  [
    'admitted, image cannot be pulled',
    {
      runtime: 'job',
      object: job(),
      workload: admitted,
      pods: [
        pod(
          {
            phase: 'Pending',
            conditions: [cond('PodScheduled', 'True')],
            containerStatuses: [
              {
                name: 'trainer',
                state: {
                  waiting: {
                    reason: 'ImagePullBackOff',
                    message: 'Back-off pulling image',
                  },
                },
              },
            ],
          },
          'n1',
        ),
      ],
    },
    { phase: 'starting', detail: 'image-pull', reason: 'ImagePullBackOff' },
  ],
  [
    'admitted, pulling the image',
    {
      runtime: 'job',
      object: job(),
      workload: admitted,
      pods: [
        pod(
          {
            phase: 'Pending',
            conditions: [cond('PodScheduled', 'True')],
            containerStatuses: [
              {
                name: 'trainer',
                state: { waiting: { reason: 'ContainerCreating' } },
              },
            ],
          },
          'n1',
        ),
      ],
    },
    { phase: 'starting', detail: 'image-pull', reason: 'ContainerCreating' },
  ],
  [
    'one of two pods ready: starting',
    {
      runtime: 'job',
      object: job({}, { ready: 1, active: 2 }),
      workload: admitted,
      pods: [],
    },
    {
      phase: 'starting',
      detail: 'waiting-for-pods',
      readyPods: 1,
      expectedPods: 2,
    },
  ],
  [
    'all pods ready: running',
    {
      runtime: 'job',
      object: job({}, { ready: 2, active: 2 }),
      workload: admitted,
    },
    { phase: 'running', readyPods: 2, expectedPods: 2 },
  ],
  [
    'Job without Kueue running',
    { runtime: 'job', object: job({ parallelism: 1 }, { ready: 1 }, {}) },
    { phase: 'running' },
  ],
  // -- TrainJob (no Running condition: from jobsStatus)
  [
    'TrainJob suspended by Kueue and pending',
    {
      runtime: 'trainjob',
      object: trainJob(
        { suspend: true },
        {
          conditions: [cond('Suspended', 'True', 'Suspended')],
          jobsStatus: [{ name: 'node', active: 0, ready: 0, suspended: 1 }],
        },
      ),
      workload: wl([cond('QuotaReserved', 'False', 'WaitingForQuota')]),
      position: 1,
    },
    { phase: 'queued', reason: 'WaitingForQuota', position: 1 },
  ],
  [
    'TrainJob resumed with a ready trainer: running',
    {
      runtime: 'trainjob',
      object: trainJob(
        { suspend: false },
        {
          conditions: [cond('Suspended', 'False', 'Resumed')],
          jobsStatus: [{ name: 'node', active: 1, ready: 1 }],
        },
      ),
      workload: admitted,
    },
    { phase: 'running', expectedPods: 2 },
  ],
  [
    'TrainJob initialisers running',
    {
      runtime: 'trainjob',
      object: trainJob(
        {},
        {
          jobsStatus: [
            { name: 'dataset-initializer', active: 1, ready: 0 },
            { name: 'node', active: 0, ready: 0 },
          ],
        },
      ),
      workload: admitted,
    },
    { phase: 'starting', detail: 'initializing' },
  ],
  [
    'TrainJob active but not ready',
    {
      runtime: 'trainjob',
      object: trainJob(
        {},
        { jobsStatus: [{ name: 'node', active: 1, ready: 0 }] },
      ),
      workload: admitted,
    },
    { phase: 'starting' },
  ],
  [
    'TrainJob failed',
    {
      runtime: 'trainjob',
      object: trainJob(
        {},
        { conditions: [cond('Failed', 'True', 'DeadlineExceeded')] },
      ),
    },
    { phase: 'failed', reason: 'DeadlineExceeded' },
  ],
  [
    'TrainJob complete',
    {
      runtime: 'trainjob',
      object: trainJob(
        {},
        { conditions: [cond('Complete', 'True', 'JobSetCompleted')] },
      ),
    },
    { phase: 'succeeded' },
  ],
  [
    'TrainJob suspended by a person (no queue)',
    {
      runtime: 'trainjob',
      object: {
        ...trainJob({ suspend: true }),
        metadata: { name: 'r', namespace: 'ml' },
      },
    },
    { phase: 'suspended' },
  ],
  // -- PyTorchJob (precedence Failed > Succeeded > Restarting > Running > Suspended > Created)
  [
    'PyTorchJob Running and Failed: failed',
    {
      runtime: 'pytorchjob',
      object: pyTorchJob(
        {},
        {
          conditions: [
            cond('Running', 'True'),
            cond('Failed', 'True', 'PyTorchJobFailed'),
          ],
        },
      ),
    },
    { phase: 'failed', reason: 'PyTorchJobFailed' },
  ],
  [
    'PyTorchJob Succeeded',
    {
      runtime: 'pytorchjob',
      object: pyTorchJob({}, { conditions: [cond('Succeeded', 'True')] }),
    },
    { phase: 'succeeded' },
  ],
  [
    'PyTorchJob Restarting',
    {
      runtime: 'pytorchjob',
      object: pyTorchJob(
        {},
        {
          conditions: [
            cond('Running', 'True'),
            cond('Restarting', 'True', 'PyTorchJobRestarting'),
          ],
        },
      ),
      workload: admitted,
    },
    { phase: 'starting', detail: 'restarting' },
  ],
  [
    'PyTorchJob Running',
    {
      runtime: 'pytorchjob',
      object: pyTorchJob({}, { conditions: [cond('Running', 'True')] }),
      workload: admitted,
    },
    { phase: 'running' },
  ],
  [
    'PyTorchJob suspended in the queue',
    {
      runtime: 'pytorchjob',
      object: pyTorchJob(
        { runPolicy: { suspend: true } },
        { conditions: [cond('Created', 'True'), cond('Suspended', 'True')] },
      ),
      workload: wl([cond('QuotaReserved', 'False', 'WaitingForQuota')]),
    },
    { phase: 'queued' },
  ],
  [
    'PyTorchJob only Created',
    {
      runtime: 'pytorchjob',
      object: pyTorchJob({}, { conditions: [cond('Created', 'True')] }),
      workload: admitted,
      pods: [],
    },
    { phase: 'starting' },
  ],
];

describe('deriveRunState', () => {
  it.each(rows)('%s', (_name, observation, expected) => {
    expect(deriveRunState(observation)).toMatchObject(expected);
  });

  it('never says running while suspended or unadmitted', () => {
    const wrong: string[] = [];
    for (const [name, observation] of rows) {
      const state = deriveRunState(observation);
      const o = observation.object;
      const suspended =
        o?.spec?.suspend === true || o?.spec?.runPolicy?.suspend === true;
      const unadmitted =
        observation.workload &&
        !(observation.workload.status?.conditions ?? []).some(
          (c: any) => c.type === 'Admitted' && c.status === 'True',
        );
      if ((suspended || unadmitted) && state.phase === 'running') {
        wrong.push(name);
      }
    }
    expect(wrong).toEqual([]);
  });
});
