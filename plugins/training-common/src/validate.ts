import {
  ANNOTATION_DATA_CLASSIFICATION,
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_NAMESPACE,
  ClusterKindAvailability,
} from '@careplane/plugin-clusters-common';
import { ANNOTATION_TRAINING_QUEUE, parseTrainingQueue } from './annotations';
import type { GpuType, LaunchRequest, TrainingRuntime } from './contract';
import { envValueProblems, isEnvName } from './env';
import { parseImageReference } from './image';

/**
 * A launch, validated and resolved: everything the manifest needs.
 * @public
 */
export interface RunPlan {
  name: string;
  entityRef: string;
  kubernetesId: string;
  cluster: string;
  namespace: string;
  queue?: string;
  runtime: TrainingRuntime;
  image: string;
  command: string[];
  args: string[];
  gpuType: GpuType;
  /** Extended resource requested per node (`nvidia.com/gpu` or a MIG slice). */
  gpuResource: string;
  gpusPerNode: number;
  migProfile?: string;
  pricePerGpuHour: number;
  nodes: number;
  cpu: string;
  memory: string;
  datasetPvc?: string;
  outputPvc?: string;
  hyperParameters: Record<string, string>;
  secretEnv: Array<{ name: string; secretName: string; key: string }>;
  maxRuntimeMinutes: number;
}

/**
 * One problem with a launch request: the field and what to fix.
 * @public
 */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * What validation needs to know besides the request.
 * @public
 */
export interface LaunchContext {
  gpuTypes: GpuType[];
  clusters: Array<{
    name: string;
    phi: boolean;
    kinds?: ClusterKindAvailability[];
  }>;
  entity: { metadata: { annotations?: Record<string, string> } };
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const CPU = /^(\d+(\.\d{1,3})?|\d+m)$/;
const MEMORY = /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$/;
const KEY = /^[A-Za-z0-9_-]{8,64}$/;
const MAX_NODES = 16;
const MAX_RUNTIME_MINUTES = 7 * 24 * 60;

/** The CRD a runtime needs, by optional kind name. */
const RUNTIME_KIND: Record<TrainingRuntime, string | undefined> = {
  job: undefined,
  trainjob: 'TrainJob',
  pytorchjob: 'PyTorchJob',
};

const dnsLabel = (v: string | undefined, max = 63) =>
  !!v && v.length <= max && DNS_LABEL.test(v);

/**
 * Validates a launch against the configured GPU types, the clusters and the owning entity, and
 * resolves defaults (runtime, queue and namespace from the entity's annotations). Pure: the same
 * function runs in the launch form (live validation) and on the server (the gate).
 * @public
 */
export function validateLaunch(
  request: LaunchRequest,
  context: LaunchContext,
): { ok: true; plan: RunPlan } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const add = (field: string, message: string) =>
    problems.push({ field, message });
  const annotations = context.entity.metadata.annotations ?? {};

  if (!KEY.test(request.idempotencyKey)) {
    add(
      'idempotencyKey',
      'idempotencyKey must be 8 to 64 letters, digits, _ or -',
    );
  }
  if (!dnsLabel(request.name, 40)) {
    add(
      'name',
      `name '${request.name}' must be a lower-case DNS label (a-z, 0-9, -) of at most 40 characters`,
    );
  }

  const kubernetesId = annotations[ANNOTATION_KUBERNETES_ID];
  if (!kubernetesId) {
    add(
      'entityRef',
      `${request.entityRef} has no ${ANNOTATION_KUBERNETES_ID} annotation, so it cannot own objects on a cluster`,
    );
  }

  // GPU type, cluster offering it, count
  const gpuType = context.gpuTypes.find(t => t.name === request.gpu.type);
  const cluster = context.clusters.find(c => c.name === request.cluster);
  if (!gpuType) {
    add(
      'gpu.type',
      `GPU type '${request.gpu.type}' is not configured; choose one of: ${
        context.gpuTypes.map(t => t.name).join(', ') || '(none configured)'
      }`,
    );
  }
  if (!cluster) {
    add('cluster', `Unknown cluster '${request.cluster}'`);
  } else if (gpuType && !gpuType.clusters.includes(cluster.name)) {
    add(
      'cluster',
      `Cluster ${cluster.name} does not offer ${
        gpuType.name
      }; clusters that do: ${gpuType.clusters.join(', ') || 'none'}`,
    );
  }
  const nodes = request.nodes ?? 1;
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > MAX_NODES) {
    add('nodes', `nodes must be a whole number from 1 to ${MAX_NODES}`);
  }
  let gpuResource = gpuType?.resourceName ?? 'nvidia.com/gpu';
  let price = gpuType?.pricePerGpuHour ?? 0;
  if (gpuType && request.gpu.migProfile) {
    const mig = gpuType.migProfiles.find(
      p => p.name === request.gpu.migProfile,
    );
    if (!mig) {
      add(
        'gpu.migProfile',
        `${gpuType.name} has no MIG profile '${
          request.gpu.migProfile
        }'; profiles: ${
          gpuType.migProfiles.map(p => p.name).join(', ') || 'none'
        }`,
      );
    } else {
      gpuResource = mig.resourceName;
      price = mig.pricePerHour;
    }
  }
  const count = request.gpu.count;
  if (!Number.isInteger(count) || count < 1) {
    add('gpu.count', 'gpu.count must be a whole number of at least 1');
  } else if (gpuType && count * nodes > gpuType.maxPerRun) {
    add(
      'gpu.count',
      `${count * nodes} ${gpuType.name} GPUs is more than one run may use (${
        gpuType.maxPerRun
      })`,
    );
  }

  // runtime and its CRD on the cluster
  const runtime = request.runtime ?? 'job';
  const kind = RUNTIME_KIND[runtime];
  const availability = kind
    ? cluster?.kinds?.find(k => k.kind === kind)
    : undefined;
  if (cluster && kind && availability?.status === 'not-installed') {
    add(
      'runtime',
      `Cluster ${cluster.name} does not serve ${kind} (${availability.apiVersion}); use runtime 'job' or another cluster`,
    );
  }

  // image: well-formed, pinned, by digest for PHI
  const image = parseImageReference(request.image);
  const phi =
    annotations[ANNOTATION_DATA_CLASSIFICATION] === 'phi' ||
    Boolean(cluster?.phi);
  if (!image) {
    add(
      'image',
      `'${request.image}' is not a valid image reference (registry/path:tag or registry/path@sha256:<64 hex>)`,
    );
  } else if (phi && !image.digest) {
    add(
      'image',
      'PHI data: pin the image by digest (registry/path@sha256:<64 hex>) so the code that sees patient data is exactly the code that was reviewed',
    );
  } else if (!image.digest && (!image.tag || image.tag === 'latest')) {
    add(
      'image',
      'Pin the image with a tag other than latest, or a digest, so the run can be reproduced',
    );
  }

  const strings = (field: string, list: string[] | undefined) => {
    if ((list?.length ?? 0) > 100) add(field, `${field}: at most 100 entries`);
    if (list?.some(s => s.length > 4096)) {
      add(field, `${field}: each entry at most 4096 characters`);
    }
  };
  strings('command', request.command);
  strings('args', request.args);

  if (!CPU.test(request.cpu)) {
    add(
      'cpu',
      `cpu '${request.cpu}' is not a CPU quantity (e.g. 8, 0.5 or 500m)`,
    );
  }
  if (!MEMORY.test(request.memory)) {
    add(
      'memory',
      `memory '${request.memory}' is not a memory quantity (e.g. 64Gi)`,
    );
  }
  for (const field of ['datasetPvc', 'outputPvc'] as const) {
    const v = request[field];
    if (v !== undefined && (v.length > 253 || !DNS_SUBDOMAIN.test(v))) {
      add(field, `${field} '${v}' is not a valid PersistentVolumeClaim name`);
    }
  }
  if (
    request.datasetPvc &&
    request.outputPvc &&
    request.datasetPvc === request.outputPvc
  ) {
    add(
      'outputPvc',
      'outputPvc must differ from datasetPvc (the dataset is mounted read-only)',
    );
  }

  // hyper-parameters: values without secrets; secrets by reference
  const hyperParameters = request.hyperParameters ?? {};
  for (const [name, value] of Object.entries(hyperParameters)) {
    for (const p of envValueProblems(name, value)) {
      add(`hyperParameters.${name}`, p);
    }
  }
  const secretEnv = request.secretEnv ?? [];
  const seen = new Set(Object.keys(hyperParameters));
  secretEnv.forEach((s, i) => {
    if (!isEnvName(s.name)) {
      add(
        `secretEnv[${i}].name`,
        `'${s.name}' is not a valid environment variable name`,
      );
    }
    if (seen.has(s.name)) {
      add(`secretEnv[${i}].name`, `${s.name} is set twice`);
    }
    seen.add(s.name);
    if (!DNS_SUBDOMAIN.test(s.secretName) || s.secretName.length > 253) {
      add(
        `secretEnv[${i}].secretName`,
        `'${s.secretName}' is not a valid Secret name`,
      );
    }
    if (!/^[-._a-zA-Z0-9]{1,253}$/.test(s.key)) {
      add(`secretEnv[${i}].key`, `'${s.key}' is not a valid Secret key`);
    }
  });

  const minutes = request.maxRuntimeMinutes;
  if (
    !Number.isInteger(minutes) ||
    minutes < 1 ||
    minutes > MAX_RUNTIME_MINUTES
  ) {
    add(
      'maxRuntimeMinutes',
      `maxRuntimeMinutes must be a whole number from 1 to ${MAX_RUNTIME_MINUTES} (7 days)`,
    );
  }

  // queue and namespace: request, else the entity's annotations
  const queueAnnotation = annotations[ANNOTATION_TRAINING_QUEUE];
  const parsedQueue =
    queueAnnotation !== undefined
      ? parseTrainingQueue(queueAnnotation)
      : undefined;
  if (parsedQueue && !parsedQueue.ok) add('queue', parsedQueue.error);
  const fromAnnotation = parsedQueue?.ok ? parsedQueue.value : undefined;
  const queue = request.queue ?? fromAnnotation?.queue;
  if (request.queue !== undefined && !dnsLabel(request.queue)) {
    add('queue', `queue '${request.queue}' is not a DNS label`);
  }
  const kueue = cluster?.kinds?.find(k => k.kind === 'Workload');
  if (!queue && kueue?.status === 'installed') {
    add(
      'queue',
      `Cluster ${cluster?.name} manages GPU quota with Kueue: name the team's LocalQueue, or set ${ANNOTATION_TRAINING_QUEUE} on ${request.entityRef}`,
    );
  }
  const pinnedNamespace = annotations[ANNOTATION_KUBERNETES_NAMESPACE];
  const namespace =
    pinnedNamespace || fromAnnotation?.namespace || kubernetesId || '';
  if (
    pinnedNamespace &&
    fromAnnotation?.namespace &&
    fromAnnotation.namespace !== pinnedNamespace
  ) {
    add(
      'queue',
      `${ANNOTATION_TRAINING_QUEUE} names namespace ${fromAnnotation.namespace} but ${ANNOTATION_KUBERNETES_NAMESPACE} pins ${pinnedNamespace}`,
    );
  }

  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    plan: {
      name: request.name,
      entityRef: request.entityRef,
      kubernetesId: kubernetesId!,
      cluster: request.cluster,
      namespace,
      ...(queue ? { queue } : {}),
      runtime,
      image: request.image,
      command: request.command ?? [],
      args: request.args ?? [],
      gpuType: gpuType!,
      gpuResource,
      gpusPerNode: count,
      ...(request.gpu.migProfile ? { migProfile: request.gpu.migProfile } : {}),
      pricePerGpuHour: price,
      nodes,
      cpu: request.cpu,
      memory: request.memory,
      ...(request.datasetPvc ? { datasetPvc: request.datasetPvc } : {}),
      ...(request.outputPvc ? { outputPvc: request.outputPvc } : {}),
      hyperParameters,
      secretEnv,
      maxRuntimeMinutes: minutes,
    },
  };
}
