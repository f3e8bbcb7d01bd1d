import type {
  KubeObject,
  ObjectEnvelope,
  ObjectsResponse,
} from '@careplane/plugin-clusters-common';
import { checkPrecondition } from '../actions/preconditions';
import { ROLLOUT_ACTIONS } from '../actions/types';
import type {
  ActionAvailability,
  ClusterRollout,
  ClusterRollouts,
} from '../contract/responses';
import { deriveRollout, managedDeploymentNames, ROLLOUT_KINDS } from './derive';
import { revisionHistory } from './history';
import type { RolloutView } from './types';

/**
 * The objects of one cluster grouped by kind (the envelope's kind wins: list items carry none).
 * @public
 */
export function objectsByKind(
  items: ObjectEnvelope[],
): Map<string, KubeObject[]> {
  const out = new Map<string, KubeObject[]>();
  for (const i of items) {
    const list = out.get(i.kind) ?? [];
    list.push({ ...i.object, kind: i.kind });
    out.set(i.kind, list);
  }
  return out;
}

/**
 * Which actions are valid now, and why not (the person's permission is a separate question).
 * `undo` is judged against the newest earlier revision.
 * @public
 */
export function actionsOf(
  view: RolloutView,
  history: ClusterRollout['history'],
): ActionAvailability[] {
  return ROLLOUT_ACTIONS.map(action => {
    if (action === 'undo') {
      const target = history.find(h => !h.current);
      if (!target) {
        return {
          action,
          valid: false,
          reason: 'no earlier revision to go back to',
        };
      }
      const p = checkPrecondition(action, view, {
        history,
        revision: target.revision,
      });
      return p.ok
        ? { action, valid: true }
        : { action, valid: false, reason: p.reason };
    }
    const p = checkPrecondition(action, view);
    return p.ok
      ? { action, valid: true, warning: p.warning }
      : { action, valid: false, reason: p.reason };
  });
}

/**
 * One release on one cluster, with its pods, analysis, history and valid actions.
 * @public
 */
export function clusterRollout(
  cluster: string,
  kind: string,
  obj: KubeObject,
  kinds: Map<string, KubeObject[]>,
): ClusterRollout | undefined {
  const sameNs = (list?: KubeObject[]) =>
    (list ?? []).filter(o => o.metadata.namespace === obj.metadata.namespace);
  const replicaSets = sameNs(kinds.get('ReplicaSet'));
  const view = deriveRollout(kind, obj, {
    replicaSets,
    analysisRuns: sameNs(kinds.get('AnalysisRun')),
    deployments: sameNs(kinds.get('Deployment')),
  });
  if (!view) return undefined;
  const history = revisionHistory(obj, replicaSets);
  return { ...view, cluster, history, actions: actionsOf(view, history) };
}

/**
 * An entity's releases per cluster from its objects (`ROLLOUT_READ_KINDS`): Flagger targets and
 * primaries and Argo workload references appear inside their release, not as releases.
 * @public
 */
export function rolloutsFromObjects(
  answer: ObjectsResponse,
): ClusterRollouts[] {
  return answer.clusters.map(c => {
    const kinds = objectsByKind(c.items);
    const managed = managedDeploymentNames(
      kinds.get('Rollout') ?? [],
      kinds.get('Canary') ?? [],
    );
    const rollouts: ClusterRollout[] = [];
    for (const kind of ROLLOUT_KINDS) {
      for (const obj of kinds.get(kind) ?? []) {
        const skip =
          kind === 'Deployment' &&
          managed.has(`${obj.metadata.namespace}/${obj.metadata.name}`);
        const r = skip
          ? undefined
          : clusterRollout(c.cluster, kind, obj, kinds);
        if (r) rollouts.push(r);
      }
    }
    const errors = [c.error, ...c.kinds.map(k => k.error)]
      .filter(e => e?.message)
      .map(e => e!.message);
    return {
      cluster: c.cluster,
      status: c.status,
      error: errors.length ? [...new Set(errors)].join('; ') : undefined,
      rollouts,
    };
  });
}
