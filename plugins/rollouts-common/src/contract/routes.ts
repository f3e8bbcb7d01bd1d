import { defineRoutes } from '@careplane/plugin-clusters-common';
import { z } from 'zod';
import {
  actionRequestSchema,
  gateQuerySchema,
  waitingQuerySchema,
} from './requests';
import {
  actionResponseSchema,
  entityRolloutsResponseSchema,
  gateResponseSchema,
  waitingResponseSchema,
} from './schemas';

/**
 * Query of `GET /v1/entities/:kind/:namespace/:name/rollouts`: `clusters=a,b`.
 * @public
 */
export const entityRolloutsQuerySchema = z.object({
  clusters: z
    .string()
    .max(2000)
    .optional()
    .transform(v => (v ? v.split(',').filter(Boolean) : undefined)),
});

/**
 * The HTTP contract of `/api/rollouts` (the clusters plugin's pattern): the router validates with
 * these schemas; the frontend client is typed from `RolloutsRoutes`.
 * @public
 */
export const rolloutsRoutes = defineRoutes({
  entityRollouts: {
    method: 'GET',
    path: '/v1/entities/:kind/:namespace/:name/rollouts',
    query: entityRolloutsQuerySchema,
    response: entityRolloutsResponseSchema,
  },
  gate: {
    method: 'GET',
    path: '/v1/entities/:kind/:namespace/:name/gate',
    query: gateQuerySchema,
    response: gateResponseSchema,
  },
  action: {
    method: 'POST',
    path: '/v1/entities/:kind/:namespace/:name/actions',
    body: actionRequestSchema,
    response: actionResponseSchema,
  },
  waiting: {
    method: 'GET',
    path: '/v1/waiting',
    query: waitingQuerySchema,
    response: waitingResponseSchema,
  },
});

/**
 * Type of {@link rolloutsRoutes}.
 * @public
 */
export type RolloutsRoutes = typeof rolloutsRoutes;
