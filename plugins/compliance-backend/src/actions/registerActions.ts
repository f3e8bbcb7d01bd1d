import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  CheckDefinition,
  SAFEGUARDS,
  scoreResults,
} from '@careplane/plugin-compliance-common';
import type { ScorecardService } from '../services/Scorecards/ScorecardService';

function normalise(ref: string, defaultKind: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' }),
    );
  } catch {
    throw new InputError(
      `'${ref}' is not an entity ref, e.g. component:default/e-prescribing`,
    );
  }
}

/**
 * `compliance:score` and `compliance:failing` for the actions registry (MCP). Read-only, from
 * the stored results.
 * @internal
 */
export function registerActions(options: {
  actionsRegistry: ActionsRegistryService;
  scorecards: ScorecardService;
  catalog: ReadonlyMap<string, CheckDefinition>;
}) {
  const { actionsRegistry, scorecards, catalog } = options;
  actionsRegistry.register({
    name: 'score',
    title: 'Compliance score of a service or team',
    description:
      'The HIPAA compliance score (0-100), grade (A-F, capped at D by any critical failure) and failing checks of a catalog entity (entityRef) or of every service a team owns (owner, a group ref).',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .optional()
            .describe('e.g. component:default/e-prescribing'),
          owner: z
            .string()
            .optional()
            .describe('e.g. group:default/clinical-records'),
        }),
      output: z =>
        z.object({
          entities: z.array(
            z.object({
              entityRef: z.string(),
              score: z
                .number()
                .nullable()
                .describe('0-100; null when nothing could be decided'),
              grade: z.string(),
              criticalFailures: z.number(),
              failing: z.array(
                z.object({
                  checkId: z.string(),
                  title: z.string(),
                  severity: z.string(),
                  target: z.string(),
                  message: z.string(),
                }),
              ),
            }),
          ),
        }),
    },
    action: async ({ input }) => {
      if (!input.entityRef && !input.owner)
        throw new InputError('Give entityRef or owner');
      const results = await scorecards.results({
        entityRef: input.entityRef && normalise(input.entityRef, 'component'),
        owner: input.owner && normalise(input.owner, 'group'),
      });
      return {
        output: {
          entities: [...results].map(([entityRef, rs]) => {
            const s = scoreResults(rs, catalog);
            return {
              entityRef,
              score: s.score,
              grade: s.grade,
              criticalFailures: s.criticalFailures,
              failing: rs
                .filter(r => r.status === 'fail')
                .map(r => ({
                  checkId: r.checkId,
                  title: catalog.get(r.checkId)?.title ?? r.checkId,
                  severity: r.severity,
                  target: r.target,
                  message: r.message,
                })),
            };
          }),
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'failing',
    title: 'Services failing compliance checks',
    description: `Which services fail checks, optionally only PHI services and only the checks supporting one HIPAA safeguard (${SAFEGUARDS.map(
      s => `${s.id} ${s.title}`,
    ).join(
      '; ',
    )}), e.g. "which PHI services fail transmission security" = safeguard 164.312(e), phiOnly true.`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          safeguard: z.string().optional().describe('e.g. 164.312(e)'),
          phiOnly: z
            .boolean()
            .optional()
            .describe('Only services classified phi'),
        }),
      output: z =>
        z.object({
          services: z.array(
            z.object({
              entityRef: z.string(),
              failing: z.array(
                z.object({
                  checkId: z.string(),
                  title: z.string(),
                  target: z.string(),
                  message: z.string(),
                }),
              ),
            }),
          ),
        }),
    },
    action: async ({ input }) => {
      if (input.safeguard && !SAFEGUARDS.some(s => s.id === input.safeguard)) {
        throw new InputError(
          `safeguard must be one of ${SAFEGUARDS.map(s => s.id).join(', ')}`,
        );
      }
      const results = await scorecards.results({
        safeguard: input.safeguard,
        phiOnly: input.phiOnly,
      });
      const services = [...results]
        .map(([entityRef, rs]) => ({
          entityRef,
          failing: rs
            .filter(r => r.status === 'fail')
            .map(r => ({
              checkId: r.checkId,
              title: catalog.get(r.checkId)?.title ?? r.checkId,
              target: r.target,
              message: r.message,
            })),
        }))
        .filter(s => s.failing.length > 0);
      return { output: { services } };
    },
  });
}
