import { resourceKey } from '../resources';
import type { K8sObject } from '../util';
import { Ctl } from './context';

/**
 * The namespace controller: a namespace whose deletion started (phase
 * Terminating, deletionTimestamp set by DELETE) loses all its content, then
 * the `kubernetes` finalizer and the namespace itself.
 */
export function reconcileNamespace(ctl: Ctl, ns: K8sObject): void {
  if (!ns.metadata.deletionTimestamp) return;
  const { cluster } = ctl;
  const name = ns.metadata.name!;
  for (const t of cluster.types()) {
    if (!t.namespaced) continue;
    for (const o of [...cluster.store.list(resourceKey(t), name)])
      cluster.removeCascade(resourceKey(t), name, o.metadata.name!);
  }
  cluster.removeCascade('namespaces', '', name);
}
