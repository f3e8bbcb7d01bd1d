import {
  ClusterResult,
  ObjectEnvelope,
  PodEnvelope,
  summarizePod,
  summarizeReplicas,
  WorkloadEnvelope,
  workloadKinds,
} from '@careplane/plugin-clusters-common';
import { useMemo } from 'react';
import { LiveEntityObjects, useLiveEntityObjects } from './useLiveEntityObjects';

/**
 * Kinds the workloads view follows: the built-in workload kinds plus Argo `Rollout` (optional;
 * "not installed" where the CRD is absent), so a canary is not shown as "0 pods".
 * @public
 */
export const LIVE_WORKLOAD_KINDS: ReadonlyArray<string> = [
  ...workloadKinds,
  'Rollout',
];

/**
 * One cluster's workloads of an entity, derived from live objects.
 * @public
 */
export interface LiveClusterWorkloads extends ClusterResult {
  /** Deployments, StatefulSets and Rollouts with their replica counts. */
  workloads: WorkloadEnvelope[];
  pods: PodEnvelope[];
  services: ObjectEnvelope[];
  horizontalPodAutoscalers: ObjectEnvelope[];
  podDisruptionBudgets: ObjectEnvelope[];
  jobs: ObjectEnvelope[];
}

/**
 * What {@link useLiveEntityWorkloads} returns.
 * @public
 */
export interface LiveEntityWorkloads extends Omit<LiveEntityObjects, 'value'> {
  clusters?: LiveClusterWorkloads[];
}

// Derived envelopes are cached per source envelope, so an unchanged object keeps the identity
// of its derived row across updates (memoised rows do not re-render).
const podCache = new WeakMap<ObjectEnvelope, PodEnvelope>();
const workloadCache = new WeakMap<ObjectEnvelope, WorkloadEnvelope>();

function asPod(o: ObjectEnvelope): PodEnvelope {
  let pod = podCache.get(o);
  if (!pod) {
    pod = { ...o, summary: summarizePod(o.object) };
    podCache.set(o, pod);
  }
  return pod;
}

function asWorkload(o: ObjectEnvelope): WorkloadEnvelope {
  let workload = workloadCache.get(o);
  if (!workload) {
    workload = { ...o, replicas: summarizeReplicas(o.object) };
    workloadCache.set(o, workload);
  }
  return workload;
}

const byName = (a: ObjectEnvelope, b: ObjectEnvelope) =>
  a.name.localeCompare(b.name);

/**
 * An entity's workloads per cluster (Deployments, StatefulSets, Rollouts, Pods, Services, HPAs,
 * PDBs, Jobs), live: {@link useLiveEntityObjects} plus the pod and replica summaries of
 * `@careplane/plugin-clusters-common`, re-derived from the streamed objects.
 * @public
 */
export function useLiveEntityWorkloads(
  entityRef: string | undefined,
  options?: { clusters?: string[] },
): LiveEntityWorkloads {
  const { value, ...rest } = useLiveEntityObjects(
    entityRef,
    LIVE_WORKLOAD_KINDS as string[],
    options,
  );
  const clusters = useMemo(
    () =>
      value?.clusters.map((c): LiveClusterWorkloads => {
        const { items, ...result } = c;
        const of = (...kinds: string[]) =>
          items.filter(i => kinds.includes(i.kind)).sort(byName);
        return {
          ...result,
          workloads: of('Deployment', 'StatefulSet', 'Rollout').map(asWorkload),
          pods: of('Pod').map(asPod),
          services: of('Service'),
          horizontalPodAutoscalers: of('HorizontalPodAutoscaler'),
          podDisruptionBudgets: of('PodDisruptionBudget'),
          jobs: of('Job'),
        };
      }),
    [value],
  );
  return { ...rest, clusters };
}
