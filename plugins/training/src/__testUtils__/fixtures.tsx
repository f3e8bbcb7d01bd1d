/* Fixtures of the training component tests: a run in each state, fake APIs, a render helper. */
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  PermissionApi,
  permissionApiRef,
} from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Entity } from '@backstage/catalog-model';
import type { ClusterInfo } from '@careplane/plugin-clusters-common';
import { ClustersApi, clustersApiRef } from '@careplane/plugin-clusters-react';
import type {
  GpuTypesResponse,
  Run,
  RunGpuMetrics,
} from '@careplane/plugin-training-common';
import type { ReactElement } from 'react';
import { TrainingApi, trainingApiRef } from '../api/TrainingApi';

export const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'triage-model-training',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': 'triage-model-training',
      'careplane.io/training-queue': 'ml-platform/ml-platform',
      'careplane.io/data-classification': 'internal',
    },
  },
  spec: { type: 'ml-pipeline', owner: 'ml-platform', lifecycle: 'production' },
};

export const gpuTypes: GpuTypesResponse = {
  currency: 'USD',
  items: [
    {
      name: 'nvidia-a100-80gb',
      title: 'NVIDIA A100 80GB',
      resourceName: 'nvidia.com/gpu',
      nodeSelector: {},
      tolerations: [],
      pricePerGpuHour: 3.67,
      maxPerRun: 8,
      migProfiles: [
        {
          name: '1g.10gb',
          resourceName: 'nvidia.com/mig-1g.10gb',
          pricePerHour: 0.52,
        },
      ],
      clusters: ['gpu-research'],
    },
  ],
};

const info = (name: string, gpu: string): ClusterInfo => ({
  name,
  source: 'config',
  phi: false,
  gpu,
  labels: { gpu },
  health: { status: 'healthy', circuit: 'closed' },
  stats: {
    informers: 0,
    objects: 0,
    approxBytes: 0,
    requests: {},
    throttled: 0,
  },
});

export const clusterInfos = [
  info('gpu-research', 'nvidia-a100-80gb'),
  info('cloud-east', 'none'),
];

const t0 = Date.now() - 3 * 3600_000;
const at = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();

export function run(extra: Partial<Run> = {}): Run {
  return {
    id: '11111111-2222-4333-8444-555555555555',
    name: 'triage-ft',
    entityRef: 'component:default/triage-model-training',
    team: 'group:default/ml-platform',
    createdBy: 'user:default/li.wei',
    createdAt: at(0),
    cluster: 'gpu-research',
    namespace: 'ml-platform',
    kind: 'Job',
    objectName: 'triage-ft-0a1b2c',
    parameters: {
      runtime: 'job',
      image: 'registry.northwind-health.example/ml/triage-llm-train:2026.04.1',
      command: ['torchrun', 'train.py'],
      args: [],
      gpuType: 'nvidia-a100-80gb',
      gpuResource: 'nvidia.com/gpu',
      gpusPerNode: 2,
      nodes: 1,
      cpu: '16',
      memory: '128Gi',
      hyperParameters: { LEARNING_RATE: '0.0003' },
      secretEnv: [{ name: 'HF_TOKEN', secretName: 'hf-token', key: 'token' }],
      maxRuntimeMinutes: 240,
      queue: 'ml-platform',
      pricePerGpuHour: 3.67,
    },
    state: {
      phase: 'running',
      message: 'Running',
      readyPods: 1,
      expectedPods: 1,
    },
    stateChangedAt: at(30),
    history: [
      {
        phase: 'submitted',
        message: 'Submitted: waiting for the cluster to report the object',
        at: at(0),
      },
      {
        phase: 'queued',
        reason: 'WaitingForQuota',
        position: 2,
        message:
          "Queued (WaitingForQuota, position 2): couldn't assign flavors to pod set main: insufficient unused quota for nvidia.com/gpu in flavor a100-80gb, 2 more needed",
        at: at(1),
      },
      {
        phase: 'starting',
        detail: 'image-pull',
        message: 'Starting: pulling the image and creating containers',
        at: at(25),
      },
      { phase: 'running', message: 'Running', at: at(30) },
    ],
    startedAt: at(30),
    totalGpus: 2,
    gpuHours: 5,
    cost: 18.35,
    ...extra,
  };
}

export const idleMetrics: RunGpuMetrics = {
  status: 'ok',
  utilisationMetric: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
  points: [
    { t: 1, utilisation: 0.03, memoryMiB: 30000 },
    { t: 61, utilisation: 0.02, memoryMiB: 30000 },
  ],
  idle: {
    idle: true,
    message:
      'GPUs idle: utilisation stayed below 10 % (at most 3 %) for the last 15 minutes; check the data loader or cancel the run to free the GPUs',
  },
};

export function apis(options: { allow?: boolean; runs?: Run[] } = {}) {
  const training: jest.Mocked<TrainingApi> = {
    gpuTypes: jest.fn().mockResolvedValue(gpuTypes),
    listRuns: jest.fn().mockResolvedValue({ items: options.runs ?? [run()] }),
    launch: jest
      .fn()
      .mockImplementation(async () => ({ run: run(), created: true })),
    getRun: jest.fn().mockResolvedValue(run()),
    cancel: jest.fn().mockResolvedValue(
      run({
        state: {
          phase: 'cancelled',
          reason: 'Cancelled',
          message: 'Cancelled by user:default/li.wei: wrong lr',
        },
        cancelledBy: 'user:default/li.wei',
        cancelReason: 'wrong lr',
      }),
    ),
    pods: jest.fn().mockResolvedValue([
      {
        name: 'triage-ft-0a1b2c-x7k2p',
        phase: 'Running',
        containers: ['trainer'],
        restarts: 0,
      },
    ]),
    logs: jest.fn().mockResolvedValue('epoch 1 step 100 loss 0.4213\n'),
    gpu: jest.fn().mockResolvedValue(idleMetrics),
    quota: jest.fn().mockResolvedValue({ items: [], unavailable: [] }),
    usage: jest.fn().mockResolvedValue({ items: [], currency: 'USD' }),
  };
  const clusters: Partial<ClustersApi> = {
    listClusters: jest.fn().mockResolvedValue(clusterInfos),
    getEntityObjects: jest
      .fn()
      .mockResolvedValue({ selector: { labelSelector: '' }, clusters: [] }),
    watch: jest.fn(() => ({ unsubscribe: jest.fn() })),
    onConnectionState: jest.fn(l => {
      l({ status: 'live', since: new Date().toISOString() });
      return () => {};
    }),
  };
  const permission: Partial<PermissionApi> = {
    authorize: async () => ({
      result:
        options.allow === false ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
    }),
  };
  return {
    training,
    list: [
      [trainingApiRef, training],
      [clustersApiRef, clusters],
      [catalogApiRef, catalogApiMock({ entities: [entity] })],
      [permissionApiRef, permission],
    ] as const,
  };
}

export function render(
  element: ReactElement,
  a: ReturnType<typeof apis>,
  path?: { mountPath: string; at: string },
) {
  return renderInTestApp(element, {
    apis: a.list,
    ...(path
      ? { mountPath: path.mountPath, initialRouteEntries: [path.at] }
      : {}),
  });
}
