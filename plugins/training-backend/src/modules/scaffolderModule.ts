import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  createTemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import { ForwardedError, isError } from '@backstage/errors';
import { trainingApiClient } from '../client/TrainingApiClient';

/** The training plugin's own words for a refused launch, instead of "Request failed with 400". */
function explain(error: unknown): Error {
  // by name: the route client may throw another copy of @backstage/errors' ResponseError
  if (
    isError(error) &&
    error.name === 'ResponseError' &&
    isError(error.cause)
  ) {
    const status = (error as Error & { statusCode?: number }).statusCode;
    return new ForwardedError(
      `Training run not launched (${status})`,
      error.cause,
    );
  }
  return isError(error) ? error : new Error(String(error));
}

/**
 * `training:run:create` for software templates: the same launch as the portal's form (the
 * training plugin validates, checks permission, dry-runs, creates and audits as the person who
 * runs the template). The idempotency key is the task's, so a retried task launches nothing twice.
 * @internal
 */
export function createRunCreateTemplateAction(deps: {
  discovery: Parameters<typeof trainingApiClient>[0]['discovery'];
  auth: Parameters<typeof trainingApiClient>[0]['auth'];
}) {
  return createTemplateAction({
    id: 'training:run:create',
    description:
      'Launches a GPU training run through the Careplane training plugin, as the user running the template, with the same validation as the portal (GPU type and count, image pinned by digest for PHI, no secret values in env, a cluster offering the GPU type, quota).',
    schema: {
      input: {
        entityRef: z =>
          z
            .string()
            .describe(
              'Owning entity, e.g. component:default/triage-model-training',
            ),
        name: z =>
          z.string().describe('Run name, a DNS label of at most 40 characters'),
        cluster: z => z.string().describe('A cluster offering the GPU type'),
        runtime: z =>
          z
            .enum(['job', 'trainjob', 'pytorchjob'])
            .optional()
            .describe('Default job'),
        queue: z =>
          z
            .string()
            .optional()
            .describe(
              "Kueue LocalQueue; default the entity's careplane.io/training-queue",
            ),
        image: z =>
          z.string().describe('Image; by @sha256 digest for PHI data'),
        command: z => z.array(z.string()).optional().describe('Command'),
        args: z => z.array(z.string()).optional().describe('Arguments'),
        gpuType: z => z.string().describe('GPU type from config'),
        gpuCount: z => z.number().describe('GPUs per node'),
        migProfile: z =>
          z.string().optional().describe('MIG profile, e.g. 1g.10gb'),
        nodes: z => z.number().optional().describe('Nodes, default 1'),
        cpu: z => z.string().describe('CPU per node'),
        memory: z => z.string().describe('Memory per node'),
        datasetPvc: z =>
          z.string().optional().describe('Dataset PVC (read-only at /data)'),
        outputPvc: z =>
          z.string().optional().describe('Output PVC (at /output)'),
        hyperParameters: z =>
          z
            .record(z.string())
            .optional()
            .describe('Environment values; no secrets'),
        secretEnv: z =>
          z
            .array(
              z.object({
                name: z.string(),
                secretName: z.string(),
                key: z.string(),
              }),
            )
            .optional()
            .describe('Secrets by reference (Secret name and key)'),
        maxRuntimeMinutes: z =>
          z.number().describe('Deadline, 1 to 10080 minutes'),
      },
      output: {
        runId: z => z.string().describe('Run id'),
        objectName: z =>
          z.string().describe('Name of the run object on the cluster'),
        phase: z =>
          z.string().describe('State right after launch, e.g. queued'),
        runUrl: z => z.string().describe('Path of the run page in the portal'),
      },
    },
    async handler(ctx) {
      const { gpuType, gpuCount, migProfile, ...rest } = ctx.input;
      const credentials = await ctx.getInitiatorCredentials();
      const answer = await ctx.checkpoint({
        key: `training-run-create-${ctx.task.id}`,
        fn: async () => {
          const client = trainingApiClient(deps, credentials);
          const res = await client
            .call('POST', '/v1/runs', {
              body: {
                ...rest,
                idempotencyKey: `task-${ctx.task.id}`.slice(0, 64),
                gpu: {
                  type: gpuType,
                  count: gpuCount,
                  ...(migProfile ? { migProfile } : {}),
                },
                reason: `Software template task ${ctx.task.id}`,
              },
            })
            .catch(e => {
              throw explain(e);
            });
          return {
            id: res.run.id,
            objectName: res.run.objectName,
            phase: res.run.state.phase,
          };
        },
      });
      ctx.logger.info(
        `Training run ${answer.objectName} launched (${answer.phase})`,
      );
      ctx.output('runId', answer.id);
      ctx.output('objectName', answer.objectName);
      ctx.output('phase', answer.phase);
      ctx.output('runUrl', `/training/runs/${answer.id}`);
    },
  });
}

/**
 * Scaffolder module with `training:run:create`.
 * @public
 */
export const scaffolderModuleTraining = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'training',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ scaffolder, discovery, auth }) {
        scaffolder.addActions(
          createRunCreateTemplateAction({ discovery, auth }),
        );
      },
    });
  },
});
