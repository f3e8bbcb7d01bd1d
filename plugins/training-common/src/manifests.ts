import { LABEL_KUBERNETES_ID } from '@careplane/plugin-clusters-common';
import type { KubeObject } from '@careplane/plugin-clusters-common';
import {
  ANNOTATION_LAUNCHED_BY,
  LABEL_KUEUE_QUEUE_NAME,
  LABEL_TRAINING_RUN,
} from './annotations';
import type { RunPlan } from './validate';

/**
 * Who and what a manifest is for, besides the plan.
 * @public
 */
export interface ManifestIdentity {
  runId: string;
  /** Name of the run's object (see {@link runObjectName}). */
  objectName: string;
  /** User entity ref of whoever launched the run. */
  launchedBy: string;
}

/**
 * The Kubeflow Trainer v2 runtime TrainJobs refer to.
 * @public
 */
export const DEFAULT_TRAINING_RUNTIME = 'torch-distributed';

/** FNV-1a, 32 bit: a short stable hash that needs no crypto (also runs in the browser). */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * The object name of a run: its name and six hex characters of the idempotency key, so a retried
 * launch names the same object (and the API server, too, refuses a second one).
 * @public
 */
export function runObjectName(name: string, idempotencyKey: string): string {
  return `${name}-${fnv1a(idempotencyKey)
    .toString(16)
    .padStart(8, '0')
    .slice(0, 6)}`;
}

/** Kind of the object each runtime creates. */
export const RUNTIME_OBJECT_KIND = {
  job: 'Job',
  trainjob: 'TrainJob',
  pytorchjob: 'PyTorchJob',
} as const;

function env(plan: RunPlan) {
  return [
    ...Object.keys(plan.hyperParameters)
      .sort()
      .map(name => ({ name, value: plan.hyperParameters[name] })),
    ...plan.secretEnv.map(s => ({
      name: s.name,
      valueFrom: { secretKeyRef: { name: s.secretName, key: s.key } },
    })),
  ];
}

function resources(plan: RunPlan) {
  return {
    requests: {
      cpu: plan.cpu,
      memory: plan.memory,
      [plan.gpuResource]: String(plan.gpusPerNode),
    },
    limits: {
      memory: plan.memory,
      [plan.gpuResource]: String(plan.gpusPerNode),
    },
  };
}

function volumes(plan: RunPlan) {
  const v: any[] = [];
  const mounts: any[] = [];
  if (plan.datasetPvc) {
    v.push({
      name: 'dataset',
      persistentVolumeClaim: { claimName: plan.datasetPvc, readOnly: true },
    });
    mounts.push({ name: 'dataset', mountPath: '/data', readOnly: true });
  }
  if (plan.outputPvc) {
    v.push({
      name: 'output',
      persistentVolumeClaim: { claimName: plan.outputPvc },
    });
    mounts.push({ name: 'output', mountPath: '/output' });
  }
  return { volumes: v, mounts };
}

const POD_SECURITY = {
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
};
const CONTAINER_SECURITY = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
};

function metadata(plan: RunPlan, id: ManifestIdentity) {
  return {
    name: id.objectName,
    namespace: plan.namespace,
    labels: {
      [LABEL_KUBERNETES_ID]: plan.kubernetesId,
      [LABEL_TRAINING_RUN]: id.runId,
      ...(plan.queue ? { [LABEL_KUEUE_QUEUE_NAME]: plan.queue } : {}),
    },
    annotations: { [ANNOTATION_LAUNCHED_BY]: id.launchedBy },
  };
}

function podLabels(plan: RunPlan, id: ManifestIdentity) {
  return {
    [LABEL_KUBERNETES_ID]: plan.kubernetesId,
    [LABEL_TRAINING_RUN]: id.runId,
  };
}

/** The pod template of a Job or a PyTorchJob replica. */
function podTemplate(
  plan: RunPlan,
  id: ManifestIdentity,
  containerName: string,
) {
  const { volumes: vols, mounts } = volumes(plan);
  return {
    metadata: { labels: podLabels(plan, id) },
    spec: {
      restartPolicy: 'Never',
      ...(Object.keys(plan.gpuType.nodeSelector).length
        ? { nodeSelector: { ...plan.gpuType.nodeSelector } }
        : {}),
      ...(plan.gpuType.tolerations.length
        ? { tolerations: plan.gpuType.tolerations.map(t => ({ ...t })) }
        : {}),
      securityContext: POD_SECURITY,
      containers: [
        {
          name: containerName,
          image: plan.image,
          ...(plan.command.length ? { command: [...plan.command] } : {}),
          ...(plan.args.length ? { args: [...plan.args] } : {}),
          ...(env(plan).length ? { env: env(plan) } : {}),
          resources: resources(plan),
          ...(mounts.length ? { volumeMounts: mounts } : {}),
          securityContext: CONTAINER_SECURITY,
        },
      ],
      ...(vols.length ? { volumes: vols } : {}),
    },
  };
}

/** batch/v1 Job: one pod per node (Indexed when more than one), no retries, a deadline. */
function jobManifest(plan: RunPlan, id: ManifestIdentity): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: metadata(plan, id),
    spec: {
      // Kueue admits a queued Job by resuming it; without a queue it starts at once
      ...(plan.queue ? { suspend: true } : {}),
      parallelism: plan.nodes,
      completions: plan.nodes,
      ...(plan.nodes > 1 ? { completionMode: 'Indexed' } : {}),
      backoffLimit: 0,
      activeDeadlineSeconds: plan.maxRuntimeMinutes * 60,
      template: podTemplate(plan, id, 'trainer'),
    },
  };
}

/**
 * Kubeflow Trainer v2 TrainJob (v2.2+: pod placement through `runtimePatches`, with manager
 * `careplane.io/training`; Kueue adds its own entry on admission).
 */
function trainJobManifest(plan: RunPlan, id: ManifestIdentity): KubeObject {
  const { volumes: vols, mounts } = volumes(plan);
  return {
    apiVersion: 'trainer.kubeflow.org/v1alpha1',
    kind: 'TrainJob',
    metadata: metadata(plan, id),
    spec: {
      ...(plan.queue ? { suspend: true } : {}),
      runtimeRef: {
        name: DEFAULT_TRAINING_RUNTIME,
        apiGroup: 'trainer.kubeflow.org',
        kind: 'ClusterTrainingRuntime',
      },
      activeDeadlineSeconds: plan.maxRuntimeMinutes * 60,
      trainer: {
        image: plan.image,
        ...(plan.command.length ? { command: [...plan.command] } : {}),
        ...(plan.args.length ? { args: [...plan.args] } : {}),
        ...(env(plan).length ? { env: env(plan) } : {}),
        numNodes: plan.nodes,
        resourcesPerNode: resources(plan),
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
                          metadata: { labels: podLabels(plan, id) },
                          spec: {
                            ...(Object.keys(plan.gpuType.nodeSelector).length
                              ? {
                                  nodeSelector: {
                                    ...plan.gpuType.nodeSelector,
                                  },
                                }
                              : {}),
                            ...(plan.gpuType.tolerations.length
                              ? {
                                  tolerations: plan.gpuType.tolerations.map(
                                    t => ({ ...t }),
                                  ),
                                }
                              : {}),
                            securityContext: POD_SECURITY,
                            containers: [
                              {
                                name: 'node',
                                ...(mounts.length
                                  ? { volumeMounts: mounts }
                                  : {}),
                                securityContext: CONTAINER_SECURITY,
                              },
                            ],
                            ...(vols.length ? { volumes: vols } : {}),
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
  };
}

/** Training Operator v1 PyTorchJob: one Master and `nodes - 1` Workers; container `pytorch`. */
function pyTorchJobManifest(plan: RunPlan, id: ManifestIdentity): KubeObject {
  const replica = (replicas: number) => ({
    replicas,
    restartPolicy: 'Never',
    template: podTemplate(plan, id, 'pytorch'),
  });
  return {
    apiVersion: 'kubeflow.org/v1',
    kind: 'PyTorchJob',
    metadata: metadata(plan, id),
    spec: {
      runPolicy: {
        ...(plan.queue ? { suspend: true } : {}),
        backoffLimit: 0,
        activeDeadlineSeconds: plan.maxRuntimeMinutes * 60,
        cleanPodPolicy: 'None',
      },
      pytorchReplicaSpecs: {
        Master: replica(1),
        ...(plan.nodes > 1 ? { Worker: replica(plan.nodes - 1) } : {}),
      },
    },
  };
}

/**
 * The manifest of a run for its runtime: labels for the owning entity (the gateway's write scope),
 * the run and the Kueue queue; the GPU type's node selector and tolerations; requests and limits;
 * volumes; hyper-parameters as env and secrets by reference; the deadline.
 * @public
 */
export function buildRunManifest(
  plan: RunPlan,
  id: ManifestIdentity,
): KubeObject {
  switch (plan.runtime) {
    case 'trainjob':
      return trainJobManifest(plan, id);
    case 'pytorchjob':
      return pyTorchJobManifest(plan, id);
    default:
      return jobManifest(plan, id);
  }
}
