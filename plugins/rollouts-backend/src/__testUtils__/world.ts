/*
 * A small world for the unit tests: four entities, their releases on one cluster, metrics by
 * query, and a policy like Careplane's (entity permissions for owners and admins, reads open).
 */
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  KubeObject,
  ObjectEnvelope,
} from '@careplane/plugin-clusters-common';
import { clustersServiceRef } from '@careplane/plugin-clusters-node';
import { clustersServiceMock } from '@careplane/plugin-clusters-node/testUtils';

export const JORDAN = 'user:default/jordan.lee'; // owner
export const KENJI = 'user:default/kenji.watanabe'; // not an owner
export const PRIYA = 'user:default/priya.shah'; // admin
export const CLUSTER = 'cloud-east';

const ID = 'backstage.io/kubernetes-id';

export const entities = [
  ['video-consultation', 'availability=99.95,latency-p99=300ms'],
  ['session-service', 'availability=99.9'],
  ['triage-assistant', 'availability=99.5'],
  ['scheduling', 'availability=ninety'],
].map(([name, slo]) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { [ID]: name, 'careplane.io/slo': slo },
  },
  spec: {
    type: 'service',
    owner: 'group:default/telehealth-video',
    lifecycle: 'production',
  },
}));

const steps = [
  { setWeight: 20 },
  { pause: {} },
  { setWeight: 50 },
  { pause: { duration: '5m' } },
];
const template = (image: string) => ({
  metadata: { labels: { app: 'x' } },
  spec: { containers: [{ name: 'app', image }] },
});

function envelope(
  kind: string,
  id: string,
  name: string,
  object: Omit<KubeObject, 'metadata'> & { metadata?: object },
): ObjectEnvelope {
  return {
    cluster: CLUSTER,
    kind,
    namespace: id,
    name,
    object: {
      ...object,
      kind,
      metadata: {
        name,
        namespace: id,
        uid: `${name}-uid`,
        generation: 2,
        labels: { [ID]: id },
        ...object.metadata,
      },
    } as KubeObject,
  };
}

const rs = (
  id: string,
  owner: string,
  kind: string,
  hash: string,
  rev: string,
  image: string,
  replicas: number,
) =>
  envelope('ReplicaSet', id, `${owner}-${hash}`, {
    metadata: {
      labels: {
        [ID]: id,
        'rollouts-pod-template-hash': hash,
        'pod-template-hash': hash,
      },
      annotations: {
        'rollout.argoproj.io/revision': rev,
        'deployment.kubernetes.io/revision': rev,
      },
      ownerReferences: [
        { apiVersion: 'x', kind, name: owner, uid: `${owner}-uid` },
      ],
    },
    spec: { template: template(image) },
    status: { replicas, readyReplicas: replicas, availableReplicas: replicas },
  });

export const objects: ObjectEnvelope[] = [
  envelope('Rollout', 'video-consultation', 'video-consultation', {
    spec: {
      replicas: 5,
      strategy: { canary: { steps } },
      template: template('video:2.4.0'),
    },
    status: {
      observedGeneration: '2',
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
  }),
  rs(
    'video-consultation',
    'video-consultation',
    'Rollout',
    'h1',
    '1',
    'video:2.3.1',
    5,
  ),
  rs(
    'video-consultation',
    'video-consultation',
    'Rollout',
    'h2',
    '2',
    'video:2.4.0',
    1,
  ),
  envelope('Rollout', 'video-consultation', 'video-aborted', {
    spec: {
      replicas: 2,
      strategy: { canary: { steps } },
      template: template('video:9'),
    },
    status: {
      observedGeneration: '2',
      phase: 'Degraded',
      message: 'RolloutAborted: Rollout aborted update to revision 2',
      abort: true,
      currentPodHash: 'a2',
      stableRS: 'a1',
      conditions: [
        {
          type: 'Progressing',
          reason: 'RolloutAborted',
          lastTransitionTime: '2026-03-01T09:00:00Z',
        },
      ],
    },
  }),
  envelope('Rollout', 'session-service', 'session-service', {
    spec: {
      replicas: 3,
      strategy: { blueGreen: { autoPromotionEnabled: false } },
      template: template('session:3.1.0'),
    },
    status: {
      observedGeneration: '2',
      phase: 'Paused',
      message: 'BlueGreenPause',
      currentPodHash: 's2',
      stableRS: 's1',
      controllerPause: true,
      pauseConditions: [
        { reason: 'BlueGreenPause', startTime: '2026-03-01T09:03:00Z' },
      ],
      blueGreen: { activeSelector: 's1', previewSelector: 's2' },
    },
  }),
  envelope('Canary', 'triage-assistant', 'triage-assistant', {
    spec: {
      targetRef: { name: 'triage-assistant' },
      analysis: { stepWeight: 10, maxWeight: 50 },
    },
    status: {
      phase: 'Progressing',
      canaryWeight: 20,
      lastTransitionTime: '2026-03-01T09:05:00Z',
    },
  }),
  envelope('Deployment', 'triage-assistant', 'triage-assistant', {
    spec: { replicas: 2, template: template('triage:1.0.0') },
    status: { observedGeneration: 2, replicas: 1, updatedReplicas: 1 },
  }),
  envelope('Deployment', 'triage-assistant', 'triage-assistant-primary', {
    spec: { replicas: 2, template: template('triage:0.9.0') },
    status: {
      observedGeneration: 2,
      replicas: 2,
      updatedReplicas: 2,
      availableReplicas: 2,
    },
  }),
  envelope('Deployment', 'scheduling', 'scheduling', {
    metadata: { annotations: { 'deployment.kubernetes.io/revision': '2' } },
    spec: { replicas: 3, template: template('scheduling:5.3.0') },
    status: {
      observedGeneration: 2,
      replicas: 3,
      updatedReplicas: 3,
      availableReplicas: 3,
    },
  }),
  rs(
    'scheduling',
    'scheduling',
    'Deployment',
    'p1',
    '1',
    'scheduling:5.2.0',
    0,
  ),
  rs(
    'scheduling',
    'scheduling',
    'Deployment',
    'p2',
    '2',
    'scheduling:5.3.0',
    3,
  ),
];

/** Error ratios by service: session-service has spent its budget, triage-assistant has no series. */
const RATIOS: Record<string, string> = {
  'video-consultation': '0.0002',
  'session-service': '0.0025',
};

export function fakeClusters() {
  const fake = clustersServiceMock({
    clusters: [CLUSTER, 'cloud-west'],
    objects,
    entities: Object.fromEntries(
      entities.map(e => [`component:default/${e.metadata.name}`, e]),
    ),
    metrics: {
      [CLUSTER]: request => {
        const id = /service="([^"]+)"/.exec(request.query)?.[1] ?? '';
        return RATIOS[id]
          ? [{ metric: { cluster: CLUSTER }, value: [1764460800, RATIOS[id]] }]
          : [];
      },
    },
  });
  const patch = jest.spyOn(fake, 'patch');
  const factory = createServiceFactory({
    service: clustersServiceRef,
    deps: {},
    factory: () => fake,
  });
  return { fake, patch, factory };
}

/** Careplane's policy in miniature: reads open; entity permissions for Jordan (owner) and Priya (admin). */
export const policy = mockServices.permissions.mock({
  async authorize(requests, options) {
    const user = (options.credentials.principal as { userEntityRef?: string })
      .userEntityRef;
    return requests.map(r => ({
      result:
        r.permission.attributes.action === 'read' ||
        user === JORDAN ||
        user === PRIYA
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
    }));
  },
});
