import type {
  AuditorService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import type { ClustersService } from '@careplane/plugin-clusters-node';
import {
  ACTION_PERMISSIONS,
  ActionRequest,
  ActionResponse,
  checkPrecondition,
  clusterRollout,
  objectsByKind,
  ClusterGate,
  isGatedAction,
  planPatches,
  rolloutsGateOverridePermission,
  SentPatch,
} from '@careplane/plugin-rollouts-common';
import type { RolloutsConfig } from '../config';
import { evaluateGate } from './ErrorBudgetGate';

/** What an action needs. */
export interface RolloutActionsDeps {
  clusters: ClustersService;
  catalog: CatalogService;
  permissions: PermissionsService;
  auditor: AuditorService;
  config: RolloutsConfig;
  /** The clock, for restart timestamps (tests pin it). */
  now?: () => Date;
}

async function allowed(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  permission: ResourcePermission,
  entityRef: string,
): Promise<boolean> {
  const [d] = await permissions.authorize(
    [{ permission, resourceRef: entityRef }],
    { credentials },
  );
  return d.result === AuthorizeResult.ALLOW;
}

/**
 * Runs one action for a person, in this order: the action's permission on the entity (403); the
 * cluster and the object from the hub's cache (400 unknown cluster, 404 no such release of the
 * entity); the state precondition (409 with the reason); for promotions, the error-budget gate
 * (409 unless an owner with `rollouts.gate.override` overrides it); then the §1.5 patches through
 * `ClustersService.patch` with the person's credentials, so the gateway checks write scope and
 * audits each one with the reason. The whole action is one auditor event.
 */
export async function runAction(
  deps: RolloutActionsDeps,
  entityRef: string,
  req: ActionRequest,
  credentials: BackstageCredentials,
): Promise<ActionResponse> {
  const { clusters, permissions } = deps;
  const permission = ACTION_PERMISSIONS[req.action] as ResourcePermission;
  const audit = await deps.auditor.createEvent({
    eventId: 'rollout-action',
    severityLevel:
      req.action === 'abort' || req.action === 'undo' ? 'high' : 'medium',
    meta: {
      action: req.action,
      entityRef,
      cluster: req.cluster,
      kind: req.kind,
      namespace: req.namespace,
      name: req.name,
      reason: req.reason,
      ...(req.revision !== undefined ? { revision: req.revision } : {}),
    },
  });
  try {
    if (!(await allowed(permissions, credentials, permission, entityRef))) {
      throw new NotAllowedError(
        `Not allowed: ${permission.name} on ${entityRef} (owners of the entity and platform admins may ${req.action})`,
      );
    }
    const known = (await clusters.listClusters({ credentials })).map(
      c => c.name,
    );
    if (!known.includes(req.cluster)) {
      throw new InputError(
        `Unknown cluster '${req.cluster}'; known clusters: ${known.join(', ')}`,
      );
    }
    const answer = await clusters.getEntityObjects(
      {
        entityRef,
        kinds: [
          'Rollout',
          'Canary',
          'Deployment',
          'StatefulSet',
          'ReplicaSet',
          'AnalysisRun',
        ],
        clusters: [req.cluster],
      },
      { credentials },
    );
    const items = answer.clusters.flatMap(c => c.items);
    const envelope = items.find(
      i =>
        i.kind === req.kind &&
        i.namespace === req.namespace &&
        i.name === req.name,
    );
    if (!envelope) {
      throw new NotFoundError(
        `No ${req.kind} ${req.namespace}/${req.name} of ${entityRef} on ${req.cluster}; pick one from GET /v1/entities/.../rollouts`,
      );
    }
    const kinds = objectsByKind(items);
    const object = { ...envelope.object, kind: req.kind };
    const rollout = clusterRollout(req.cluster, req.kind, object, kinds)!;
    const pre = checkPrecondition(req.action, rollout, {
      revision: req.revision,
      history: rollout.history,
    });
    if (!pre.ok)
      throw new ConflictError(
        `Cannot ${req.action} ${req.kind} ${req.namespace}/${req.name} on ${req.cluster}: ${pre.reason}`,
      );
    const warnings = pre.warning ? [pre.warning] : [];

    let gate: ClusterGate | undefined;
    let overridden = false;
    if (isGatedAction(req.action)) {
      let g: Awaited<ReturnType<typeof evaluateGate>>;
      try {
        g = await evaluateGate(deps, entityRef, [req.cluster], credentials);
      } catch (e) {
        // a malformed SLO annotation: 400 saying what to fix, unless an owner overrides
        if (!(e instanceof InputError) || !req.overrideGate) throw e;
        if (
          !(await allowed(
            permissions,
            credentials,
            rolloutsGateOverridePermission,
            entityRef,
          ))
        ) {
          throw new NotAllowedError(
            `Not allowed: ${rolloutsGateOverridePermission.name} on ${entityRef}`,
          );
        }
        overridden = true;
        warnings.push(`gate not evaluated: ${e.message}`);
        g = { entityRef, clusters: [] };
      }
      gate = g.clusters.find(c => c.cluster === req.cluster);
      if (g.sloError) warnings.push(`gate not evaluated: ${g.sloError}`);
      else if (!overridden && (!gate || gate.decision === 'not-evaluated')) {
        warnings.push('no metrics: gate not evaluated');
      }
      if (gate?.decision === 'block') {
        if (!req.overrideGate) {
          throw new ConflictError(
            `Promotion refused by the error-budget gate on ${req.cluster}: ${gate.reason}. An owner may override it with a reason (overrideGate: true).`,
          );
        }
        if (
          !(await allowed(
            permissions,
            credentials,
            rolloutsGateOverridePermission,
            entityRef,
          ))
        ) {
          throw new NotAllowedError(
            `Not allowed: ${rolloutsGateOverridePermission.name} on ${entityRef}`,
          );
        }
        overridden = true;
      }
    }

    const entry = rollout.history.find(h => h.revision === req.revision);
    const planned = planPatches(req.action, req.kind, object, {
      now: (deps.now?.() ?? new Date()).toISOString(),
      entry,
    });
    const reason = `rollouts ${req.action}${
      overridden ? ' (error-budget gate overridden)' : ''
    }: ${req.reason}`;
    const patches: SentPatch[] = [];
    for (const p of planned) {
      const r = await clusters.patch(
        {
          entityRef,
          cluster: req.cluster,
          kind: p.kind,
          namespace: p.namespace,
          name: p.name,
          patchType: p.patchType,
          patch: p.patch,
          subresource: p.subresource,
          reason,
        },
        { credentials },
      );
      patches.push({
        kind: p.kind,
        name: p.name,
        subresource: p.subresource,
        patchType: p.patchType,
        auditId: r.auditId,
      });
    }
    await audit.success({
      meta: {
        overridden,
        gate: gate?.decision ?? 'not-applicable',
        auditIds: patches.map(p => p.auditId),
      },
    });
    return {
      action: req.action,
      cluster: req.cluster,
      kind: req.kind,
      namespace: req.namespace,
      name: req.name,
      patches,
      gate,
      overridden,
      warnings,
    };
  } catch (error) {
    await audit.fail({ error: error as Error });
    throw error;
  }
}
