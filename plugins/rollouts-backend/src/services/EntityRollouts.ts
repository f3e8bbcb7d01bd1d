import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type {
  KubeObject,
  ObjectEnvelope,
} from '@careplane/plugin-clusters-common';
import type { ClustersService } from '@careplane/plugin-clusters-node';
import {
  ActionAvailability,
  checkPrecondition,
  ClusterRollout,
  deriveRollout,
  EntityRolloutsResponse,
  managedDeploymentNames,
  revisionHistory,
  ROLLOUT_ACTIONS,
  ROLLOUT_KINDS,
  ROLLOUT_READ_KINDS,
  RolloutView,
} from '@careplane/plugin-rollouts-common';

/** The objects of one cluster, grouped by kind. */
function byKind(items: ObjectEnvelope[]): Map<string, KubeObject[]> {
  const out = new Map<string, KubeObject[]>();
  for (const i of items) {
    const obj = { ...i.object, kind: i.object.kind ?? i.kind };
    out.set(i.kind, [...(out.get(i.kind) ?? []), obj]);
  }
  return out;
}

/** Which actions are valid now, and why not (the user's permission is asked separately). */
export function actionsOf(
  view: RolloutView,
  history: ClusterRollout['history'],
): ActionAvailability[] {
  return ROLLOUT_ACTIONS.map(action => {
    if (action === 'undo') {
      const target = history.find(h => !h.current);
      const p = checkPrecondition(action, view, {
        history,
        revision: target?.revision,
      });
      return p.ok
        ? { action, valid: true }
        : {
            action,
            valid: false,
            reason: target ? p.reason : 'no earlier revision to go back to',
          };
    }
    const p = checkPrecondition(action, view);
    return p.ok
      ? { action, valid: true, warning: p.warning }
      : { action, valid: false, reason: p.reason };
  });
}

/** One release on one cluster, from the kinds read for its cluster. */
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
 * An entity's releases on every cluster, from the hub's cache, read with the caller's credentials
 * (the hub checks `clusters.resource.read` on the entity; unknown entity: 404).
 */
export async function entityRollouts(
  clusters: ClustersService,
  entityRef: string,
  credentials: BackstageCredentials,
  only?: string[],
): Promise<EntityRolloutsResponse> {
  const answer = await clusters.getEntityObjects(
    { entityRef, kinds: [...ROLLOUT_READ_KINDS], clusters: only },
    { credentials },
  );
  return {
    entityRef,
    clusters: answer.clusters.map(c => {
      const kinds = byKind(c.items);
      const managed = managedDeploymentNames(
        kinds.get('Rollout') ?? [],
        kinds.get('Canary') ?? [],
      );
      const rollouts: ClusterRollout[] = [];
      for (const kind of ROLLOUT_KINDS) {
        for (const obj of kinds.get(kind) ?? []) {
          if (
            kind === 'Deployment' &&
            managed.has(`${obj.metadata.namespace}/${obj.metadata.name}`)
          ) {
            continue;
          }
          const r = clusterRollout(c.cluster, kind, obj, kinds);
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
    }),
  };
}
