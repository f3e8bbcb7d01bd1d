import type { K8sObject } from '../../util';
import type { Ctl } from '../context';

/** Label Argo Rollouts puts on ReplicaSets and pods of a revision. */
export const HASH_LABEL = 'rollouts-pod-template-hash';
/** Annotation with a ReplicaSet's rollout revision. */
export const REV_ANN = 'rollout.argoproj.io/revision';

/**
 * One reconcile of a Rollout: what the strategy steps read and change. The
 * `status` object is a private copy that the steps mutate and that is written
 * back once at the end; `events` are recorded after that write.
 */
export interface RolloutRun {
  ctl: Ctl;
  ro: K8sObject;
  ns: string;
  name: string;
  nowIso: string;
  spec: any;
  status: any;
  replicas: number;
  /** Pod template hash of the desired revision. */
  hash: string;
  revision: string;
  /** ReplicaSet of the desired revision. */
  rs: K8sObject;
  /** ReplicaSet of the stable revision, if any. */
  stable?: K8sObject;
  blueGreen?: any;
  canary?: any;
  steps: any[];
  events: Array<[string, string, string]>;
}

/** Available replicas of a ReplicaSet. */
export function avail(rs: K8sObject | undefined): number {
  return rs?.status?.availableReplicas ?? 0;
}

/** Points a Service at the pods of a revision. */
export function updateServiceSelector(
  run: RolloutRun,
  service: string | undefined,
  hash: string,
): void {
  if (!service) return;
  run.ctl.cluster.mutate('', 'Service', run.ns, service, s => {
    s.spec.selector = { ...s.spec.selector, [HASH_LABEL]: hash };
  });
}

/** The current stored state of the desired ReplicaSet. */
export function freshRs(run: RolloutRun): K8sObject | undefined {
  return run.ctl.cluster.objectOf(
    'apps',
    'ReplicaSet',
    run.ns,
    run.rs.metadata.name!,
  );
}
