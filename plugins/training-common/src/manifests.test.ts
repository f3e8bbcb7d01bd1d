import { buildRunManifest, runObjectName } from './manifests';
import { context, request } from './testFixtures';
import { RunPlan, validateLaunch } from './validate';
import type { LaunchRequest } from './contract';

const id = {
  runId: 'run-1',
  objectName: 'triage-ft-0a1b2c',
  launchedBy: 'user:default/li.wei',
};

function plan(change: Partial<LaunchRequest> = {}): RunPlan {
  const ctx = {
    ...context,
    clusters: context.clusters.map(c => ({ ...c, kinds: undefined })),
  };
  const r = validateLaunch({ ...request, ...change }, ctx);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.plan;
}

const metadata = (_kind: string) => ({
  name: 'triage-ft-0a1b2c',
  namespace: 'ml-platform',
  labels: {
    'backstage.io/kubernetes-id': 'triage-model-training',
    'careplane.io/training-run': 'run-1',
    'kueue.x-k8s.io/queue-name': 'ml-platform',
  },
  annotations: { 'careplane.io/launched-by': 'user:default/li.wei' },
});
const env = [
  { name: 'BATCH_SIZE', value: '64' },
  { name: 'LEARNING_RATE', value: '0.0003' },
  {
    name: 'HF_TOKEN',
    valueFrom: { secretKeyRef: { name: 'hf-token', key: 'token' } },
  },
];
const resources = {
  requests: { cpu: '16', memory: '128Gi', 'nvidia.com/gpu': '2' },
  limits: { memory: '128Gi', 'nvidia.com/gpu': '2' },
};
const mounts = [
  { name: 'dataset', mountPath: '/data', readOnly: true },
  { name: 'output', mountPath: '/output' },
];
const volumes = [
  {
    name: 'dataset',
    persistentVolumeClaim: { claimName: 'triage-dataset', readOnly: true },
  },
  {
    name: 'output',
    persistentVolumeClaim: { claimName: 'triage-checkpoints' },
  },
];
const podLabels = {
  'backstage.io/kubernetes-id': 'triage-model-training',
  'careplane.io/training-run': 'run-1',
};
const placement = {
  nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB' },
  tolerations: [
    { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
  ],
};
const podSecurity = {
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
};
const containerSecurity = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
};
const image = 'registry.northwind-health.example/ml/triage-llm-train:2026.04.1';

const podTemplate = (container: string) => ({
  metadata: { labels: podLabels },
  spec: {
    restartPolicy: 'Never',
    ...placement,
    securityContext: podSecurity,
    containers: [
      {
        name: container,
        image,
        command: ['torchrun', 'train.py'],
        args: ['--epochs=3'],
        env,
        resources,
        volumeMounts: mounts,
        securityContext: containerSecurity,
      },
    ],
    volumes,
  },
});

describe('buildRunManifest', () => {
  it('names the object after the run and the idempotency key', () => {
    expect(runObjectName('triage-ft', 'launch-0001')).toMatch(
      /^triage-ft-[0-9a-f]{6}$/,
    );
    expect(runObjectName('triage-ft', 'launch-0001')).toBe(
      runObjectName('triage-ft', 'launch-0001'),
    );
    expect(runObjectName('triage-ft', 'launch-0002')).not.toBe(
      runObjectName('triage-ft', 'launch-0001'),
    );
  });

  it('builds a batch/v1 Job, suspended for Kueue', () => {
    expect(buildRunManifest(plan(), id)).toEqual({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: metadata('Job'),
      spec: {
        suspend: true,
        parallelism: 1,
        completions: 1,
        backoffLimit: 0,
        activeDeadlineSeconds: 7200,
        template: podTemplate('trainer'),
      },
    });
  });

  it('builds an Indexed Job over several nodes, not suspended without a queue', () => {
    const p = { ...plan({ nodes: 2 }), queue: undefined };
    const m = buildRunManifest(p, id);
    expect(m.metadata.labels).toEqual(podLabels);
    expect(m.spec).toEqual({
      parallelism: 2,
      completions: 2,
      completionMode: 'Indexed',
      backoffLimit: 0,
      activeDeadlineSeconds: 7200,
      template: podTemplate('trainer'),
    });
  });

  it('builds a Kubeflow TrainJob with placement in runtimePatches', () => {
    expect(
      buildRunManifest(plan({ runtime: 'trainjob', nodes: 2 }), id),
    ).toEqual({
      apiVersion: 'trainer.kubeflow.org/v1alpha1',
      kind: 'TrainJob',
      metadata: metadata('TrainJob'),
      spec: {
        suspend: true,
        runtimeRef: {
          name: 'torch-distributed',
          apiGroup: 'trainer.kubeflow.org',
          kind: 'ClusterTrainingRuntime',
        },
        activeDeadlineSeconds: 7200,
        trainer: {
          image,
          command: ['torchrun', 'train.py'],
          args: ['--epochs=3'],
          env,
          numNodes: 2,
          resourcesPerNode: resources,
        },
        runtimePatches: [
          {
            manager: 'careplane.io/training',
            trainingRuntimeSpec: {
              template: {
                spec: {
                  replicatedJobs: [
                    {
                      name: 'node',
                      template: {
                        spec: {
                          template: {
                            metadata: { labels: podLabels },
                            spec: {
                              ...placement,
                              securityContext: podSecurity,
                              containers: [
                                {
                                  name: 'node',
                                  volumeMounts: mounts,
                                  securityContext: containerSecurity,
                                },
                              ],
                              volumes,
                            },
                          },
                        },
                      },
                    },
                  ],
                },
              },
            },
          },
        ],
      },
    });
  });

  it('builds a PyTorchJob with a Master and Workers', () => {
    const replica = (replicas: number) => ({
      replicas,
      restartPolicy: 'Never',
      template: podTemplate('pytorch'),
    });
    expect(
      buildRunManifest(plan({ runtime: 'pytorchjob', nodes: 3 }), id),
    ).toEqual({
      apiVersion: 'kubeflow.org/v1',
      kind: 'PyTorchJob',
      metadata: metadata('PyTorchJob'),
      spec: {
        runPolicy: {
          suspend: true,
          backoffLimit: 0,
          activeDeadlineSeconds: 7200,
          cleanPodPolicy: 'None',
        },
        pytorchReplicaSpecs: { Master: replica(1), Worker: replica(2) },
      },
    });
  });

  it('requests the MIG slice resource', () => {
    const m = buildRunManifest(
      plan({
        gpu: { type: 'nvidia-a100-80gb', count: 1, migProfile: '1g.10gb' },
      }),
      id,
    );
    expect(m.spec.template.spec.containers[0].resources).toEqual({
      requests: { cpu: '16', memory: '128Gi', 'nvidia.com/mig-1g.10gb': '1' },
      limits: { memory: '128Gi', 'nvidia.com/mig-1g.10gb': '1' },
    });
  });
});
