import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  monthlyUsage,
  TERMINAL_PHASES,
  trainingRunCancelPermission,
  trainingRunReadPermission,
} from '@careplane/plugin-training-common';
import type { RunRecord } from '../../database/RunStore';
import { authorize, userOf } from './authorize';
import type { TrainingDeps } from './deps';
import { gpuTypesWithClusters } from './gpuTypes';
import { launchRun } from './launch';
import { runGpuMetrics } from './metrics';
import { observeRun, readRunObjects } from './observe';
import { presentRun } from './present';
import { quotaView } from './quota';
import type { TrainingService } from './types';

/**
 * The training service (see {@link TrainingService}).
 * @internal
 */
export function createTrainingService(deps: TrainingDeps): TrainingService {
  const now = deps.now ?? Date.now;
  const { store, clusters } = deps;

  const canRead = (credentials: BackstageCredentials) =>
    authorize(
      deps.permissions,
      credentials,
      trainingRunReadPermission,
      undefined,
      'You may not see training runs',
    );

  const find = async (id: string): Promise<RunRecord> => {
    const run = /^[0-9a-f-]{36}$/.test(id) ? await store.get(id) : undefined;
    if (!run) throw new NotFoundError(`No training run ${id}`);
    return run;
  };

  /** Brings a run's state up to date from the cache; the stored run when nothing can be told. */
  const refresh = async (run: RunRecord): Promise<RunRecord> => {
    if (TERMINAL_PHASES.includes(run.state.phase)) return run;
    const seen = await observeRun(
      clusters,
      await deps.auth.getOwnServiceCredentials(),
      run,
    );
    if (!seen) return run;
    return (
      (await store.recordState(
        run.id,
        seen.state,
        new Date(now()).toISOString(),
        { uid: seen.uid, seen: seen.seen },
      )) ?? run
    );
  };

  const pods: TrainingService['pods'] = async (id, { credentials }) => {
    await canRead(credentials);
    const run = await find(id);
    const found = await readRunObjects(
      clusters,
      await deps.auth.getOwnServiceCredentials(),
      run,
    );
    return found.pods.map(p => ({
      name: p.name,
      phase: p.object.status?.phase ?? 'Unknown',
      containers: (p.object.spec?.containers ?? []).map(
        (c: { name: string }) => c.name,
      ),
      restarts: (p.object.status?.containerStatuses ?? []).reduce(
        (n: number, s: { restartCount?: number }) => n + (s.restartCount ?? 0),
        0,
      ),
      ...(p.object.spec?.nodeName ? { nodeName: p.object.spec.nodeName } : {}),
    }));
  };

  return {
    async gpuTypes({ credentials }) {
      await canRead(credentials);
      const infos = await clusters.listClusters({ credentials });
      return {
        items: gpuTypesWithClusters(deps.config.gpuTypes, infos),
        currency: deps.config.currency,
      };
    },

    launch: (request, { credentials }) => launchRun(deps, request, credentials),

    async cancel(id, reason, { credentials }) {
      const user = userOf(credentials);
      const audit = await deps.auditor.createEvent({
        eventId: 'run-cancel',
        severityLevel: 'high',
        meta: { runId: id },
      });
      try {
        let run = await find(id);
        await authorize(
          deps.permissions,
          credentials,
          trainingRunCancelPermission,
          run.entityRef,
          `You may not cancel run ${run.objectName}: only owners of ${run.entityRef} and platform admins may`,
        );
        run = await refresh(run);
        if (TERMINAL_PHASES.includes(run.state.phase)) {
          throw new ConflictError(
            `Run ${run.objectName} has already ${
              run.state.phase === 'cancelled'
                ? 'been cancelled'
                : run.state.phase
            }; there is nothing to cancel`,
          );
        }
        try {
          await clusters.delete(
            {
              entityRef: run.entityRef,
              cluster: run.cluster,
              kind: run.kind,
              namespace: run.namespace,
              name: run.objectName,
              propagationPolicy: 'Background',
              reason: `Cancel training run ${run.objectName}: ${reason}`,
            },
            { credentials },
          );
        } catch (e) {
          // already gone from the cluster: the cancel still stands
          if ((e as Error).name !== 'NotFoundError') throw e;
        }
        const cancelled =
          (await store.markCancelled(
            run.id,
            user,
            reason,
            new Date(now()).toISOString(),
          )) ?? run;
        await audit.success({
          meta: {
            entityRef: run.entityRef,
            cluster: run.cluster,
            namespace: run.namespace,
            name: run.objectName,
          },
        });
        deps.logger.info('Training run cancelled', {
          runId: run.id,
          cluster: run.cluster,
        });
        return presentRun(cancelled, await store.history(run.id), now());
      } catch (error) {
        await audit.fail({ error: error as Error });
        throw error;
      }
    },

    async getRun(id, { credentials }) {
      await canRead(credentials);
      const run = await refresh(await find(id));
      return presentRun(run, await store.history(run.id), now());
    },

    async listRuns(query, { credentials }) {
      await canRead(credentials);
      const page = await store.list(
        {
          entityRef: query.entityRef,
          team: query.team,
          phase: query.phase,
          cluster: query.cluster,
          createdBy: query.createdBy,
        },
        query.limit ?? 50,
        query.cursor,
      );
      return {
        items: page.items.map(r => presentRun(r, [], now())),
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      };
    },

    pods,

    async logs(id, request, { credentials }) {
      const run = await find(id);
      const runPods = await pods(id, { credentials });
      if (!runPods.some(p => p.name === request.pod)) {
        throw new InputError(
          `pod: ${request.pod} is not a pod of run ${
            run.objectName
          }; its pods: ${runPods.map(p => p.name).join(', ') || 'none yet'}`,
        );
      }
      // the hub checks clusters.pod.logs on the entity (logs of training data can be sensitive)
      return clusters.getPodLogs(
        {
          entityRef: run.entityRef,
          cluster: run.cluster,
          namespace: run.namespace,
          pod: request.pod,
          container: request.container,
          previous: request.previous,
          tailLines: request.tailLines ?? 500,
          reason: `Logs of training run ${run.objectName}`,
        },
        { credentials },
      );
    },

    async gpuMetrics(id, { credentials }) {
      await canRead(credentials);
      return runGpuMetrics(deps, await find(id), credentials);
    },

    async quota({ credentials }) {
      await canRead(credentials);
      return quotaView(deps);
    },

    async usage({ credentials }) {
      await canRead(credentials);
      const ran = await store.listRan();
      return {
        currency: deps.config.currency,
        items: monthlyUsage(
          ran.map(({ run, history }) => ({
            team: run.team,
            history,
            totalGpus: run.totalGpus,
            pricePerGpuHour: run.pricePerGpuHour,
            end: run.finishedAt ? Date.parse(run.finishedAt) : now(),
          })),
        ),
      };
    },

    async reconcile() {
      for (const run of await store.listUnfinished()) {
        try {
          await refresh(run);
        } catch (error) {
          deps.logger.warn('Could not refresh a training run', {
            runId: run.id,
            cluster: run.cluster,
            error: String(error),
          });
        }
      }
    },
  };
}
