import { z } from 'zod';
import { ROLLOUT_ACTIONS } from '../actions/types';

const dnsLabel = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label')
  .max(63);

/**
 * Body of `POST /v1/entities/:kind/:namespace/:name/actions`.
 * @public
 */
export const actionRequestSchema = z.object({
  cluster: dnsLabel,
  kind: z.enum(['Rollout', 'Canary', 'Deployment', 'StatefulSet']),
  namespace: dnsLabel,
  name: z
    .string()
    .min(1)
    .max(253)
    .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a DNS-1123 subdomain'),
  action: z.enum(ROLLOUT_ACTIONS),
  reason: z
    .string()
    .trim()
    .min(3, 'say why (at least 3 characters); it goes into the audit log')
    .max(1000),
  /** For `undo`: the revision to go back to. */
  revision: z.number().int().positive().optional(),
  /** Promote although the error-budget gate refuses (needs `rollouts.gate.override`). */
  overrideGate: z.boolean().optional(),
});

/**
 * An action request.
 * @public
 */
export type ActionRequest = z.infer<typeof actionRequestSchema>;

/**
 * Query of `GET /v1/waiting`.
 * @public
 */
export const waitingQuerySchema = z.object({
  cluster: z.string().max(63).optional(),
  team: z.string().max(255).optional(),
  state: z
    .enum(['paused', 'degraded', 'aborted', 'inconclusive', 'deadline'])
    .optional(),
});

/**
 * Filters of the fleet query.
 * @public
 */
export type WaitingQuery = z.infer<typeof waitingQuerySchema>;

/**
 * Query of `GET /v1/entities/:kind/:namespace/:name/gate`.
 * @public
 */
export const gateQuerySchema = z.object({
  cluster: z.string().max(63).optional(),
});
