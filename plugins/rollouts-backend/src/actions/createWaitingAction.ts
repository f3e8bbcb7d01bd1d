import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { EntityOwners } from '../services/EntityOwners';
import type { FleetIndex } from '../services/FleetIndex';
import { waitingForHumans } from '../services/waiting';

/** Registers `rollouts:waiting`: every release on every cluster waiting for a person. */
export function createWaitingAction(options: {
  actionsRegistry: ActionsRegistryService;
  fleet: FleetIndex;
  owners: EntityOwners;
}) {
  options.actionsRegistry.register({
    name: 'waiting',
    title: 'List the releases waiting for a person',
    description:
      'Across all clusters and teams: releases paused for a human, degraded, aborted, with inconclusive analysis or past their progress deadline, oldest first. Optional filters: cluster, team (owner entity ref), state.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          cluster: z.string().optional().describe('Only this cluster'),
          team: z
            .string()
            .optional()
            .describe(
              'Only releases owned by this group, e.g. group:default/telehealth-video',
            ),
          state: z
            .enum(['paused', 'degraded', 'aborted', 'inconclusive', 'deadline'])
            .optional()
            .describe('Only this state'),
        }),
      output: z =>
        z.object({
          items: z
            .array(
              z.object({
                cluster: z.string().describe('Cluster'),
                entityRef: z.string().optional().describe('Owning entity'),
                owner: z.string().optional().describe('Owning team'),
                kind: z.string().describe('Kind'),
                namespace: z.string().describe('Namespace'),
                name: z.string().describe('Name'),
                state: z.string().describe('Why it waits'),
                message: z.string().describe('The phase in words'),
                ageSeconds: z
                  .number()
                  .optional()
                  .describe('How long it has waited'),
              }),
            )
            .describe('Waiting releases, oldest first'),
        }),
    },
    action: async ({ input }) => {
      const answer = await waitingForHumans(
        options.fleet,
        options.owners,
        input,
      );
      return {
        output: {
          items: answer.items.map(i => ({
            cluster: i.cluster,
            entityRef: i.entityRef,
            owner: i.owner,
            kind: i.kind,
            namespace: i.namespace,
            name: i.name,
            state: i.state,
            message: i.message,
            ageSeconds: i.ageSeconds,
          })),
        },
      };
    },
  });
}
