import type { KubeObject } from '@careplane/plugin-clusters-common';
import { deriveArgoRollout } from '../model/argo';
import { deriveDeployment, deriveStatefulSet } from '../model/workloads';
import { deriveFlaggerCanary } from '../model/flagger';
import { revisionHistory } from '../model/history';
import { checkPrecondition } from './preconditions';
import { planPatches } from './patches';
import { ROLLOUT_ACTIONS, RolloutAction } from './types';

const NOW = '2026-03-01T10:00:00Z';
const steps = [
  { setWeight: 20 },
  { pause: {} },
  { analysis: {} },
  { setWeight: 80 },
];

function ro(status: any, spec: any = {}): KubeObject {
  return {
    kind: 'Rollout',
    metadata: { name: 'video', namespace: 'video', uid: 'u', generation: 1 },
    spec: {
      replicas: 5,
      strategy: { canary: { steps } },
      template: {
        spec: { containers: [{ name: 'app', image: 'video:2.4.0' }] },
      },
      ...spec,
    },
    status: {
      observedGeneration: '1',
      currentPodHash: 'h2',
      stableRS: 'h1',
      ...status,
    },
  };
}

const pausedAtStep = ro({
  phase: 'Paused',
  currentStepIndex: 1,
  controllerPause: true,
  pauseConditions: [{ reason: 'CanaryPauseStep', startTime: 't' }],
});
const inAnalysis = ro({
  phase: 'Progressing',
  message: 'x',
  currentStepIndex: 2,
});
const inconclusive = ro({
  phase: 'Paused',
  currentStepIndex: 2,
  controllerPause: true,
  pauseConditions: [{ reason: 'InconclusiveAnalysisRun', startTime: 't' }],
});
const manuallyPaused = ro(
  {
    phase: 'Paused',
    currentStepIndex: 1,
    pauseConditions: [{ reason: 'CanaryPauseStep' }],
  },
  { paused: true },
);
const aborted = ro({
  phase: 'Degraded',
  message: 'RolloutAborted: aborted',
  abort: true,
  currentStepIndex: 1,
  conditions: [{ type: 'Progressing', reason: 'RolloutAborted' }],
});
const healthy = ro({
  phase: 'Healthy',
  currentPodHash: 'h2',
  stableRS: 'h2',
  currentStepIndex: 4,
});
const blueGreen = ro(
  {
    phase: 'Paused',
    pauseConditions: [{ reason: 'BlueGreenPause' }],
    controllerPause: true,
  },
  { strategy: { blueGreen: { autoPromotionEnabled: false } } },
);

const plan = (a: RolloutAction, o: KubeObject) =>
  planPatches(a, 'Rollout', o, { now: NOW });

describe("§1.5: each action's exact patch body and subresource (Argo)", () => {
  it('promote, paused by a step: clear the pause conditions on /status', () => {
    expect(plan('promote', pausedAtStep)).toEqual([
      {
        kind: 'Rollout',
        namespace: 'video',
        name: 'video',
        subresource: 'status',
        patchType: 'merge',
        patch: { status: { pauseConditions: null } },
      },
    ]);
  });

  it('promote mid-analysis: clear and move to the next step', () => {
    expect(plan('promote', inAnalysis)).toEqual([
      {
        kind: 'Rollout',
        namespace: 'video',
        name: 'video',
        subresource: 'status',
        patchType: 'merge',
        patch: { status: { pauseConditions: null, currentStepIndex: 3 } },
      },
    ]);
  });

  it('promote after an inconclusive analysis: also clear controllerPause', () => {
    expect(plan('promote', inconclusive)[0].patch).toEqual({
      status: {
        pauseConditions: null,
        controllerPause: false,
        currentStepIndex: 3,
      },
    });
  });

  it('promote of a manually paused rollout: unpause the spec too', () => {
    expect(plan('promote', manuallyPaused)).toEqual([
      expect.objectContaining({
        subresource: 'status',
        patch: { status: { pauseConditions: null } },
      }),
      {
        kind: 'Rollout',
        namespace: 'video',
        name: 'video',
        patchType: 'merge',
        patch: { spec: { paused: false } },
      },
    ]);
  });

  it('promote of a blue-green: clear the BlueGreenPause', () => {
    expect(plan('promote', blueGreen)[0].patch).toEqual({
      status: { pauseConditions: null },
    });
  });

  it('promote --full: unpause if paused, promoteFull on /status while current != stable', () => {
    expect(plan('promote-full', pausedAtStep)).toEqual([
      {
        kind: 'Rollout',
        namespace: 'video',
        name: 'video',
        subresource: 'status',
        patchType: 'merge',
        patch: { status: { promoteFull: true } },
      },
    ]);
    expect(plan('promote-full', manuallyPaused).map(p => p.patch)).toEqual([
      { spec: { paused: false } },
      { status: { promoteFull: true } },
    ]);
  });

  it.each([
    ['abort', pausedAtStep, 'status', { status: { abort: true } }],
    ['retry', aborted, 'status', { status: { abort: false } }],
    ['restart', healthy, undefined, { spec: { restartAt: NOW } }],
    ['pause', healthy, undefined, { spec: { paused: true } }],
    ['resume', manuallyPaused, undefined, { spec: { paused: false } }],
  ] as const)('%s', (action, obj, subresource, patch) => {
    const [p, ...rest] = plan(action, obj);
    expect(rest).toEqual([]);
    expect(p).toEqual({
      kind: 'Rollout',
      namespace: 'video',
      name: 'video',
      ...(subresource ? { subresource } : {}),
      patchType: 'merge',
      patch,
    });
  });
});

describe('other kinds', () => {
  const dep: KubeObject = {
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'web',
      uid: 'd',
      annotations: { 'deployment.kubernetes.io/revision': '3' },
    },
    spec: {
      template: {
        spec: {
          containers: [
            { name: 'app', image: 'web:3' },
            { name: 'proxy', image: 'envoy:1' },
          ],
        },
      },
    },
  };
  const rsOf = (rev: string, image: string): KubeObject => ({
    kind: 'ReplicaSet',
    metadata: {
      name: `web-${rev}`,
      annotations: { 'deployment.kubernetes.io/revision': rev },
      labels: { 'pod-template-hash': `p${rev}` },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd' },
      ],
    },
    spec: {
      template: {
        spec: {
          containers: [
            { name: 'app', image },
            { name: 'proxy', image: 'envoy:1' },
          ],
        },
      },
    },
  });
  const history = revisionHistory(dep, [
    rsOf('1', 'web:1'),
    rsOf('3', 'web:3'),
    rsOf('2', 'web:2'),
  ]);

  it('history is newest first with the current revision marked', () => {
    expect(history.map(h => [h.revision, h.current, h.images[0]])).toEqual([
      [3, true, 'app=web:3'],
      [2, false, 'app=web:2'],
      [1, false, 'app=web:1'],
    ]);
  });

  it('Deployment restart sets the kubectl restartedAt template annotation', () => {
    expect(planPatches('restart', 'Deployment', dep, { now: NOW })).toEqual([
      {
        kind: 'Deployment',
        namespace: 'web',
        name: 'web',
        patchType: 'merge',
        patch: {
          spec: {
            template: {
              metadata: {
                annotations: { 'kubectl.kubernetes.io/restartedAt': NOW },
              },
            },
          },
        },
      },
    ]);
  });

  it("undo restores the revision's images as a JSON patch (never the redacted template)", () => {
    expect(
      planPatches('undo', 'Deployment', dep, { now: NOW, entry: history[2] }),
    ).toEqual([
      {
        kind: 'Deployment',
        namespace: 'web',
        name: 'web',
        patchType: 'json',
        patch: [
          {
            op: 'replace',
            path: '/spec/template/spec/containers/0/image',
            value: 'web:1',
          },
        ],
      },
    ]);
  });

  it('undo preconditions: a revision is needed, must exist and must not be current', () => {
    const v = deriveDeployment(dep);
    expect(checkPrecondition('undo', v, { history })).toEqual({
      ok: false,
      reason: 'say which revision to undo to',
    });
    expect(checkPrecondition('undo', v, { history, revision: 9 })).toEqual({
      ok: false,
      reason: 'revision 9 is not in the history (known revisions: 3, 2, 1)',
    });
    expect(checkPrecondition('undo', v, { history, revision: 3 })).toEqual({
      ok: false,
      reason: 'revision 3 is the current revision',
    });
    expect(checkPrecondition('undo', v, { history, revision: 2 })).toEqual({
      ok: true,
    });
  });

  it('Flagger promote-full sets spec.skipAnalysis; restart and retry touch the target template', () => {
    const c: KubeObject = {
      kind: 'Canary',
      metadata: { name: 'triage', namespace: 't' },
      spec: { targetRef: { name: 'triage' } },
      status: { phase: 'Progressing' },
    };
    expect(planPatches('promote-full', 'Canary', c, { now: NOW })).toEqual([
      {
        kind: 'Canary',
        namespace: 't',
        name: 'triage',
        patchType: 'merge',
        patch: { spec: { skipAnalysis: true } },
      },
    ]);
    expect(planPatches('restart', 'Canary', c, { now: NOW })[0]).toMatchObject({
      kind: 'Deployment',
      name: 'triage',
    });
    const v = deriveFlaggerCanary(c);
    expect(checkPrecondition('promote-full', v)).toEqual({ ok: true });
    expect(checkPrecondition('abort', v)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/rollback webhook/),
    });
  });
});

describe('preconditions (permission-independent state rules)', () => {
  const table: Array<
    [string, KubeObject, Partial<Record<RolloutAction, boolean>>]
  > = [
    [
      'paused at a step',
      pausedAtStep,
      {
        promote: true,
        'promote-full': true,
        abort: true,
        retry: false,
        restart: true,
        pause: true,
        resume: false,
      },
    ],
    ['mid-analysis', inAnalysis, { promote: true, abort: true, retry: false }],
    [
      'aborted',
      aborted,
      {
        promote: false,
        'promote-full': false,
        abort: false,
        retry: true,
        restart: true,
      },
    ],
    [
      'healthy',
      healthy,
      {
        promote: false,
        'promote-full': false,
        abort: false,
        retry: false,
        restart: true,
        pause: true,
      },
    ],
    [
      'manually paused',
      manuallyPaused,
      { promote: true, resume: true, pause: false },
    ],
  ];
  it.each(table)('%s', (_, obj, expected) => {
    const v = deriveArgoRollout(obj);
    for (const [action, ok] of Object.entries(expected)) {
      expect([
        action,
        checkPrecondition(action as RolloutAction, v).ok,
      ]).toEqual([action, ok]);
    }
  });

  it('says why: no promote on an aborted rollout, retry only when aborted', () => {
    expect(checkPrecondition('promote', deriveArgoRollout(aborted))).toEqual({
      ok: false,
      reason:
        'the rollout is aborted: a promote would change nothing; retry it first',
    });
    expect(checkPrecondition('retry', deriveArgoRollout(pausedAtStep))).toEqual(
      {
        ok: false,
        reason: 'only an aborted rollout can be retried; it is Paused',
      },
    );
  });

  it('warns on abort after promote-full (argo-rollouts#4461)', () => {
    const v = deriveArgoRollout(
      ro({ phase: 'Progressing', promoteFull: true }),
    );
    expect(checkPrecondition('abort', v)).toMatchObject({
      ok: true,
      warning: expect.stringMatching(/4461/),
    });
  });

  it('Deployments and StatefulSets have no promote, abort or retry', () => {
    const sts = deriveStatefulSet({
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: {},
      status: { observedGeneration: 1 },
    });
    for (const a of ROLLOUT_ACTIONS.filter(x => x !== 'restart')) {
      expect(checkPrecondition(a, sts).ok).toBe(false);
    }
    expect(checkPrecondition('restart', sts).ok).toBe(true);
  });
});
