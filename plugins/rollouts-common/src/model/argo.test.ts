import type { KubeObject } from '@careplane/plugin-clusters-common';
import {
  calculateRolloutPhase,
  deriveArgoRollout,
  getRolloutPhase,
} from './argo';

const steps = [
  { setWeight: 20 },
  { pause: {} },
  { setWeight: 50 },
  { pause: { duration: '5m' } },
  { analysis: { templates: [{ templateName: 'success-rate' }] } },
  { setWeight: 80 },
];

function rollout(spec: any = {}, status: any = {}, generation = 3): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'video', namespace: 'video', uid: 'ro-uid', generation },
    spec: {
      replicas: 5,
      strategy: { canary: { steps } },
      template: {
        spec: { containers: [{ name: 'app', image: 'video:2.4.0' }] },
      },
      ...spec,
    },
    status: { observedGeneration: String(generation), ...status },
  };
}

const settled = {
  replicas: 5,
  updatedReplicas: 5,
  availableReplicas: 5,
  currentPodHash: 'h2',
  stableRS: 'h2',
};

describe('rule B: CalculateRolloutPhase, in order', () => {
  it.each([
    [
      'InvalidSpec condition',
      {},
      { conditions: [{ type: 'InvalidSpec', message: 'bad steps' }] },
      'Degraded',
      'InvalidSpec: bad steps',
    ],
    [
      'RolloutAborted reason',
      {},
      {
        conditions: [
          {
            type: 'Progressing',
            reason: 'RolloutAborted',
            message: 'aborted update to revision 2',
          },
        ],
      },
      'Degraded',
      'RolloutAborted: aborted update to revision 2',
    ],
    [
      'ProgressDeadlineExceeded reason',
      {},
      {
        conditions: [
          {
            type: 'Progressing',
            reason: 'ProgressDeadlineExceeded',
            message: 'timed out',
          },
        ],
      },
      'Degraded',
      'ProgressDeadlineExceeded: timed out',
    ],
    ['spec.paused', { paused: true }, settled, 'Paused', 'manually paused'],
    [
      'pause conditions',
      {},
      { ...settled, pauseConditions: [{ reason: 'CanaryPauseStep' }] },
      'Paused',
      'CanaryPauseStep',
    ],
    [
      'restartAt not yet done',
      { restartAt: '2026-01-01T00:00:00Z' },
      settled,
      'Progressing',
      'rollout is restarting',
    ],
    [
      'updated < replicas',
      {},
      { ...settled, updatedReplicas: 4 },
      'Progressing',
      'more replicas need to be updated',
    ],
    [
      'available < updated',
      {},
      { ...settled, availableReplicas: 4 },
      'Progressing',
      'updated replicas are still becoming available',
    ],
    [
      'canary without traffic routing, old replicas left',
      {},
      { ...settled, replicas: 6 },
      'Progressing',
      'old replicas are pending termination',
    ],
    [
      'canary, stable is not current',
      {},
      { ...settled, stableRS: 'h1' },
      'Progressing',
      'waiting for all steps to complete',
    ],
    [
      'blue-green, active not current',
      { strategy: { blueGreen: {} } },
      { ...settled, blueGreen: { activeSelector: 'h1' } },
      'Progressing',
      'active service cutover pending',
    ],
    [
      'blue-green, post-promotion analysis running',
      { strategy: { blueGreen: { postPromotionAnalysis: {} } } },
      { ...settled, stableRS: 'h1', blueGreen: { activeSelector: 'h2' } },
      'Progressing',
      'waiting for analysis to complete',
    ],
    [
      'blue-green, stable not yet promoted',
      { strategy: { blueGreen: {} } },
      { ...settled, stableRS: 'h1', blueGreen: { activeSelector: 'h2' } },
      'Progressing',
      'waiting for post-promotion verification to complete',
    ],
    ['everything done', {}, settled, 'Healthy', ''],
  ])('%s', (_, specExtra, status, phase, message) => {
    const ro = rollout(specExtra, status);
    expect(calculateRolloutPhase(ro.spec, ro.status)).toEqual({
      phase,
      message,
    });
  });

  it('with traffic routing, old replicas do not hold the canary', () => {
    const ro = rollout(
      { strategy: { canary: { steps, trafficRouting: {} } } },
      { ...settled, replicas: 6 },
    );
    expect(calculateRolloutPhase(ro.spec, ro.status).phase).toBe('Healthy');
  });
});

describe('rule A: GetRolloutPhase overrides a stale controller phase', () => {
  it('generation not observed yet', () => {
    const ro = rollout(
      {},
      { ...settled, phase: 'Healthy', observedGeneration: '2' },
      3,
    );
    expect(getRolloutPhase(ro)).toEqual({
      phase: 'Progressing',
      message: 'waiting for rollout spec update to be observed',
    });
  });

  it('a non-numeric (v0.9 hash) or greater observedGeneration counts as observed', () => {
    expect(
      getRolloutPhase(
        rollout({}, { phase: 'Healthy', observedGeneration: '7d4f9c' }),
      ).phase,
    ).toBe('Healthy');
    expect(
      getRolloutPhase(
        rollout({}, { phase: 'Healthy', observedGeneration: '9' }, 3),
      ).phase,
    ).toBe('Healthy');
  });

  it('unpause in flight (controllerPause without pause conditions)', () => {
    const ro = rollout(
      {},
      {
        ...settled,
        phase: 'Paused',
        controllerPause: true,
        pauseConditions: [],
      },
    );
    expect(getRolloutPhase(ro)).toEqual({
      phase: 'Progressing',
      message: 'waiting for rollout to unpause',
    });
  });

  it('workload reference not observed', () => {
    const ro = rollout(
      { templateResolvedFromRef: true },
      { ...settled, phase: 'Healthy', workloadObservedGeneration: '1' },
    );
    ro.metadata.annotations = {
      'rollout.argoproj.io/workload-generation': '2',
    };
    expect(getRolloutPhase(ro).message).toBe(
      'waiting for rollout spec update to be observed for the reference workload',
    );
  });

  it('otherwise the controller phase and message', () => {
    expect(
      getRolloutPhase(
        rollout({}, { phase: 'Paused', message: 'CanaryPauseStep' }),
      ),
    ).toEqual({
      phase: 'Paused',
      message: 'CanaryPauseStep',
    });
  });

  it('without a controller phase (v0.10 and older), rule B', () => {
    expect(getRolloutPhase(rollout({}, settled))).toEqual({
      phase: 'Healthy',
      message: '',
    });
  });
});

const rs = (
  hash: string,
  rev: string,
  available: number,
  image = 'video:2.4.0',
): KubeObject => ({
  kind: 'ReplicaSet',
  metadata: {
    name: `video-${hash}`,
    namespace: 'video',
    labels: { 'rollouts-pod-template-hash': hash },
    annotations: { 'rollout.argoproj.io/revision': rev },
    ownerReferences: [
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        name: 'video',
        uid: 'ro-uid',
      },
    ],
  },
  spec: { template: { spec: { containers: [{ name: 'app', image }] } } },
  status: {
    replicas: available,
    readyReplicas: available,
    availableReplicas: available,
  },
});

describe('deriveArgoRollout', () => {
  const pausedCanary = rollout(
    {},
    {
      phase: 'Paused',
      message: 'CanaryPauseStep',
      currentStepIndex: 1,
      currentPodHash: 'h2',
      stableRS: 'h1',
      controllerPause: true,
      availableReplicas: 6,
      pauseConditions: [
        { reason: 'CanaryPauseStep', startTime: '2026-03-01T09:02:30Z' },
      ],
    },
  );

  it('the demo canary: paused at step 1 of 6, set weight 20, actual from available pods, a person must act', () => {
    const v = deriveArgoRollout(pausedCanary, {
      replicaSets: [rs('h1', '1', 5, 'video:2.3.1'), rs('h2', '2', 1)],
    });
    expect(v).toMatchObject({
      phase: 'Paused',
      strategy: 'canary',
      revision: '2',
      images: ['app=video:2.4.0'],
      step: { index: 1, total: 6, description: 'pause until promoted' },
      weights: { set: 20, actual: 16 },
      pause: {
        reason: 'CanaryPauseStep',
        since: '2026-03-01T09:02:30Z',
        needsHuman: true,
      },
      waitingForHuman: true,
      message:
        'Paused at step 1 of 6: waiting for a person to promote (CanaryPauseStep)',
    });
    expect(v.pods).toEqual([
      { role: 'stable', revision: 'h1', replicas: 5, ready: 5, available: 5 },
      { role: 'canary', revision: 'h2', replicas: 1, ready: 1, available: 1 },
    ]);
  });

  it('a timed pause does not need a person', () => {
    const v = deriveArgoRollout(
      rollout({}, { ...pausedCanary.status, currentStepIndex: 3 }),
    );
    expect(v.pause?.needsHuman).toBe(false);
    expect(v.waitingForHuman).toBe(false);
  });

  it('traffic-routed weights come from status.canary.weights; finished steps are 100', () => {
    const routed = rollout(
      { strategy: { canary: { steps, trafficRouting: {} } } },
      {
        ...pausedCanary.status,
        canary: { weights: { canary: { weight: 18 }, stable: { weight: 82 } } },
      },
    );
    expect(deriveArgoRollout(routed).weights).toEqual({ set: 20, actual: 18 });
    expect(
      deriveArgoRollout(
        rollout({}, { ...settled, phase: 'Healthy', currentStepIndex: 6 }),
      ).weights,
    ).toEqual({ set: 100, actual: 100 });
  });

  it('aborted: phase Aborted with the controller message, set weight 0, analysis results', () => {
    const ro = rollout(
      {},
      {
        phase: 'Degraded',
        message: 'RolloutAborted: Rollout aborted update to revision 2',
        abort: true,
        currentStepIndex: 4,
        currentPodHash: 'h2',
        stableRS: 'h1',
        canary: {
          currentStepAnalysisRunStatus: { name: 'video-2-4', status: 'Failed' },
        },
      },
    );
    const ar: KubeObject = {
      kind: 'AnalysisRun',
      metadata: {
        name: 'video-2-4',
        ownerReferences: [
          { apiVersion: 'x', kind: 'Rollout', name: 'video', uid: 'ro-uid' },
        ],
      },
      status: {
        phase: 'Failed',
        metricResults: [
          {
            name: 'success-rate',
            phase: 'Failed',
            count: 1,
            failed: 1,
            measurements: [{ phase: 'Failed', value: '0.91', finishedAt: 't' }],
          },
        ],
      },
    };
    const v = deriveArgoRollout(ro, { analysisRuns: [ar] });
    expect(v).toMatchObject({
      phase: 'Aborted',
      controllerPhase: 'Degraded',
      degradedReason: 'AnalysisFailed',
      message: 'Aborted: RolloutAborted: Rollout aborted update to revision 2',
      weights: { set: 0 },
      waitingForHuman: true,
    });
    expect(v.analysis[0]).toMatchObject({
      name: 'video-2-4',
      phase: 'Failed',
      metrics: [
        {
          name: 'success-rate',
          failed: 1,
          measurements: [{ phase: 'Failed', value: '0.91', finishedAt: 't' }],
        },
      ],
    });
  });

  it('blue-green waiting for promotion: active and preview pods, no weights', () => {
    const ro = rollout(
      { strategy: { blueGreen: { autoPromotionEnabled: false } } },
      {
        phase: 'Paused',
        message: 'BlueGreenPause',
        currentPodHash: 'h2',
        stableRS: 'h1',
        pauseConditions: [{ reason: 'BlueGreenPause', startTime: 't0' }],
        blueGreen: { activeSelector: 'h1', previewSelector: 'h2' },
      },
    );
    const v = deriveArgoRollout(ro, {
      replicaSets: [rs('h1', '1', 3), rs('h2', '2', 3)],
    });
    expect(v).toMatchObject({
      strategy: 'blueGreen',
      phase: 'Paused',
      pause: { reason: 'BlueGreenPause', needsHuman: true },
    });
    expect(v.weights).toBeUndefined();
    expect(v.pods.map(p => p.role)).toEqual(['active', 'preview']);
  });

  it('inconclusive analysis pauses for a person', () => {
    const ro = rollout(
      {},
      {
        phase: 'Paused',
        message: 'InconclusiveAnalysisRun',
        currentStepIndex: 4,
        controllerPause: true,
        pauseConditions: [
          { reason: 'InconclusiveAnalysisRun', startTime: 't' },
        ],
      },
    );
    expect(deriveArgoRollout(ro)).toMatchObject({
      waitingForHuman: true,
      facts: { inconclusive: true },
    });
  });
});
