import type { SimulatedCluster } from '../../cluster';
import { K8sObject, parseQuantity } from '../../util';
import { getCondition } from '../context';

/** The label that puts a job in a Kueue LocalQueue. */
export const QUEUE_LABEL = 'kueue.x-k8s.io/queue-name';

/** A job kind Kueue manages, reduced to what admission needs. */
export interface Managed {
  group: string;
  kind: string;
  obj: K8sObject;
  podSets: Array<{
    name: string;
    count: number;
    requests: Record<string, number>;
    template: any;
  }>;
  suspended: boolean;
  finished?: 'Succeeded' | 'Failed';
}

/**
 * Whether a batch-style object has finished, from its success condition (`Complete` for Jobs and
 * TrainJobs, `Succeeded` for PyTorchJobs) or its `Failed` condition.
 */
export function finishedFromConditions(
  obj: K8sObject,
  successCondition: 'Complete' | 'Succeeded' = 'Complete',
): 'Succeeded' | 'Failed' | undefined {
  if (getCondition(obj, successCondition)?.status === 'True')
    return 'Succeeded';
  if (getCondition(obj, 'Failed')?.status === 'True') return 'Failed';
  return undefined;
}

export function requestsOf(podSpec: any): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of podSpec?.containers ?? []) {
    const res = {
      ...(c.resources?.requests ?? {}),
      ...(c.resources?.limits?.['nvidia.com/gpu']
        ? { 'nvidia.com/gpu': c.resources.limits['nvidia.com/gpu'] }
        : {}),
    };
    for (const [k, v] of Object.entries(res))
      out[k] = (out[k] ?? 0) + parseQuantity(v);
  }
  return out;
}

export function managedJobs(cluster: SimulatedCluster): Managed[] {
  const out: Managed[] = [];
  for (const j of cluster.objectsOf('batch', 'Job')) {
    if (!j.metadata.labels?.[QUEUE_LABEL]) continue;
    out.push({
      group: 'batch',
      kind: 'Job',
      obj: j,
      podSets: [
        {
          name: 'main',
          count: j.spec?.parallelism ?? 1,
          requests: requestsOf(j.spec?.template?.spec),
          template: j.spec?.template,
        },
      ],
      suspended: !!j.spec?.suspend,
      finished: finishedFromConditions(j),
    });
  }
  for (const t of cluster.objectsOf('trainer.kubeflow.org', 'TrainJob')) {
    if (!t.metadata.labels?.[QUEUE_LABEL]) continue;
    const podSpec = {
      containers: [
        { name: 'node', resources: t.spec?.trainer?.resourcesPerNode ?? {} },
      ],
    };
    out.push({
      group: 'trainer.kubeflow.org',
      kind: 'TrainJob',
      obj: t,
      podSets: [
        {
          name: 'node',
          count: t.spec?.trainer?.numNodes ?? 1,
          requests: requestsOf(podSpec),
          template: { spec: podSpec },
        },
      ],
      suspended: !!t.spec?.suspend,
      finished: finishedFromConditions(t),
    });
  }
  for (const p of cluster.objectsOf('kubeflow.org', 'PyTorchJob')) {
    if (!p.metadata.labels?.[QUEUE_LABEL]) continue;
    out.push({
      group: 'kubeflow.org',
      kind: 'PyTorchJob',
      obj: p,
      podSets: Object.entries<any>(p.spec?.pytorchReplicaSpecs ?? {}).map(
        ([rt, rs]) => ({
          name: rt.toLowerCase(),
          count: rs.replicas ?? 1,
          requests: requestsOf(rs.template?.spec),
          template: rs.template,
        }),
      ),
      suspended: !!p.spec?.runPolicy?.suspend,
      finished: finishedFromConditions(p, 'Succeeded'),
    });
  }
  return out;
}

/** Kueue's job webhook: a job created with a queue label starts suspended. */
export function kueueAdmissionHook(cluster: SimulatedCluster) {
  return (
    type: { group: string; kind: string },
    obj: K8sObject,
    operation: 'CREATE' | 'UPDATE',
  ) => {
    if (
      operation !== 'CREATE' ||
      !obj.metadata.labels?.[QUEUE_LABEL] ||
      !cluster.hasKind('kueue.x-k8s.io', 'Workload')
    )
      return;
    if (type.group === 'batch' && type.kind === 'Job')
      obj.spec = { ...obj.spec, suspend: true };
    if (type.group === 'trainer.kubeflow.org' && type.kind === 'TrainJob')
      obj.spec = { ...obj.spec, suspend: true };
    if (type.group === 'kubeflow.org' && type.kind === 'PyTorchJob')
      obj.spec = {
        ...obj.spec,
        runPolicy: { ...obj.spec?.runPolicy, suspend: true },
      };
  };
}

export function setSuspended(
  cluster: SimulatedCluster,
  m: Managed,
  suspend: boolean,
  flavorLabels: Record<string, string>,
  tolerations: any[],
) {
  const ns = m.obj.metadata.namespace!;
  const name = m.obj.metadata.name!;
  if (m.kind === 'Job') {
    cluster.mutate('batch', 'Job', ns, name, j => {
      j.spec.suspend = suspend;
      if (!suspend && Object.keys(flavorLabels).length) {
        j.spec.template.spec.nodeSelector = {
          ...j.spec.template.spec.nodeSelector,
          ...flavorLabels,
        };
      }
      if (!suspend && tolerations.length)
        j.spec.template.spec.tolerations = [
          ...(j.spec.template.spec.tolerations ?? []),
          ...tolerations,
        ];
    });
  } else if (m.kind === 'TrainJob') {
    cluster.mutate('trainer.kubeflow.org', 'TrainJob', ns, name, t => {
      t.spec.suspend = suspend;
      if (!suspend) {
        const others = (t.spec.runtimePatches ?? []).filter(
          (p: any) => p.manager !== 'kueue.x-k8s.io/manager',
        );
        t.spec.runtimePatches = [
          ...others,
          {
            manager: 'kueue.x-k8s.io/manager',
            trainingRuntimeSpec: {
              template: {
                spec: {
                  replicatedJobs: [
                    {
                      name: 'node',
                      template: {
                        spec: {
                          template: {
                            spec: {
                              nodeSelector: flavorLabels,
                              ...(tolerations.length ? { tolerations } : {}),
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
        ];
      }
    });
  } else {
    cluster.mutate('kubeflow.org', 'PyTorchJob', ns, name, p => {
      p.spec.runPolicy = { ...p.spec.runPolicy, suspend };
      if (!suspend) {
        for (const rs of Object.values<any>(p.spec.pytorchReplicaSpecs ?? {})) {
          rs.template = rs.template ?? {};
          rs.template.spec = {
            ...rs.template.spec,
            nodeSelector: {
              ...rs.template.spec?.nodeSelector,
              ...flavorLabels,
            },
          };
        }
      }
    });
  }
}
