import type { z as zod } from 'zod/v3';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { Run } from '@careplane/plugin-training-common';
import type { TrainingService } from '../services/TrainingService';

/** A run as actions describe it: state in words, GPUs, cost. */
function summary(run: Run) {
  return {
    id: run.id,
    name: run.objectName,
    entityRef: run.entityRef,
    cluster: run.cluster,
    namespace: run.namespace,
    kind: run.kind,
    phase: run.state.phase,
    reason: run.state.reason,
    state: run.state.message,
    position: run.state.position,
    gpus: run.totalGpus,
    gpuType: run.parameters.gpuType,
    gpuHours: run.gpuHours,
    cost: run.cost,
    createdBy: run.createdBy,
    createdAt: run.createdAt,
    cancelledBy: run.cancelledBy,
  };
}

/**
 * Registers the MCP actions `training:runs`, `training:run:create` and `training:run:cancel`.
 * They run with the caller's credentials through the same service as the HTTP API, so the same
 * validation, permissions and audit apply.
 * @internal
 */
export function registerTrainingActions(options: {
  actionsRegistry: ActionsRegistryService;
  training: TrainingService;
}) {
  const { actionsRegistry, training } = options;
  const runShape = (z: typeof zod) =>
    z.object({
      id: z.string().describe('Run id'),
      name: z.string().describe('Name of the run object on the cluster'),
      entityRef: z.string().describe('Owning catalog entity'),
      cluster: z.string(),
      namespace: z.string(),
      kind: z.string().describe('Job, TrainJob or PyTorchJob'),
      phase: z
        .string()
        .describe(
          'submitted, queued, starting, running, succeeded, failed, cancelled, preempted or suspended',
        ),
      reason: z
        .string()
        .optional()
        .describe('Machine reason, e.g. WaitingForQuota'),
      state: z.string().describe('The state in words, with the reason'),
      position: z
        .number()
        .optional()
        .describe('Position in the Kueue ClusterQueue while queued'),
      gpus: z.number().describe('GPUs (or MIG slices) in total'),
      gpuType: z.string(),
      gpuHours: z.number().describe('GPU-hours used so far'),
      cost: z.number().describe('Cost so far'),
      createdBy: z.string(),
      createdAt: z.string(),
      cancelledBy: z.string().optional(),
    });

  actionsRegistry.register({
    name: 'runs',
    title: 'List or get GPU training runs',
    description:
      'Lists GPU training runs (newest first, filtered by entity, phase or cluster), or gets one run by id with its state and the reason (why it is queued, failed or preempted).',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          id: z.string().optional().describe('A run id: get that run'),
          entityRef: z.string().optional().describe('Only runs of this entity'),
          phase: z.string().optional().describe('Only runs in this phase'),
          cluster: z.string().optional().describe('Only runs on this cluster'),
          limit: z
            .number()
            .int()
            .min(1)
            .max(200)
            .optional()
            .describe('At most this many, default 20'),
        }),
      output: z => z.object({ runs: z.array(runShape(z)) }),
    },
    action: async ({ input, credentials }) => {
      if (input.id) {
        return {
          output: {
            runs: [summary(await training.getRun(input.id, { credentials }))],
          },
        };
      }
      const page = await training.listRuns(
        {
          entityRef: input.entityRef,
          phase: input.phase as Run['state']['phase'] | undefined,
          cluster: input.cluster,
          limit: input.limit ?? 20,
        },
        { credentials },
      );
      return { output: { runs: page.items.map(summary) } };
    },
  });

  actionsRegistry.register({
    name: 'run:create',
    title: 'Launch a GPU training run',
    description:
      'Launches a GPU training run for a catalog entity you own: validated like the portal form (GPU type and count from config, image pinned by digest for PHI, no secret values in env), dry-run first, then created on the cluster as you, audited. Retrying with the same idempotencyKey returns the same run.',
    attributes: { readOnly: false, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          idempotencyKey: z
            .string()
            .describe(
              '8 to 64 of [A-Za-z0-9_-]; the same key returns the same run',
            ),
          entityRef: z
            .string()
            .describe(
              'Owning entity, e.g. component:default/triage-model-training',
            ),
          name: z
            .string()
            .describe('Run name, a DNS label of at most 40 characters'),
          cluster: z.string().describe('A cluster that offers the GPU type'),
          runtime: z
            .enum(['job', 'trainjob', 'pytorchjob'])
            .optional()
            .describe('Default job'),
          queue: z
            .string()
            .optional()
            .describe(
              "Kueue LocalQueue; default the entity's careplane.io/training-queue",
            ),
          image: z.string().describe('Image; by @sha256 digest for PHI data'),
          command: z.array(z.string()).optional(),
          args: z.array(z.string()).optional(),
          gpuType: z.string().describe('GPU type from config'),
          gpuCount: z.number().describe('GPUs per node'),
          migProfile: z.string().optional(),
          nodes: z.number().optional().describe('Default 1'),
          cpu: z.string().describe('CPU per node, e.g. 8'),
          memory: z.string().describe('Memory per node, e.g. 64Gi'),
          datasetPvc: z.string().optional(),
          outputPvc: z.string().optional(),
          hyperParameters: z
            .record(z.string())
            .optional()
            .describe('Env values; no secrets'),
          secretEnv: z
            .array(
              z.object({
                name: z.string(),
                secretName: z.string(),
                key: z.string(),
              }),
            )
            .optional()
            .describe('Secrets by reference'),
          maxRuntimeMinutes: z.number().describe('1 to 10080'),
          reason: z.string().optional(),
        }),
      output: z => z.object({ created: z.boolean(), run: runShape(z) }),
    },
    action: async ({ input, credentials }) => {
      const { gpuType, gpuCount, migProfile, ...rest } = input;
      const answer = await training.launch(
        {
          ...rest,
          gpu: {
            type: gpuType,
            count: gpuCount,
            ...(migProfile ? { migProfile } : {}),
          },
        },
        { credentials },
      );
      return { output: { created: answer.created, run: summary(answer.run) } };
    },
  });

  actionsRegistry.register({
    name: 'run:cancel',
    title: 'Cancel a GPU training run',
    description:
      'Cancels a training run (deletes its Job / TrainJob / PyTorchJob): owners of the entity and platform admins only; who and why are recorded.',
    attributes: { readOnly: false, idempotent: false, destructive: true },
    schema: {
      input: z =>
        z.object({
          id: z.string().describe('Run id'),
          reason: z
            .string()
            .min(1)
            .describe('Why; recorded with the run and in the audit log'),
        }),
      output: z => z.object({ run: runShape(z) }),
    },
    action: async ({ input, credentials }) => ({
      output: {
        run: summary(
          await training.cancel(input.id, input.reason, { credentials }),
        ),
      },
    }),
  });
}
