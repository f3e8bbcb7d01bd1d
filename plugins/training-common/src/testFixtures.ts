import type { GpuType, LaunchRequest } from './contract';
import type { LaunchContext } from './validate';

/** A100 as the demo config has it. @internal */
export const a100: GpuType = {
  name: 'nvidia-a100-80gb',
  title: 'NVIDIA A100 80GB',
  resourceName: 'nvidia.com/gpu',
  nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB' },
  tolerations: [
    { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
  ],
  pricePerGpuHour: 3.5,
  maxPerRun: 8,
  migProfiles: [
    {
      name: '1g.10gb',
      resourceName: 'nvidia.com/mig-1g.10gb',
      pricePerHour: 0.5,
    },
  ],
  clusters: ['gpu-research'],
};

/** @internal */
export const context: LaunchContext = {
  gpuTypes: [a100],
  clusters: [
    {
      name: 'gpu-research',
      phi: false,
      kinds: [
        {
          kind: 'TrainJob',
          apiVersion: 'trainer.kubeflow.org/v1alpha1',
          status: 'installed',
        },
        {
          kind: 'PyTorchJob',
          apiVersion: 'kubeflow.org/v1',
          status: 'not-installed',
        },
        {
          kind: 'Workload',
          apiVersion: 'kueue.x-k8s.io/v1beta2',
          status: 'installed',
        },
      ],
    },
    { name: 'cloud-east', phi: true },
  ],
  entity: {
    metadata: {
      annotations: {
        'backstage.io/kubernetes-id': 'triage-model-training',
        'careplane.io/training-queue': 'ml-platform/ml-platform',
        'careplane.io/data-classification': 'internal',
      },
    },
  },
};

/** @internal */
export const request: LaunchRequest = {
  idempotencyKey: 'launch-0001',
  entityRef: 'component:default/triage-model-training',
  name: 'triage-ft',
  cluster: 'gpu-research',
  image: 'registry.northwind-health.example/ml/triage-llm-train:2026.04.1',
  command: ['torchrun', 'train.py'],
  args: ['--epochs=3'],
  gpu: { type: 'nvidia-a100-80gb', count: 2 },
  cpu: '16',
  memory: '128Gi',
  datasetPvc: 'triage-dataset',
  outputPvc: 'triage-checkpoints',
  hyperParameters: { LEARNING_RATE: '0.0003', BATCH_SIZE: '64' },
  secretEnv: [{ name: 'HF_TOKEN', secretName: 'hf-token', key: 'token' }],
  maxRuntimeMinutes: 120,
};
