import type { SimNode, SimulatedCluster } from '../cluster';
import { resourceKey } from '../resources';
import { K8sObject } from '../util';
import { reconcileJob } from './jobs';
import { kueueAdmissionHook, reconcileKueue } from './kueue';
import { reconcilePyTorchJob, reconcileTrainJob } from './training';
import { Ctl, iso } from './context';
import { reconcileCanary } from './flagger';
import { reconcileAnalysisRun, reconcileRollout } from './rollouts';
import { reconcileHpa, reconcilePdb } from './autoscaling';
import { reconcileCronJob } from './cronjobs';
import { reconcileDaemonSet } from './daemonsets';
import { reconcileNamespace } from './namespaces';
import { reconcilePersistentVolumeClaim } from './storage';
import { reconcileDeployment } from './deployments';
import { reconcilePod } from './pods';
import { reconcileReplicaSet } from './replicasets';
import { reconcileStatefulSet } from './statefulsets';

type Reconciler = (ctl: Ctl, obj: K8sObject) => void;

function reconcileSubscription(ctl: Ctl, sub: K8sObject): void {
  ctl.cluster.mutate(
    'postgresql.cnpg.io',
    'Subscription',
    sub.metadata.namespace!,
    sub.metadata.name!,
    s => {
      s.status = {
        applied: true,
        observedGeneration: s.metadata.generation,
        ...(s.status?.message ? { message: s.status.message } : {}),
      };
    },
  );
}

/** Reconcilers in the order a tick runs them (owners before what they own). */
const ORDER: Array<[string, Reconciler]> = [
  ['rollouts.argoproj.io', reconcileRollout],
  ['canaries.flagger.app', reconcileCanary],
  ['deployments.apps', reconcileDeployment],
  ['statefulsets.apps', reconcileStatefulSet],
  ['daemonsets.apps', reconcileDaemonSet],
  ['cronjobs.batch', reconcileCronJob],
  ['trainjobs.trainer.kubeflow.org', reconcileTrainJob],
  ['pytorchjobs.kubeflow.org', reconcilePyTorchJob],
  ['jobs.batch', reconcileJob],
  ['replicasets.apps', reconcileReplicaSet],
  ['pods', reconcilePod],
  ['analysisruns.argoproj.io', reconcileAnalysisRun],
  ['horizontalpodautoscalers.autoscaling', reconcileHpa],
  ['poddisruptionbudgets.policy', reconcilePdb],
  ['subscriptions.postgresql.cnpg.io', reconcileSubscription],
  ['persistentvolumeclaims', reconcilePersistentVolumeClaim],
  ['namespaces', reconcileNamespace],
];
const RANK = new Map(ORDER.map(([r], i) => [r, i]));
const RECONCILERS = new Map(ORDER);
const KUEUE_RESOURCES = new Set([
  'jobs.batch',
  'trainjobs.trainer.kubeflow.org',
  'pytorchjobs.kubeflow.org',
  'workloads.kueue.x-k8s.io',
  'localqueues.kueue.x-k8s.io',
  'clusterqueues.kueue.x-k8s.io',
  'resourceflavors.kueue.x-k8s.io',
]);

/** Creates the Node objects of a cluster. */
export function ensureNodes(
  cluster: SimulatedCluster,
  nodes: SimNode[] | undefined,
): void {
  const list: SimNode[] =
    nodes && nodes.length > 0
      ? nodes
      : [1, 2, 3].map(i => ({ name: `${cluster.name}-node-${i}` }));
  list.forEach((n, i) => {
    const gpus = n.gpus ?? 0;
    const capacity: Record<string, string> = {
      cpu: n.cpu ?? '16',
      memory: n.memory ?? '64Gi',
      pods: '110',
      'ephemeral-storage': '200Gi',
      ...(gpus ? { 'nvidia.com/gpu': String(gpus) } : {}),
    };
    cluster.writeInternal(
      {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {
          name: n.name,
          labels: {
            'kubernetes.io/hostname': n.name,
            'kubernetes.io/os': 'linux',
            'kubernetes.io/arch': 'amd64',
            'node.kubernetes.io/instance-type': gpus
              ? 'p4de.24xlarge'
              : 'm6i.4xlarge',
            ...(gpus
              ? {
                  'nvidia.com/gpu.present': 'true',
                  'nvidia.com/gpu.count': String(gpus),
                  'nvidia.com/gpu.product':
                    n.gpuProduct ?? 'NVIDIA-A100-SXM4-80GB',
                  'nvidia.com/gpu.memory': '81920',
                }
              : {}),
            ...(n.labels ?? {}),
          },
        },
        spec: {
          ...(n.taints ? { taints: n.taints } : {}),
          podCIDR: `10.244.${i}.0/24`,
        },
        status: {
          capacity,
          allocatable: {
            ...capacity,
            cpu: `${Number(n.cpu ?? 16) * 1000 - 100}m`,
          },
          conditions: [
            {
              type: 'MemoryPressure',
              status: 'False',
              reason: 'KubeletHasSufficientMemory',
              message: 'kubelet has sufficient memory available',
              lastHeartbeatTime: cluster.nowIso(),
              lastTransitionTime: cluster.nowIso(),
            },
            {
              type: 'DiskPressure',
              status: 'False',
              reason: 'KubeletHasNoDiskPressure',
              message: 'kubelet has no disk pressure',
              lastHeartbeatTime: cluster.nowIso(),
              lastTransitionTime: cluster.nowIso(),
            },
            {
              type: 'PIDPressure',
              status: 'False',
              reason: 'KubeletHasSufficientPID',
              message: 'kubelet has sufficient PID available',
              lastHeartbeatTime: cluster.nowIso(),
              lastTransitionTime: cluster.nowIso(),
            },
            {
              type: 'Ready',
              status: 'True',
              reason: 'KubeletReady',
              message: 'kubelet is posting ready status',
              lastHeartbeatTime: cluster.nowIso(),
              lastTransitionTime: cluster.nowIso(),
            },
          ],
          addresses: [
            { type: 'InternalIP', address: `10.0.${i}.${10 + i}` },
            { type: 'Hostname', address: n.name },
          ],
          nodeInfo: {
            kubeletVersion: cluster.version,
            containerRuntimeVersion: 'containerd://1.7.22',
            kernelVersion: '6.1.0-28-cloud-amd64',
            osImage: 'Debian GNU/Linux 12 (bookworm)',
            operatingSystem: 'linux',
            architecture: 'amd64',
          },
        },
      },
      'kubelet',
    );
  });
}

/**
 * The controller loop of one cluster. Store changes mark objects (and their
 * owners) dirty; controllers also ask to be woken at a simulated time (a pod
 * becoming ready, a pause ending). Each tick reconciles what is dirty or due,
 * so 10,000 settled pods cost nothing.
 */
export class ClusterControllers {
  private dirty = new Set<string>();
  private readonly wakeups = new Map<string, number>();
  private kueueDirty = true;
  private readonly unsubscribe: () => void;

  constructor(private readonly cluster: SimulatedCluster) {
    cluster.admissionHooks.push(kueueAdmissionHook(cluster));
    this.unsubscribe = cluster.store.subscribe(ev => {
      const ns = ev.object.metadata.namespace ?? '';
      this.dirty.add(`${ev.resource}|${ns}|${ev.object.metadata.name}`);
      for (const o of [ev.object, ev.previous]) {
        for (const ref of o?.metadata.ownerReferences ?? []) {
          const t = cluster.typeFor(ref.apiVersion, ref.kind);
          if (t)
            this.dirty.add(
              `${resourceKey(t)}|${t.namespaced ? ns : ''}|${ref.name}`,
            );
        }
      }
      if (ev.resource === 'pods') {
        for (const p of cluster.objectsOf('policy', 'PodDisruptionBudget', ns))
          this.dirty.add(
            `poddisruptionbudgets.policy|${ns}|${p.metadata.name}`,
          );
      }
      if (ev.resource === 'deployments.apps') {
        for (const c of cluster.objectsOf('flagger.app', 'Canary', ns))
          this.dirty.add(`canaries.flagger.app|${ns}|${c.metadata.name}`);
        for (const h of cluster.objectsOf(
          'autoscaling',
          'HorizontalPodAutoscaler',
          ns,
        ))
          this.dirty.add(
            `horizontalpodautoscalers.autoscaling|${ns}|${h.metadata.name}`,
          );
      }
      if (ev.resource === 'nodes') {
        for (const d of cluster.objectsOf('apps', 'DaemonSet'))
          this.dirty.add(
            `daemonsets.apps|${d.metadata.namespace}|${d.metadata.name}`,
          );
      }
      if (KUEUE_RESOURCES.has(ev.resource)) this.kueueDirty = true;
    });
    this.markAll();
  }

  /** Marks every object for reconciliation (used at start-up). */
  markAll(): void {
    for (const [resource] of ORDER) {
      for (const o of this.cluster.store.list(resource)) {
        this.dirty.add(
          `${resource}|${o.metadata.namespace ?? ''}|${o.metadata.name}`,
        );
      }
    }
    this.kueueDirty = true;
  }

  stop(): void {
    this.unsubscribe();
  }

  /** The earliest pending wake-up, if any. */
  nextWakeup(): number | undefined {
    let min: number | undefined;
    for (const t of this.wakeups.values())
      if (min === undefined || t < min) min = t;
    return min;
  }

  /** Runs all controllers at simulated time `now` until quiet (bounded). */
  reconcile(now: number): void {
    for (let round = 0; round < 12; round++) {
      const keys = new Set(this.dirty);
      this.dirty = new Set();
      for (const [k, t] of this.wakeups) {
        if (t <= now) {
          keys.add(k);
          this.wakeups.delete(k);
        }
      }
      const runKueue = this.kueueDirty;
      this.kueueDirty = false;
      if (keys.size === 0 && !runKueue) return;
      const work = [...keys]
        .map(k => {
          const [resource, ns, name] = k.split('|');
          return { k, resource, ns, name, rank: RANK.get(resource) ?? -1 };
        })
        .filter(w => w.rank >= 0)
        .sort((a, b) => a.rank - b.rank);
      for (const w of work) {
        const obj = this.cluster.store.get(w.resource, w.ns, w.name);
        if (!obj) {
          this.wakeups.delete(w.k);
          continue;
        }
        const ctl: Ctl = {
          cluster: this.cluster,
          now,
          wakeAt: at => {
            const prev = this.wakeups.get(w.k);
            if (prev === undefined || at < prev)
              this.wakeups.set(w.k, Math.max(at, now + 1));
          },
        };
        RECONCILERS.get(w.resource)!(ctl, obj);
      }
      if (runKueue) {
        reconcileKueue({ cluster: this.cluster, now, wakeAt: () => {} });
      }
    }
  }

  /** Debug view of the queue. */
  describe(): { dirty: number; wakeups: number; next?: string } {
    const next = this.nextWakeup();
    return {
      dirty: this.dirty.size,
      wakeups: this.wakeups.size,
      ...(next ? { next: iso(next) } : {}),
    };
  }
}
