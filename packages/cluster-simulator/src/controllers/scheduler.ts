import { fnv32, K8sObject, parseQuantity } from '../util';
import { Ctl, getCondition, iso, podTerminal, setCondition } from './context';

/**
 * The default scheduler, simplified: node selector, taints and tolerations,
 * and GPU capacity (nvidia.com/gpu) per node.
 */

/** GPUs a pod requests (limits win, as for extended resources). */
export function podGpus(pod: K8sObject): number {
  let n = 0;
  for (const c of pod.spec?.containers ?? []) {
    n += parseQuantity(
      c.resources?.limits?.['nvidia.com/gpu'] ??
        c.resources?.requests?.['nvidia.com/gpu'] ??
        0,
    );
  }
  return n;
}

/** Whether a pod tolerates a node's NoSchedule / NoExecute taints. */
export function tolerates(pod: K8sObject, node: K8sObject): boolean {
  const taints: any[] = (node.spec?.taints ?? []).filter(
    (t: any) => t.effect === 'NoSchedule' || t.effect === 'NoExecute',
  );
  const tolerations: any[] = pod.spec?.tolerations ?? [];
  return taints.every(t =>
    tolerations.some(
      tol =>
        (tol.operator === 'Exists' && (!tol.key || tol.key === t.key)) ||
        (tol.key === t.key && (tol.value ?? '') === (t.value ?? '')),
    ),
  );
}

/** Whether a node matches a pod's nodeSelector. */
export function selectsNode(pod: K8sObject, node: K8sObject): boolean {
  const sel: Record<string, string> = pod.spec?.nodeSelector ?? {};
  const labels = node.metadata.labels ?? {};
  return Object.entries(sel).every(([k, v]) => labels[k] === v);
}

/** Picks a node for a pod, or explains why none fits (as the scheduler words it). */
export function schedule(
  ctl: Ctl,
  pod: K8sObject,
): { node?: string; message?: string } {
  const nodes = ctl.cluster.objectsOf('', 'Node');
  const gpus = podGpus(pod);
  const candidates = nodes.filter(
    n => tolerates(pod, n) && selectsNode(pod, n),
  );
  if (gpus === 0) {
    if (candidates.length === 0) {
      return {
        message: `0/${nodes.length} nodes are available: ${nodes.length} node(s) didn't match Pod's node affinity/selector or had untolerated taints.`,
      };
    }
    return {
      node: candidates[fnv32(pod.metadata.name!) % candidates.length].metadata
        .name,
    };
  }
  const used = new Map<string, number>();
  for (const p of ctl.cluster.objectsOf('', 'Pod')) {
    if (
      p.spec?.nodeName &&
      !podTerminal(p) &&
      p.metadata.uid !== pod.metadata.uid
    ) {
      const g = podGpus(p);
      if (g > 0)
        used.set(p.spec.nodeName, (used.get(p.spec.nodeName) ?? 0) + g);
    }
  }
  const fits = candidates.filter(
    n =>
      parseQuantity(n.status?.allocatable?.['nvidia.com/gpu'] ?? 0) -
        (used.get(n.metadata.name!) ?? 0) >=
      gpus,
  );
  if (fits.length === 0) {
    return {
      message: `0/${nodes.length} nodes are available: ${
        nodes.length - candidates.length > 0
          ? `${
              nodes.length - candidates.length
            } node(s) didn't match Pod's node affinity/selector, `
          : ''
      }${candidates.length} Insufficient nvidia.com/gpu. preemption: 0/${
        nodes.length
      } nodes are available: ${
        nodes.length
      } No preemption victims found for incoming pod.`,
    };
  }
  return { node: fits[0].metadata.name };
}

/** The scheduler's binding of an unscheduled pod (or why it stays Pending). */
export function bindPod(ctl: Ctl, pod: K8sObject, behavior: string): void {
  const { cluster, now } = ctl;
  const ns = pod.metadata.namespace!;
  const name = pod.metadata.name!;
  const nowIso = iso(now);
  const placement =
    behavior === 'unschedulable'
      ? {
          message: `0/${
            cluster.objectsOf('', 'Node').length
          } nodes are available: pod has unbound immediate PersistentVolumeClaims.`,
        }
      : schedule(ctl, pod);
  if (!placement.node) {
    cluster.mutate('', 'Pod', ns, name, p => {
      p.status = {
        ...p.status,
        phase: 'Pending',
        conditions: setCondition(
          p.status?.conditions,
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: placement.message,
          },
          nowIso,
          { lastProbeTime: true },
        ),
      };
    });
    const cur = cluster.store.get('pods', ns, name);
    if (
      cur &&
      getCondition(cur, 'PodScheduled')?.status === 'False' &&
      getCondition(pod, 'PodScheduled')?.status !== 'False'
    ) {
      cluster.recordEvent(
        cur,
        'Warning',
        'FailedScheduling',
        placement.message!,
        'default-scheduler',
      );
    }
    ctl.wakeAt(now + 10000);
    return;
  }
  const node = cluster.objectOf('', 'Node', '', placement.node)!;
  const updated = cluster.mutate('', 'Pod', ns, name, p => {
    p.spec.nodeName = placement.node;
    p.status = {
      ...p.status,
      phase: 'Pending',
      hostIP: node.status?.addresses?.[0]?.address,
      conditions: setCondition(
        p.status?.conditions,
        { type: 'PodScheduled', status: 'True' },
        nowIso,
        { lastProbeTime: true },
      ),
    };
  });
  if (updated)
    cluster.recordEvent(
      updated,
      'Normal',
      'Scheduled',
      `Successfully assigned ${ns}/${name} to ${placement.node}`,
      'default-scheduler',
    );
  ctl.wakeAt(now + 1000);
  return;
}
