import { K8sObject, templateHash } from '../util';
import {
  Ctl,
  ownedBy,
  ownerRef,
  podFromTemplate,
  podReady,
  podTerminal,
} from './context';
import { selectsNode, tolerates } from './scheduler';

/**
 * The DaemonSet controller, simplified: one pod per node the template fits
 * (node selector, taints), bound to its node; a changed template replaces
 * pods one node at a time (RollingUpdate, maxUnavailable 1); history kept as
 * ControllerRevisions, as kube-controller-manager does.
 */

/** Records a template revision as a ControllerRevision owned by `owner`. */
export function ensureControllerRevision(
  ctl: Ctl,
  owner: K8sObject,
  hash: string,
): K8sObject {
  const name = `${owner.metadata.name}-${hash}`;
  const ns = owner.metadata.namespace!;
  const existing = ctl.cluster.objectOf('apps', 'ControllerRevision', ns, name);
  if (existing) return existing;
  const revisions = ownedBy(ctl, owner, 'apps', 'ControllerRevision');
  const next = Math.max(0, ...revisions.map(r => Number(r.revision ?? 0))) + 1;
  return ctl.cluster.writeInternal({
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name,
      namespace: ns,
      labels: {
        ...(owner.spec?.selector?.matchLabels ?? {}),
        'controller-revision-hash': hash,
      },
      ownerReferences: [ownerRef(owner)],
    },
    data: {
      spec: { template: { ...owner.spec?.template, $patch: 'replace' } },
    },
    revision: next,
  });
}

/** Reconciles one DaemonSet. */
export function reconcileDaemonSet(ctl: Ctl, ds: K8sObject): void {
  const { cluster } = ctl;
  const ns = ds.metadata.namespace!;
  const name = ds.metadata.name!;
  const hash = templateHash(ds.spec?.template);
  ensureControllerRevision(ctl, ds, hash);
  const template = ds.spec?.template ?? {};
  const probe = { metadata: { name: '' }, spec: template.spec ?? {} };
  const nodes = cluster
    .objectsOf('', 'Node')
    .filter(
      n =>
        !n.spec?.unschedulable && tolerates(probe, n) && selectsNode(probe, n),
    );
  const pods = ownedBy(ctl, ds, '', 'Pod').filter(p => !podTerminal(p));
  const byNode = new Map(pods.map(p => [p.spec?.nodeName, p]));
  // Pods on nodes that no longer fit go away.
  for (const p of pods)
    if (!nodes.some(n => n.metadata.name === p.spec?.nodeName))
      cluster.removeOf('', 'Pod', ns, p.metadata.name!);
  let replacing = pods.some(
    p =>
      p.metadata.labels?.['controller-revision-hash'] !== hash && !podReady(p),
  );
  for (const node of nodes) {
    const nodeName = node.metadata.name!;
    const current = byNode.get(nodeName);
    if (
      current &&
      current.metadata.labels?.['controller-revision-hash'] === hash
    )
      continue;
    if (current) {
      if (replacing) continue; // one node at a time
      cluster.removeOf('', 'Pod', ns, current.metadata.name!);
      replacing = true;
    }
    const podName = `${name}-${cluster.rng.suffix()}`;
    const pod = podFromTemplate(ds, template, podName, {
      'controller-revision-hash': hash,
      'pod-template-generation': String(ds.metadata.generation ?? 1),
    });
    pod.spec.nodeName = nodeName;
    cluster.writeInternal(pod);
    cluster.recordEvent(
      ds,
      'Normal',
      'SuccessfulCreate',
      `Created pod: ${podName}`,
      'daemonset-controller',
    );
  }
  const live = ownedBy(ctl, ds, '', 'Pod').filter(p => !podTerminal(p));
  const ready = live.filter(podReady).length;
  const updated = live.filter(
    p => p.metadata.labels?.['controller-revision-hash'] === hash,
  ).length;
  cluster.mutate('apps', 'DaemonSet', ns, name, d => {
    d.status = {
      currentNumberScheduled: live.length,
      desiredNumberScheduled: nodes.length,
      numberMisscheduled: 0,
      numberReady: ready,
      numberAvailable: ready,
      ...(nodes.length - ready > 0
        ? { numberUnavailable: nodes.length - ready }
        : {}),
      updatedNumberScheduled: updated,
      observedGeneration: d.metadata.generation,
    };
  });
}
