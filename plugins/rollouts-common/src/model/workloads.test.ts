import type { KubeObject } from '@careplane/plugin-clusters-common';
import {
  deploymentRolloutStatus,
  deriveDeployment,
  statefulSetRolloutStatus,
} from './workloads';
import { deriveFlaggerCanary, FLAGGER_PHASES } from './flagger';

const deployment = (spec: any, status: any, generation = 2): KubeObject => ({
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: 'web',
    generation,
    annotations: { 'deployment.kubernetes.io/revision': '4' },
  },
  spec: { replicas: 3, ...spec },
  status: {
    observedGeneration: 2,
    replicas: 3,
    updatedReplicas: 3,
    availableReplicas: 3,
    ...status,
  },
});

describe('rule F: kubectl rollout status for Deployments', () => {
  it.each([
    [
      'spec not observed',
      {},
      { observedGeneration: 1 },
      'Progressing',
      'Waiting for deployment spec update to be observed...',
    ],
    [
      'progress deadline exceeded',
      {},
      {
        conditions: [
          { type: 'Progressing', reason: 'ProgressDeadlineExceeded' },
        ],
      },
      'Degraded',
      'deployment "web" exceeded its progress deadline',
    ],
    [
      'paused',
      { paused: true },
      {},
      'Paused',
      'deployment "web" is paused (spec.paused)',
    ],
    [
      'updated < desired',
      {},
      { updatedReplicas: 1 },
      'Progressing',
      'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...',
    ],
    [
      'old replicas pending termination',
      {},
      { replicas: 4 },
      'Progressing',
      'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...',
    ],
    [
      'updated replicas not yet available',
      {},
      { availableReplicas: 2 },
      'Progressing',
      'Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...',
    ],
    ['done', {}, {}, 'Healthy', 'deployment "web" successfully rolled out'],
  ])('%s', (_, spec, status, phase, message) => {
    expect(deploymentRolloutStatus(deployment(spec, status))).toEqual({
      phase,
      message,
    });
  });

  it('a timed-out Deployment is degraded and waits for a person', () => {
    const v = deriveDeployment(
      deployment(
        {},
        {
          conditions: [
            { type: 'Progressing', reason: 'ProgressDeadlineExceeded' },
          ],
        },
      ),
    );
    expect(v).toMatchObject({
      phase: 'Degraded',
      degradedReason: 'TimedOut',
      waitingForHuman: true,
      revision: '4',
    });
  });
});

const sts = (spec: any, status: any, generation = 2): KubeObject => ({
  kind: 'StatefulSet',
  metadata: { name: 'db', namespace: 'db', generation },
  spec: { replicas: 3, ...spec },
  status: {
    observedGeneration: 2,
    readyReplicas: 3,
    updatedReplicas: 3,
    currentReplicas: 3,
    currentRevision: 'db-1',
    updateRevision: 'db-1',
    ...status,
  },
});

describe('kubectl rollout status for StatefulSets', () => {
  it.each([
    [
      'OnDelete',
      { updateStrategy: { type: 'OnDelete' } },
      {},
      'Unknown',
      'rollout status is only available for RollingUpdate strategy type',
    ],
    [
      'not observed',
      {},
      { observedGeneration: 1 },
      'Progressing',
      'Waiting for statefulset spec update to be observed...',
    ],
    [
      'never observed',
      {},
      { observedGeneration: 0 },
      'Progressing',
      'Waiting for statefulset spec update to be observed...',
    ],
    [
      'pods not ready',
      {},
      { readyReplicas: 1 },
      'Progressing',
      'Waiting for 2 pods to be ready...',
    ],
    [
      'partition not reached',
      {
        updateStrategy: {
          type: 'RollingUpdate',
          rollingUpdate: { partition: 1 },
        },
      },
      { updatedReplicas: 1 },
      'Progressing',
      'Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated...',
    ],
    [
      'partition reached',
      {
        updateStrategy: {
          type: 'RollingUpdate',
          rollingUpdate: { partition: 1 },
        },
      },
      { updatedReplicas: 2 },
      'Healthy',
      'partitioned roll out complete: 2 new pods have been updated...',
    ],
    [
      'revisions differ',
      {},
      { updateRevision: 'db-2', updatedReplicas: 1 },
      'Progressing',
      'waiting for statefulset rolling update to complete 1 pods at revision db-2...',
    ],
    [
      'complete',
      {},
      {},
      'Healthy',
      'statefulset rolling update complete 3 pods at revision db-1...',
    ],
  ])('%s', (_, spec, status, phase, message) => {
    expect(statefulSetRolloutStatus(sts(spec, status))).toEqual({
      phase,
      message,
    });
  });
});

describe('rule E: Flagger phases', () => {
  it.each([
    ['Initialized', 'Healthy'],
    ['Succeeded', 'Healthy'],
    ['Initializing', 'Progressing'],
    ['Progressing', 'Progressing'],
    ['Promoting', 'Progressing'],
    ['Finalising', 'Progressing'],
    ['Waiting', 'Paused'],
    ['WaitingPromotion', 'Paused'],
    ['Failed', 'Degraded'],
    ['Terminating', 'Unknown'],
    ['Terminated', 'Unknown'],
  ])('%s is %s', (flagger, phase) => {
    expect(FLAGGER_PHASES[flagger]).toBe(phase);
    const c: KubeObject = {
      kind: 'Canary',
      metadata: { name: 'triage', namespace: 't' },
      spec: {},
      status: { phase: flagger },
    };
    expect(deriveFlaggerCanary(c).phase).toBe(phase);
  });

  it('the demo canary: weight, steps of stepWeight up to maxWeight, failed checks, primary and canary pods', () => {
    const c: KubeObject = {
      kind: 'Canary',
      metadata: { name: 'triage', namespace: 't' },
      spec: {
        targetRef: { name: 'triage' },
        analysis: { stepWeight: 10, maxWeight: 50, threshold: 5 },
      },
      status: {
        phase: 'Progressing',
        canaryWeight: 20,
        failedChecks: 1,
        lastTransitionTime: 't1',
      },
    };
    const deployments: KubeObject[] = [
      {
        kind: 'Deployment',
        metadata: { name: 'triage' },
        spec: {
          template: {
            spec: { containers: [{ name: 'app', image: 'triage:1.0.0' }] },
          },
        },
        status: { replicas: 1, readyReplicas: 1, availableReplicas: 1 },
      },
      {
        kind: 'Deployment',
        metadata: { name: 'triage-primary' },
        status: { replicas: 2, readyReplicas: 2, availableReplicas: 2 },
      },
    ];
    expect(deriveFlaggerCanary(c, { deployments })).toMatchObject({
      phase: 'Progressing',
      strategy: 'flagger',
      step: { index: 2, total: 5 },
      weights: { set: 20, actual: 20 },
      images: ['app=triage:1.0.0'],
      message:
        'Progressing: shifting traffic to the canary while the analysis passes at weight 20%, 1 of 5 failed checks',
      pods: [
        { role: 'primary', replicas: 2 },
        { role: 'canary', replicas: 1 },
      ],
      lastTransition: 't1',
    });
  });

  it('WaitingPromotion waits for a person', () => {
    const c: KubeObject = {
      kind: 'Canary',
      metadata: { name: 'x' },
      status: { phase: 'WaitingPromotion', lastTransitionTime: 't' },
    };
    expect(deriveFlaggerCanary(c)).toMatchObject({
      pause: { reason: 'WaitingPromotion', since: 't', needsHuman: true },
      waitingForHuman: true,
    });
  });
});
