import { K8sObject } from '../util';
import {
  Ctl,
  ownedBy,
  ownerRef,
  podFromTemplate,
  podReady,
  podTerminal,
} from './context';

/** Keeps a ReplicaSet's pod count at spec.replicas and reports its status. */
export function reconcileReplicaSet(ctl: Ctl, rs: K8sObject): void {
  const { cluster } = ctl;
  const ns = rs.metadata.namespace!;
  const pods = ownedBy(ctl, rs, '', 'Pod').filter(p => !podTerminal(p));
  const want = rs.spec?.replicas ?? 1;
  if (pods.length < want) {
    for (let i = pods.length; i < want; i++) {
      const name = `${rs.metadata.name}-${cluster.rng.suffix()}`;
      const pod = cluster.writeInternal(
        podFromTemplate(rs, rs.spec.template, name),
      );
      pods.push(pod);
      cluster.recordEvent(
        rs,
        'Normal',
        'SuccessfulCreate',
        `Created pod: ${name}`,
        'replicaset-controller',
      );
    }
  } else if (pods.length > want) {
    const victims = [...pods]
      .sort((a, b) => {
        const ra = podReady(a) ? 1 : 0;
        const rb = podReady(b) ? 1 : 0;
        if (ra !== rb) return ra - rb;
        return (
          (b.metadata.creationTimestamp ?? '').localeCompare(
            a.metadata.creationTimestamp ?? '',
          ) || b.metadata.name!.localeCompare(a.metadata.name!)
        );
      })
      .slice(0, pods.length - want);
    for (const v of victims) {
      cluster.removeOf('', 'Pod', ns, v.metadata.name!);
      cluster.recordEvent(
        rs,
        'Normal',
        'SuccessfulDelete',
        `Deleted pod: ${v.metadata.name}`,
        'replicaset-controller',
      );
    }
  }
  const live = ownedBy(ctl, rs, '', 'Pod').filter(p => !podTerminal(p));
  const ready = live.filter(podReady).length;
  cluster.mutate('apps', 'ReplicaSet', ns, rs.metadata.name!, r => {
    r.status = {
      replicas: live.length,
      fullyLabeledReplicas: live.length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: r.metadata.generation,
    };
    if (ready === 0) delete r.status.readyReplicas;
    if (ready === 0) delete r.status.availableReplicas;
  });
}

/** Creates a ReplicaSet for a pod template (used by Deployments and Rollouts). */
export function createReplicaSet(
  ctl: Ctl,
  owner: K8sObject,
  hash: string,
  hashLabel: string,
  revision: number,
  revisionAnnotation: string,
  replicas: number,
): K8sObject {
  const tmpl = owner.spec.template ?? {};
  const labels = { ...(tmpl.metadata?.labels ?? {}), [hashLabel]: hash };
  return ctl.cluster.writeInternal({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${owner.metadata.name}-${hash}`,
      namespace: owner.metadata.namespace,
      labels,
      annotations: {
        [revisionAnnotation]: String(revision),
        ...(owner.kind === 'Deployment'
          ? {
              'deployment.kubernetes.io/desired-replicas': String(
                owner.spec.replicas ?? 1,
              ),
              'deployment.kubernetes.io/max-replicas': String(
                (owner.spec.replicas ?? 1) + 1,
              ),
            }
          : {}),
      },
      ownerReferences: [ownerRef(owner)],
    },
    spec: {
      replicas,
      selector: {
        matchLabels: {
          ...(owner.spec.selector?.matchLabels ?? {}),
          [hashLabel]: hash,
        },
      },
      template: { ...tmpl, metadata: { ...(tmpl.metadata ?? {}), labels } },
    },
    status: { replicas: 0 },
  });
}

/** Sets a ReplicaSet's desired replicas. */
export function scaleReplicaSet(
  ctl: Ctl,
  rs: K8sObject,
  replicas: number,
): void {
  if ((rs.spec?.replicas ?? 1) === replicas) return;
  ctl.cluster.mutate(
    'apps',
    'ReplicaSet',
    rs.metadata.namespace!,
    rs.metadata.name!,
    r => {
      r.spec.replicas = replicas;
    },
  );
}

/** The revision annotation of a ReplicaSet as a number. */
export function revisionOf(rs: K8sObject, annotation: string): number {
  return Number(rs.metadata.annotations?.[annotation] ?? 0);
}
