import type { KubeObject } from '@careplane/plugin-clusters-common';
import { maxRunCost, monthlyUsage, runCost, runningHours } from './cost';
import { idleVerdict, memoryQuery, utilisationQuery } from './metrics';
import { queuePosition } from './queue';
import { clusterQueueQuota, parseQuantity, quotaFit } from './quota';

const wl = (
  name: string,
  created: string,
  conditions: any[] = [],
  spec: any = {},
  namespace = 'ml',
): KubeObject => ({
  metadata: { name, namespace, creationTimestamp: created },
  spec: { queueName: 'team-q', priority: 0, ...spec },
  status: { conditions },
});
const lqs: KubeObject[] = [
  {
    metadata: { name: 'team-q', namespace: 'ml' },
    spec: { clusterQueue: 'gpu' },
  },
  {
    metadata: { name: 'other-q', namespace: 'bio' },
    spec: { clusterQueue: 'gpu' },
  },
  {
    metadata: { name: 'cpu-q', namespace: 'ml' },
    spec: { clusterQueue: 'cpu' },
  },
];

describe('queuePosition', () => {
  const reserved = [{ type: 'QuotaReserved', status: 'True' }];
  const a = wl('a', '2026-01-01T00:00:00Z', reserved);
  const b = wl('b', '2026-01-01T00:01:00Z');
  const c = wl(
    'c',
    '2026-01-01T00:02:00Z',
    [],
    { queueName: 'other-q' },
    'bio',
  );
  const d = wl('d', '2026-01-01T00:03:00Z', [], { priority: 10 });
  const e = wl('e', '2026-01-01T00:00:30Z', [], { queueName: 'cpu-q' });
  const f = wl('f', '2026-01-01T00:00:10Z', [], { active: false });
  const all = [a, b, c, d, e, f];

  it.each([
    ['higher priority first', d, 1],
    ['then oldest', b, 2],
    ['across LocalQueues of the same ClusterQueue', c, 3],
    ['other ClusterQueues apart', e, 1],
  ])('%s', (_what, target, position) => {
    expect(queuePosition(target, all, lqs)).toBe(position);
  });

  it('has no position once admitted or deactivated, or without a queue', () => {
    expect(queuePosition(a, all, lqs)).toBeUndefined();
    expect(queuePosition(f, all, lqs)).toBeUndefined();
    expect(
      queuePosition(wl('x', '', [], { queueName: 'nope' }), all, lqs),
    ).toBeUndefined();
  });
});

describe('quota', () => {
  const cq: KubeObject = {
    metadata: { name: 'ml-gpu' },
    spec: {
      resourceGroups: [
        {
          coveredResources: ['cpu', 'memory', 'nvidia.com/gpu'],
          flavors: [
            {
              name: 'a100-80gb',
              resources: [
                { name: 'cpu', nominalQuota: '256' },
                { name: 'memory', nominalQuota: '2Ti' },
                { name: 'nvidia.com/gpu', nominalQuota: 16 },
              ],
            },
          ],
        },
      ],
    },
    status: {
      flavorsUsage: [
        {
          name: 'a100-80gb',
          resources: [
            { name: 'nvidia.com/gpu', total: '8' },
            { name: 'memory', total: '512Gi' },
          ],
        },
      ],
    },
  };

  it('parses quantities', () => {
    expect(parseQuantity('500m')).toBe(0.5);
    expect(parseQuantity('2Ti')).toBe(2 * 2 ** 40);
    expect(parseQuantity(16)).toBe(16);
    expect(parseQuantity('12 GB')).toBeNaN();
  });

  it('reads a ClusterQueue', () => {
    expect(clusterQueueQuota(cq)).toEqual([
      { flavor: 'a100-80gb', resource: 'cpu', nominal: 256, max: 256, used: 0 },
      {
        flavor: 'a100-80gb',
        resource: 'memory',
        nominal: 2 * 2 ** 40,
        max: 2 * 2 ** 40,
        used: 512 * 2 ** 30,
      },
      {
        flavor: 'a100-80gb',
        resource: 'nvidia.com/gpu',
        nominal: 16,
        max: 16,
        used: 8,
      },
    ]);
  });

  it.each([
    [
      2,
      'fits',
      '2 nvidia.com/gpu fit now: 8 of 16 free in flavor a100-80gb of ml-gpu',
    ],
    [
      8,
      'fits',
      '8 nvidia.com/gpu fit now: 8 of 16 free in flavor a100-80gb of ml-gpu',
    ],
    [
      12,
      'waits',
      '12 nvidia.com/gpu will wait in ml-gpu: 8 of 16 free now in flavor a100-80gb',
    ],
    [
      20,
      'never',
      '20 nvidia.com/gpu can never fit in ml-gpu: its most is 16; ask for fewer GPUs or a larger quota',
    ],
  ])('%i GPUs: %s', (need, verdict, message) => {
    expect(
      quotaFit(clusterQueueQuota(cq), 'nvidia.com/gpu', need, 'ml-gpu'),
    ).toEqual({ verdict, message });
  });

  it('a resource the queue does not cover never fits', () => {
    expect(
      quotaFit(clusterQueueQuota(cq), 'nvidia.com/mig-1g.10gb', 1, 'ml-gpu')
        .verdict,
    ).toBe('never');
  });

  it('borrowing in a cohort raises the most', () => {
    const cohort = { ...cq, spec: { ...cq.spec, cohortName: 'research' } };
    expect(
      quotaFit(clusterQueueQuota(cohort), 'nvidia.com/gpu', 40, 'ml-gpu')
        .verdict,
    ).toBe('waits');
  });
});

describe('cost', () => {
  const h = (phase: any, at: string) => ({ phase, at });
  const history = [
    h('queued', '2026-03-31T22:00:00Z'),
    h('starting', '2026-03-31T23:00:00Z'),
    h('running', '2026-03-31T23:30:00Z'),
    h('succeeded', '2026-04-01T01:30:00Z'),
  ];

  it('charges running time only', () => {
    expect(runningHours(history, Date.parse('2026-05-01T00:00:00Z'))).toBe(2);
    expect(
      runCost({ history, totalGpus: 2, pricePerGpuHour: 3.5, end: 0 }),
    ).toEqual({ gpuHours: 4, cost: 14 });
  });

  it('charges a running run until now', () => {
    const running = history.slice(0, 3);
    expect(runningHours(running, Date.parse('2026-04-01T00:00:00Z'))).toBe(0.5);
  });

  it('counts running again after a preemption', () => {
    const preempted = [
      h('running', '2026-01-01T00:00:00Z'),
      h('preempted', '2026-01-01T01:00:00Z'),
      h('queued', '2026-01-01T01:00:01Z'),
      h('running', '2026-01-01T02:00:00Z'),
      h('failed', '2026-01-01T03:00:00Z'),
    ];
    expect(runningHours(preempted, 0)).toBe(2);
  });

  it('bounds the cost of a launch', () => {
    expect(
      maxRunCost({ totalGpus: 2, pricePerGpuHour: 3.5, maxRuntimeMinutes: 90 }),
    ).toBe(10.5);
  });

  it('splits GPU-hours per team and month at the month boundary', () => {
    expect(
      monthlyUsage([
        {
          team: 'group:default/ml-platform',
          history,
          totalGpus: 2,
          pricePerGpuHour: 3.5,
          end: 0,
        },
        {
          team: 'group:default/ml-platform',
          history: [
            h('running', '2026-04-02T00:00:00Z'),
            h('failed', '2026-04-02T00:30:00Z'),
          ],
          totalGpus: 8,
          pricePerGpuHour: 3.5,
          end: 0,
        },
      ]),
    ).toEqual([
      {
        team: 'group:default/ml-platform',
        month: '2026-04',
        runs: 2,
        gpuHours: 7,
        cost: 24.5,
      },
      {
        team: 'group:default/ml-platform',
        month: '2026-03',
        runs: 1,
        gpuHours: 1,
        cost: 3.5,
      },
    ]);
  });
});

describe('GPU metrics', () => {
  it('queries the MIG-safe profiling metric by default', () => {
    expect(utilisationQuery('ml-platform', 'triage-ft-0a1b2c')).toBe(
      'avg by (cluster) (DCGM_FI_PROF_GR_ENGINE_ACTIVE{namespace="ml-platform",pod=~"triage-ft-0a1b2c-.*"})',
    );
    expect(utilisationQuery('ml', 'r', 'DCGM_FI_DEV_GPU_UTIL')).toBe(
      'avg by (cluster) (DCGM_FI_DEV_GPU_UTIL{namespace="ml",pod=~"r-.*"}) / 100',
    );
    expect(memoryQuery('ml', 'r')).toBe(
      'sum by (cluster) (DCGM_FI_DEV_FB_USED{namespace="ml",pod=~"r-.*"})',
    );
  });

  it('refuses names that could change the query', () => {
    expect(() => utilisationQuery('ml"}', 'r')).toThrow(/DNS labels/);
  });

  const series = (values: number[], step = 60) =>
    values.map((utilisation, i) => ({ t: 1000 + i * step, utilisation }));

  it.each([
    ['idle for 15 minutes', series(Array(16).fill(0.03)), true],
    ['busy', series(Array(16).fill(0.8)), false],
    [
      'one busy sample',
      series([...Array(10).fill(0.02), 0.5, ...Array(5).fill(0.02)]),
      false,
    ],
    ['too short to say', series(Array(5).fill(0.01)), false],
    ['no samples', [], false],
  ])('%s', (_what, points, idle) => {
    expect(idleVerdict(points).idle).toBe(idle);
  });

  it('says what to do when idle', () => {
    expect(idleVerdict(series(Array(16).fill(0.03))).message).toBe(
      'GPUs idle: utilisation stayed below 10 % (at most 3 %) for the last 15 minutes; check the data loader or cancel the run to free the GPUs',
    );
  });
});
