/* Fixtures of the Rollouts tab tests: the demo's paused canary, fake APIs and a render helper. */
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  permissionApiRef,
  type PermissionApi,
} from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Entity } from '@backstage/catalog-model';
import type {
  ClustersStreamEvent,
  ObjectEnvelope,
  ObjectsResponse,
} from '@careplane/plugin-clusters-common';
import { ClustersApi, clustersApiRef } from '@careplane/plugin-clusters-react';
import type { GateResponse } from '@careplane/plugin-rollouts-common';
import { act } from '@testing-library/react';
import { RolloutsApi, rolloutsApiRef } from '../api/RolloutsApi';
import { EntityRolloutsContent } from '../components/EntityRollouts/EntityRolloutsContent';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'video-consultation',
    annotations: { 'backstage.io/kubernetes-id': 'video-consultation' },
  },
  spec: { type: 'service', owner: 'telehealth-video', lifecycle: 'production' },
};

const steps = [
  { setWeight: 20 },
  { pause: {} },
  { setWeight: 50 },
  { pause: { duration: '5m' } },
  { setWeight: 80 },
  { pause: { duration: '5m' } },
];

export function rollout(rv: string, status: object): ObjectEnvelope {
  return {
    cluster: 'cloud-east',
    kind: 'Rollout',
    namespace: 'video-consultation',
    name: 'video-consultation',
    uid: 'ro',
    resourceVersion: rv,
    object: {
      metadata: {
        name: 'video-consultation',
        namespace: 'video-consultation',
        uid: 'ro',
        generation: 2,
      },
      spec: {
        replicas: 5,
        strategy: { canary: { steps } },
        template: {
          spec: { containers: [{ name: 'app', image: 'video:2.4.0' }] },
        },
      },
      status: {
        observedGeneration: '2',
        currentPodHash: 'h2',
        stableRS: 'h1',
        ...status,
      },
    },
  };
}

export const paused = rollout('10', {
  phase: 'Paused',
  message: 'CanaryPauseStep',
  currentStepIndex: 1,
  controllerPause: true,
  pauseConditions: [
    {
      reason: 'CanaryPauseStep',
      startTime: new Date(Date.now() - 4 * 60_000).toISOString(),
    },
  ],
});

export const snapshot: ObjectsResponse = {
  selector: { labelSelector: 'backstage.io/kubernetes-id=video-consultation' },
  clusters: [
    {
      cluster: 'cloud-east',
      status: 'ok',
      kinds: [{ kind: 'Rollout', status: 'ok' }],
      items: [paused],
    },
    {
      cluster: 'legacy-onprem',
      status: 'not-installed',
      kinds: [{ kind: 'Rollout', status: 'not-installed' }],
      items: [],
    },
  ],
};

const gate: GateResponse = {
  entityRef: 'component:default/video-consultation',
  slo: { availability: 0.9995, windowDays: 30 },
  clusters: [
    {
      cluster: 'cloud-east',
      decision: 'pass',
      reason: 'budget 20.0 % left; no fast burn',
      remaining: 0.2,
      pairs: [],
      errorRatios: [],
    },
  ],
};

export function apis(allow: boolean, first: ObjectsResponse = snapshot) {
  let listener: (e: ClustersStreamEvent) => void = () => {};
  const clusters: Partial<ClustersApi> = {
    getEntityObjects: jest.fn().mockResolvedValue(first),
    watch: jest.fn((_r, l) => {
      listener = l;
      return { unsubscribe: jest.fn() };
    }),
    onConnectionState: jest.fn(l => {
      l({ status: 'live', since: new Date().toISOString() });
      return () => {};
    }),
  };
  const rollouts: Partial<RolloutsApi> = {
    getGate: jest.fn().mockResolvedValue(gate),
    runAction: jest
      .fn()
      .mockResolvedValue({ overridden: false, warnings: [], patches: [] }),
  };
  const permission: PermissionApi = mockApis.permission({
    authorize: allow ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
  });
  return {
    clusters,
    rollouts,
    emit: (e: ClustersStreamEvent) => act(() => listener(e)),
    list: [
      [clustersApiRef, clusters],
      [rolloutsApiRef, rollouts],
      [permissionApiRef, permission],
    ] as const,
  };
}

export async function render(a: ReturnType<typeof apis>) {
  return renderInTestApp(
    <EntityProvider entity={entity}>
      <EntityRolloutsContent />
    </EntityProvider>,
    { apis: a.list },
  );
}
