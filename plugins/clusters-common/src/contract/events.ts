import { z } from 'zod';
import {
  clusterNamesSchema,
  kindNamesSchema,
  nameSchema,
  objectSelectorSchema,
} from './kube';
import { kindStatusSchema, objectEnvelopeSchema } from './objects';

/*
 * The live stream (`GET /v1/stream`, Server-Sent Events) and the watches on it
 * (`PUT|DELETE /v1/stream/:streamId/watches/:watchId`).
 */

/**
 * What a stream watch follows: an entity's objects (by its annotations) or a raw selector
 * (backend callers only), for some kinds, on all or some clusters. Exactly one of `entityRef` and
 * `selector`.
 * @public
 */
export const watchRequestSchema = z
  .object({
    entityRef: nameSchema.optional(),
    selector: objectSelectorSchema.optional(),
    kinds: kindNamesSchema,
    clusters: clusterNamesSchema,
  })
  .refine(w => Boolean(w.entityRef) !== Boolean(w.selector), {
    message: 'Give exactly one of entityRef or selector',
  });

/**
 * What a stream watch follows.
 * @public
 */
export type WatchRequest = z.infer<typeof watchRequestSchema>;

/**
 * Events on the SSE stream (`GET /v1/stream`); the SSE `event:` field equals `type`.
 * - `ready`: first event; carries the stream id used to add / remove watches;
 * - `upsert` / `delete`: an object of a watch changed (stripped like every answer);
 * - `status`: freshness of a kind on a cluster changed for a watch;
 * - `resync`: the cache re-listed (e.g. after `410 Gone`); refetch the watch's data.
 * Heartbeats are SSE comments (`: ping`) and carry no event.
 * @public
 */
export const clustersStreamEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ready'),
    streamId: z.string(),
    heartbeatMs: z.number(),
  }),
  z.object({
    type: z.literal('upsert'),
    watchId: z.string(),
    object: objectEnvelopeSchema,
  }),
  z.object({
    type: z.literal('delete'),
    watchId: z.string(),
    object: objectEnvelopeSchema,
  }),
  z.object({
    type: z.literal('status'),
    watchId: z.string(),
    cluster: z.string(),
    kind: kindStatusSchema,
  }),
  z.object({
    type: z.literal('resync'),
    watchId: z.string(),
    cluster: z.string(),
    kind: z.string(),
  }),
]);

/**
 * Events on the SSE stream (`GET /v1/stream`).
 * @public
 */
export type ClustersStreamEvent = z.infer<typeof clustersStreamEventSchema>;
