import { K8sObject, templateHash } from '../util';
import { Ctl, ownedBy, podFromTemplate, podReady } from './context';
import { ensureControllerRevision } from './daemonsets';

/** The StatefulSet controller: ordered creation and reverse-ordinal rolling updates. */
export function reconcileStatefulSet(ctl: Ctl, s: K8sObject): void {
  const { cluster } = ctl;
  const ns = s.metadata.namespace!;
  const name = s.metadata.name!;
  const want: number = s.spec?.replicas ?? 1;
  const hash = templateHash(s.spec.template);
  const revision = `${name}-${hash}`;
  ensureControllerRevision(ctl, s, hash);
  const pods = ownedBy(ctl, s, '', 'Pod');
  const byOrdinal = new Map<number, K8sObject>();
  for (const p of pods)
    byOrdinal.set(Number(p.metadata.name!.slice(name.length + 1)), p);
  // Scale down from the highest ordinal.
  for (const [ord, p] of byOrdinal) {
    if (ord >= want) {
      cluster.removeOf('', 'Pod', ns, p.metadata.name!);
      byOrdinal.delete(ord);
    }
  }
  let allReady = true;
  for (let i = 0; i < want; i++) {
    const p = byOrdinal.get(i);
    if (!p) {
      if (!allReady) break;
      const tmpl = s.spec.template ?? {};
      const pod = podFromTemplate(s, tmpl, `${name}-${i}`, {
        'controller-revision-hash': revision,
        'statefulset.kubernetes.io/pod-name': `${name}-${i}`,
        'apps.kubernetes.io/pod-index': String(i),
      });
      pod.spec.hostname = `${name}-${i}`;
      if (s.spec.serviceName) pod.spec.subdomain = s.spec.serviceName;
      byOrdinal.set(i, cluster.writeInternal(pod));
      cluster.recordEvent(
        s,
        'Normal',
        'SuccessfulCreate',
        `create Pod ${name}-${i} in StatefulSet ${name} successful`,
        'statefulset-controller',
      );
      allReady = false;
      break;
    }
    if (!podReady(p)) allReady = false;
  }
  if (allReady) {
    // Roll one outdated pod at a time, highest ordinal first.
    for (let i = want - 1; i >= 0; i--) {
      const p = byOrdinal.get(i);
      if (p && p.metadata.labels?.['controller-revision-hash'] !== revision) {
        cluster.removeOf('', 'Pod', ns, p.metadata.name!);
        byOrdinal.delete(i);
        break;
      }
    }
  }
  const live = [...byOrdinal.values()]
    .map(p => cluster.store.get('pods', ns, p.metadata.name!))
    .filter((p): p is K8sObject => !!p);
  const ready = live.filter(podReady).length;
  const updated = live.filter(
    p => p.metadata.labels?.['controller-revision-hash'] === revision,
  ).length;
  cluster.mutate('apps', 'StatefulSet', ns, name, st => {
    const prevCurrent = st.status?.currentRevision ?? revision;
    const done = updated === want && ready === want;
    st.status = {
      observedGeneration: st.metadata.generation,
      replicas: live.length,
      readyReplicas: ready,
      currentReplicas: done ? want : live.length - updated,
      updatedReplicas: updated,
      availableReplicas: ready,
      currentRevision: done ? revision : prevCurrent,
      updateRevision: revision,
      collisionCount: 0,
    };
  });
}

// ------------------------------------------------------------ HPA / PDB
