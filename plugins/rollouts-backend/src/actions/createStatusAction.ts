import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { entityRollouts, EntityRolloutsDeps } from '../services/EntityRollouts';
import { entityRefInput } from './shared';

/** Registers `rollouts:status`: an entity's releases per cluster, in words. */
export function createStatusAction(
  options: EntityRolloutsDeps & { actionsRegistry: ActionsRegistryService },
) {
  options.actionsRegistry.register({
    name: 'status',
    title: 'Get the rollout status of a catalog entity',
    description:
      'For a catalog entity (e.g. component:default/video-consultation), returns per cluster each release (Argo Rollout, Flagger Canary, Deployment, StatefulSet) with its phase, message in words, step, weights, pause and the actions valid now.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .describe('Entity ref, e.g. component:default/video-consultation'),
        }),
      output: z =>
        z.object({
          entityRef: z.string().describe('The entity ref'),
          clusters: z
            .array(
              z.object({
                cluster: z.string().describe('Cluster name'),
                status: z
                  .string()
                  .describe(
                    'Freshness: ok, stale, unavailable or not-installed',
                  ),
                rollouts: z
                  .array(
                    z.object({
                      kind: z
                        .string()
                        .describe('Rollout, Canary, Deployment or StatefulSet'),
                      namespace: z.string().describe('Namespace'),
                      name: z.string().describe('Name'),
                      phase: z
                        .string()
                        .describe(
                          'Healthy, Progressing, Paused, Degraded, Aborted or Unknown',
                        ),
                      message: z.string().describe('The phase in words'),
                      step: z
                        .string()
                        .optional()
                        .describe('Step index of total, e.g. 1/6'),
                      setWeight: z
                        .number()
                        .optional()
                        .describe('Desired canary weight %'),
                      actualWeight: z
                        .number()
                        .optional()
                        .describe('Actual canary weight %'),
                      pausedSince: z
                        .string()
                        .optional()
                        .describe('When the pause began'),
                      validActions: z
                        .array(z.string())
                        .describe('Actions valid in this state'),
                    }),
                  )
                  .describe('Releases on the cluster'),
              }),
            )
            .describe('One entry per cluster'),
        }),
    },
    action: async ({ input, credentials }) => {
      const answer = await entityRollouts(
        options,
        entityRefInput(input.entityRef),
        credentials,
      );
      return {
        output: {
          entityRef: answer.entityRef,
          clusters: answer.clusters.map(c => ({
            cluster: c.cluster,
            status: c.status,
            rollouts: c.rollouts.map(r => ({
              kind: r.kind,
              namespace: r.namespace,
              name: r.name,
              phase: r.phase,
              message: r.message,
              step: r.step ? `${r.step.index}/${r.step.total}` : undefined,
              setWeight: r.weights?.set,
              actualWeight: r.weights?.actual,
              pausedSince: r.pause?.since,
              validActions: r.actions.filter(a => a.valid).map(a => a.action),
            })),
          })),
        },
      };
    },
  });
}
