import { randomUUID } from 'node:crypto';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  buildRunManifest,
  clusterQueueQuota,
  deriveRunState,
  LaunchRequest,
  LaunchResponse,
  quotaFit,
  RUNTIME_OBJECT_KIND,
  runObjectName,
  RunPlan,
  trainingRunCreatePermission,
  validateLaunch,
} from '@careplane/plugin-training-common';
import type { RunRecord } from '../../database/RunStore';
import { authorize, userOf } from './authorize';
import type { TrainingDeps } from './deps';
import { gpuTypesWithClusters } from './gpuTypes';
import { presentRun } from './present';

/** Team of an entity: its owner as a group ref. */
function teamOf(entity: { spec?: { owner?: unknown } }): string | undefined {
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || !owner) return undefined;
  try {
    return stringifyEntityRef(parseEntityRef(owner, { defaultKind: 'group' }));
  } catch {
    return undefined;
  }
}

/**
 * Refuses a launch that can never fit the queue's quota (Kueue's ClusterQueue, or
 * `training.teamQuotas` where the cluster has no Kueue). Queue reads use the plugin's own
 * credentials: the hub serves them to services only, and they are cache reads.
 */
async function checkQuota(
  deps: TrainingDeps,
  plan: RunPlan,
  team: string | undefined,
  kueue: boolean,
): Promise<void> {
  const need = plan.gpusPerNode * plan.nodes;
  const credentials = await deps.auth.getOwnServiceCredentials();
  if (kueue && plan.queue) {
    const lqs = await deps.clusters.getObjects(
      {
        selector: { labelSelector: '', namespace: plan.namespace },
        kinds: ['LocalQueue'],
        clusters: [plan.cluster],
      },
      { credentials },
    );
    const answer = lqs.clusters.find(c => c.cluster === plan.cluster);
    if (answer?.status !== 'ok') return; // cannot tell; Kueue will say
    const lq = answer.items.find(o => o.name === plan.queue);
    if (!lq) {
      throw new InputError(
        `queue: LocalQueue ${plan.queue} does not exist in namespace ${plan.namespace} on ${plan.cluster}; ask the platform team or set the entity's careplane.io/training-queue`,
      );
    }
    const cqName: unknown = lq.object.spec?.clusterQueue;
    const cqs = await deps.clusters.getObjects(
      {
        selector: { labelSelector: '' },
        kinds: ['ClusterQueue'],
        clusters: [plan.cluster],
      },
      { credentials },
    );
    const cq = cqs.clusters
      .find(c => c.cluster === plan.cluster)
      ?.items.find(o => o.name === cqName);
    if (!cq) return;
    const fit = quotaFit(
      clusterQueueQuota(cq.object),
      plan.gpuResource,
      need,
      `ClusterQueue ${String(cqName)}`,
    );
    if (fit.verdict === 'never')
      throw new InputError(`gpu.count: ${fit.message}`);
    return;
  }
  const quota = deps.config.teamQuotas.find(
    q =>
      q.team === team &&
      q.cluster === plan.cluster &&
      q.gpuType === plan.gpuType.name,
  );
  if (quota && need > quota.gpus) {
    throw new InputError(
      `gpu.count: ${need} GPUs can never fit the ${quota.gpus} ${plan.gpuType.name} GPUs ${team} may use on ${plan.cluster}; ask for fewer GPUs`,
    );
  }
}

/**
 * Launch: permission on the entity, validation (the same function the form runs), quota, a
 * server-side dry run through the hub with the person's credentials, the run persisted under its
 * idempotency key (a unique constraint: a retry or a second backend instance gets the same run and
 * creates nothing), then the create, again as the person. Audited as `run-launch`.
 */
export async function launchRun(
  deps: TrainingDeps,
  request: LaunchRequest,
  credentials: BackstageCredentials,
): Promise<LaunchResponse> {
  const now = deps.now ?? Date.now;
  const user = userOf(credentials);
  const audit = await deps.auditor.createEvent({
    eventId: 'run-launch',
    severityLevel: 'medium',
    meta: {
      entityRef: request.entityRef,
      cluster: request.cluster,
      name: request.name,
      gpuType: request.gpu.type,
      gpus: request.gpu.count * (request.nodes ?? 1),
    },
  });
  try {
    await authorize(
      deps.permissions,
      credentials,
      trainingRunCreatePermission,
      request.entityRef,
      `You may not launch training runs for ${request.entityRef}: only its owners and platform admins may`,
    );
    const entity = await deps.catalog.getEntityByRef(request.entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(
        `Entity ${request.entityRef} not found in the catalog`,
      );
    }
    const clusterInfos = await deps.clusters.listClusters({ credentials });
    const result = validateLaunch(request, {
      gpuTypes: gpuTypesWithClusters(deps.config.gpuTypes, clusterInfos),
      clusters: clusterInfos,
      entity,
    });
    if (!result.ok) {
      throw new InputError(
        `Cannot launch: ${result.problems
          .map(p => `${p.field}: ${p.message}`)
          .join('; ')}`,
      );
    }
    const plan = result.plan;
    const team = teamOf(entity);
    const cluster = clusterInfos.find(c => c.name === plan.cluster);
    const kueue =
      cluster?.kinds?.find(k => k.kind === 'Workload')?.status === 'installed';
    await checkQuota(deps, plan, team, kueue);

    const id = (deps.newId ?? randomUUID)();
    const objectName = runObjectName(plan.name, request.idempotencyKey);
    const manifest = buildRunManifest(plan, {
      runId: id,
      objectName,
      launchedBy: user,
    });
    const reason = request.reason || `Launch training run ${objectName}`;
    await deps.clusters.apply(
      {
        entityRef: plan.entityRef,
        cluster: plan.cluster,
        manifest,
        dryRun: true,
      },
      { credentials },
    );

    const at = new Date(now()).toISOString();
    const record: RunRecord = {
      id,
      createdBy: user,
      idempotencyKey: request.idempotencyKey,
      name: plan.name,
      entityRef: stringifyEntityRef(entity),
      team,
      cluster: plan.cluster,
      namespace: plan.namespace,
      kind: RUNTIME_OBJECT_KIND[plan.runtime],
      objectName,
      objectSeen: false,
      parameters: {
        runtime: plan.runtime,
        image: plan.image,
        command: plan.command,
        args: plan.args,
        gpuType: plan.gpuType.name,
        gpuResource: plan.gpuResource,
        gpusPerNode: plan.gpusPerNode,
        ...(plan.migProfile ? { migProfile: plan.migProfile } : {}),
        nodes: plan.nodes,
        cpu: plan.cpu,
        memory: plan.memory,
        ...(plan.datasetPvc ? { datasetPvc: plan.datasetPvc } : {}),
        ...(plan.outputPvc ? { outputPvc: plan.outputPvc } : {}),
        hyperParameters: plan.hyperParameters,
        secretEnv: plan.secretEnv,
        maxRuntimeMinutes: plan.maxRuntimeMinutes,
        ...(plan.queue ? { queue: plan.queue } : {}),
        pricePerGpuHour: plan.pricePerGpuHour,
      },
      totalGpus: plan.gpusPerNode * plan.nodes,
      pricePerGpuHour: plan.pricePerGpuHour,
      state: deriveRunState({ runtime: plan.runtime }),
      stateChangedAt: at,
      createdAt: at,
    };
    const { run: held, created } = await deps.store.insert(record);
    if (!created) {
      await audit.success({ meta: { runId: held.id, created: false } });
      return {
        run: presentRun(held, await deps.store.history(held.id), now()),
        created: false,
      };
    }

    let stored = held;
    try {
      const written = await deps.clusters.apply(
        { entityRef: plan.entityRef, cluster: plan.cluster, manifest, reason },
        { credentials },
      );
      // what the API server answered is the first state people see (queued for Kueue)
      if (written.object) {
        stored =
          (await deps.store.recordState(
            id,
            deriveRunState({
              runtime: plan.runtime,
              object: written.object.object,
            }),
            new Date(now()).toISOString(),
            { uid: written.object.object.metadata.uid, seen: false },
          )) ?? stored;
      }
    } catch (e) {
      // nothing was created: free the key so the same launch can be retried
      await deps.store.delete(id);
      throw e;
    }
    await audit.success({
      meta: { runId: id, created: true, objectName, namespace: plan.namespace },
    });
    deps.logger.info('Training run launched', {
      runId: id,
      cluster: plan.cluster,
      namespace: plan.namespace,
      name: objectName,
    });
    return {
      run: presentRun(stored, await deps.store.history(id), now()),
      created: true,
    };
  } catch (error) {
    await audit.fail({ error: error as Error });
    throw error;
  }
}
