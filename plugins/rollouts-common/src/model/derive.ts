import type { KubeObject } from '@careplane/plugin-clusters-common';
import { deriveArgoRollout } from './argo';
import type { RelatedObjects } from './common';
import { deriveFlaggerCanary } from './flagger';
import type { RolloutKind, RolloutView } from './types';
import { deriveDeployment, deriveStatefulSet } from './workloads';

export type { RelatedObjects } from './common';

/**
 * The kinds a release can be, in the order the model prefers them.
 * @public
 */
export const ROLLOUT_KINDS: ReadonlyArray<RolloutKind> = [
  'Rollout',
  'Canary',
  'Deployment',
  'StatefulSet',
];

/**
 * The kinds the backend reads for an entity's releases (the release kinds and what fills pods,
 * analysis and history).
 * @public
 */
export const ROLLOUT_READ_KINDS = [
  'Rollout',
  'Canary',
  'Deployment',
  'StatefulSet',
  'ReplicaSet',
  'AnalysisRun',
] as const;

/**
 * The normalised model of one release, whatever its kind; `undefined` for other kinds.
 * @public
 */
export function deriveRollout(
  kind: string,
  obj: KubeObject,
  related: RelatedObjects = {},
): RolloutView | undefined {
  switch (kind) {
    case 'Rollout':
      return deriveArgoRollout(obj, related);
    case 'Canary':
      return deriveFlaggerCanary(obj, related);
    case 'Deployment':
      return deriveDeployment(obj, related);
    case 'StatefulSet':
      return deriveStatefulSet(obj);
    default:
      return undefined;
  }
}

/**
 * Deployments that are not releases of their own: a Flagger Canary's target and `-primary`, and
 * the `workloadRef` of an Argo Rollout. They appear inside that release instead.
 * @public
 */
export function managedDeploymentNames(
  rollouts: KubeObject[],
  canaries: KubeObject[],
): Set<string> {
  const out = new Set<string>();
  for (const c of canaries) {
    const t = c.spec?.targetRef?.name;
    if (t) {
      out.add(`${c.metadata.namespace}/${t}`);
      out.add(`${c.metadata.namespace}/${t}-primary`);
    }
  }
  for (const r of rollouts) {
    const ref = r.spec?.workloadRef;
    if (ref?.kind === 'Deployment' && ref.name)
      out.add(`${r.metadata.namespace}/${ref.name}`);
  }
  return out;
}

/**
 * Why a release waits for a person.
 * @public
 */
export type WaitingState =
  | 'paused'
  | 'degraded'
  | 'aborted'
  | 'inconclusive'
  | 'deadline';

/**
 * Why a release is in the "waiting for a human" list; `undefined` when it is not. Timed pauses
 * (which end by themselves) are not in it.
 * @public
 */
export function waitingState(view: RolloutView): WaitingState | undefined {
  if (!view.waitingForHuman) return undefined;
  if (view.phase === 'Aborted') return 'aborted';
  if (view.degradedReason === 'TimedOut') return 'deadline';
  if (view.phase === 'Degraded') return 'degraded';
  if (view.pause?.reason === 'InconclusiveAnalysisRun') return 'inconclusive';
  if (view.phase === 'Paused') return 'paused';
  return undefined;
}
