import type { K8sObject } from '../util';
import { Ctl } from './context';

/**
 * The PersistentVolume controller with a dynamic provisioner, simplified: a
 * Pending claim is bound at once to a new volume `pvc-<uid>` of the requested
 * size (phase Bound, capacity, access modes), as a cluster with a default
 * StorageClass and WaitForFirstConsumer off would do.
 */
export function reconcilePersistentVolumeClaim(ctl: Ctl, pvc: K8sObject): void {
  if (pvc.status?.phase === 'Bound' || pvc.metadata.deletionTimestamp) return;
  const ns = pvc.metadata.namespace!;
  const name = pvc.metadata.name!;
  ctl.cluster.mutate('', 'PersistentVolumeClaim', ns, name, c => {
    c.spec = { ...c.spec, volumeName: `pvc-${c.metadata.uid}` };
    c.metadata.annotations = {
      ...c.metadata.annotations,
      'pv.kubernetes.io/bind-completed': 'yes',
      'pv.kubernetes.io/bound-by-controller': 'yes',
    };
    c.status = {
      phase: 'Bound',
      accessModes: c.spec.accessModes ?? [],
      capacity: { storage: c.spec.resources?.requests?.storage },
    };
  });
}
