import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { runAction, RolloutActionsDeps } from '../services/RolloutActions';
import { entityRefInput, requireUser } from './shared';

/**
 * Registers `rollouts:promote` or `rollouts:abort`: the same checks as the HTTP route (the
 * action's permission, state, gate, reason, the gateway's scope and audit), for a signed-in user
 * only.
 */
export function createWriteAction(
  action: 'promote' | 'abort',
  options: RolloutActionsDeps & { actionsRegistry: ActionsRegistryService },
) {
  options.actionsRegistry.register({
    name: action,
    title:
      action === 'promote' ? 'Promote a release one step' : 'Abort a release',
    description:
      action === 'promote'
        ? 'Promotes an Argo Rollout one step (or fully with full: true; a Flagger Canary only fully), after the permission, state and error-budget checks. Needs a reason; audited.'
        : 'Aborts an Argo Rollout (back to the stable revision). Needs a reason; audited.',
    attributes: {
      readOnly: false,
      idempotent: false,
      destructive: action === 'abort',
    },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .describe(
              'Owning entity, e.g. component:default/video-consultation',
            ),
          cluster: z.string().describe('Cluster name'),
          kind: z
            .enum(['Rollout', 'Canary'])
            .describe('Rollout (Argo) or Canary (Flagger)'),
          namespace: z.string().describe('Namespace'),
          name: z.string().describe('Name'),
          reason: z.string().min(3).describe('Why; recorded in the audit log'),
          full: z
            .boolean()
            .optional()
            .describe('promote only: promote fully (skip the remaining steps)'),
          overrideGate: z
            .boolean()
            .optional()
            .describe(
              'promote only: override a refusing error-budget gate (owners)',
            ),
        }),
      output: z =>
        z.object({
          patches: z.number().describe('Requests sent to the cluster'),
          overridden: z
            .boolean()
            .describe('Whether the error-budget gate was overridden'),
          warnings: z
            .array(z.string())
            .describe('Warnings, e.g. no metrics: gate not evaluated'),
        }),
    },
    action: async ({ input, credentials }) => {
      requireUser(credentials);
      const result = await runAction(
        options,
        entityRefInput(input.entityRef),
        {
          cluster: input.cluster,
          kind: input.kind,
          namespace: input.namespace,
          name: input.name,
          reason: input.reason,
          action: action === 'promote' && input.full ? 'promote-full' : action,
          overrideGate: input.overrideGate,
        },
        credentials,
      );
      return {
        output: {
          patches: result.patches.length,
          overridden: result.overridden,
          warnings: result.warnings,
        },
      };
    },
  });
}
