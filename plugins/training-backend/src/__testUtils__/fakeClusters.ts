import type {
  ApplyRequest,
  ClusterInfo,
  DeleteRequest,
  KubeObject,
  MetricsQueryRequest,
  MetricsSeries,
  ObjectEnvelope,
} from '@careplane/plugin-clusters-common';
import {
  matchesLabelSelector,
  parseLabelSelector,
} from '@careplane/plugin-clusters-common';
import type { ClustersService } from '@careplane/plugin-clusters-node';
import { clustersServiceMock } from '@careplane/plugin-clusters-node/testUtils';

/** The demo's GPU cluster as the hub describes it. */
export const gpuResearch: ClusterInfo = {
  name: 'gpu-research',
  source: 'config',
  phi: false,
  gpu: 'nvidia-a100-80gb',
  labels: { gpu: 'nvidia-a100-80gb', phi: 'false' },
  health: { status: 'healthy', circuit: 'closed' },
  stats: {
    informers: 0,
    objects: 0,
    approxBytes: 0,
    requests: {},
    throttled: 0,
  },
  kinds: [
    {
      kind: 'TrainJob',
      apiVersion: 'trainer.kubeflow.org/v1alpha1',
      status: 'installed',
    },
    { kind: 'PyTorchJob', apiVersion: 'kubeflow.org/v1', status: 'installed' },
    {
      kind: 'Workload',
      apiVersion: 'kueue.x-k8s.io/v1beta2',
      status: 'installed',
    },
    {
      kind: 'LocalQueue',
      apiVersion: 'kueue.x-k8s.io/v1beta2',
      status: 'installed',
    },
    {
      kind: 'ClusterQueue',
      apiVersion: 'kueue.x-k8s.io/v1beta2',
      status: 'installed',
    },
  ],
};

/** A CPU-only PHI cluster. */
export const cloudEast: ClusterInfo = {
  ...gpuResearch,
  name: 'cloud-east',
  phi: true,
  gpu: 'none',
  labels: { gpu: 'none', phi: 'true' },
  kinds: [],
};

/** Kueue's queues of the demo. */
export const kueueObjects: ObjectEnvelope[] = [
  {
    cluster: 'gpu-research',
    kind: 'LocalQueue',
    namespace: 'ml-platform',
    name: 'ml-platform',
    object: {
      metadata: { name: 'ml-platform', namespace: 'ml-platform' },
      spec: { clusterQueue: 'ml-gpu' },
    },
  },
  {
    cluster: 'gpu-research',
    kind: 'ClusterQueue',
    name: 'ml-gpu',
    object: {
      metadata: { name: 'ml-gpu' },
      spec: {
        resourceGroups: [
          {
            coveredResources: ['cpu', 'memory', 'nvidia.com/gpu'],
            flavors: [
              {
                name: 'a100-80gb',
                resources: [
                  { name: 'cpu', nominalQuota: '256' },
                  { name: 'memory', nominalQuota: '2Ti' },
                  { name: 'nvidia.com/gpu', nominalQuota: 16 },
                ],
              },
            ],
          },
        ],
      },
      status: {
        pendingWorkloads: 1,
        flavorsUsage: [
          {
            name: 'a100-80gb',
            resources: [{ name: 'nvidia.com/gpu', total: '8' }],
          },
        ],
      },
    },
  },
];

/**
 * An in-memory hub whose writes land in its object list (so reads see what was created), with
 * every call recorded. Built on `clustersServiceMock` for what it does not change.
 */
export function fakeClusters(options?: {
  clusters?: ClusterInfo[];
  objects?: ObjectEnvelope[];
  metrics?: (request: MetricsQueryRequest) => MetricsSeries[];
  logs?: string;
}) {
  const clusters = options?.clusters ?? [gpuResearch, cloudEast];
  const objects: ObjectEnvelope[] = [...(options?.objects ?? kueueObjects)];
  const base = clustersServiceMock({
    clusters,
    metrics: options?.metrics
      ? Object.fromEntries(clusters.map(c => [c.name, options.metrics!]))
      : undefined,
  });
  const calls = {
    apply: [] as ApplyRequest[],
    delete: [] as DeleteRequest[],
    logs: [] as unknown[],
  };
  let uid = 0;
  const service: ClustersService = {
    ...base,
    async getObjects(query) {
      const requirements = parseLabelSelector(query.selector.labelSelector);
      return {
        selector: query.selector,
        clusters: clusters
          .filter(c => !query.clusters || query.clusters.includes(c.name))
          .map(c => ({
            cluster: c.name,
            status: 'ok' as const,
            kinds: query.kinds.map(kind => ({ kind, status: 'ok' as const })),
            items: objects.filter(
              o =>
                o.cluster === c.name &&
                query.kinds.includes(o.kind) &&
                (!query.selector.namespace ||
                  o.namespace === query.selector.namespace) &&
                matchesLabelSelector(requirements, o.object.metadata.labels),
            ),
          })),
      };
    },
    async apply(request) {
      calls.apply.push(request);
      const m = request.manifest;
      const object: KubeObject = {
        ...m,
        metadata: { ...m.metadata, uid: `uid-${++uid}` },
      };
      const envelope: ObjectEnvelope = {
        cluster: request.cluster,
        kind: m.kind!,
        namespace: m.metadata.namespace,
        name: m.metadata.name,
        object,
      };
      if (!request.dryRun) objects.push(envelope);
      return {
        cluster: request.cluster,
        kind: m.kind!,
        namespace: m.metadata.namespace,
        name: m.metadata.name,
        dryRun: Boolean(request.dryRun),
        auditId: 'audit-1',
        object: envelope,
      };
    },
    async delete(request) {
      calls.delete.push(request);
      const i = objects.findIndex(
        o =>
          o.kind === request.kind &&
          o.name === request.name &&
          o.namespace === request.namespace,
      );
      if (i >= 0) objects.splice(i, 1);
      return { ...request, dryRun: false, auditId: 'audit-2' };
    },
    async getPodLogs(request) {
      calls.logs.push(request);
      return options?.logs ?? 'epoch 1 loss 0.42\n';
    },
  };
  return { service, objects, calls };
}
