import { z } from 'zod';
import { manifestSchema, nameSchema, reasonSchema } from './kube';
import { objectEnvelopeSchema } from './objects';

/*
 * Writes through the gateway (`POST /v1/apply|patch|delete|namespaces`) and pod logs
 * (`GET /v1/logs`): permission-checked, scoped to the entity, audited.
 */

const namespaceSchema = z.string().max(253).optional();

/**
 * Body of `POST /v1/apply`: server-side apply (field manager `careplane`) of one object that
 * belongs to the entity.
 * @public
 */
export const applyRequestSchema = z.object({
  entityRef: nameSchema,
  cluster: nameSchema,
  manifest: manifestSchema,
  dryRun: z.boolean().optional(),
  /** Take over fields owned by other managers. */
  force: z.boolean().optional(),
  /** Why; recorded in the audit log. Required unless `dryRun`. */
  reason: reasonSchema,
});

/**
 * Body of `POST /v1/apply`.
 * @public
 */
export type ApplyRequest = z.infer<typeof applyRequestSchema>;

/**
 * Patch flavours: JSON merge patch (RFC 7386) or JSON patch (RFC 6902).
 * @public
 */
export const patchTypeSchema = z.enum(['merge', 'json']);

/**
 * Patch flavours.
 * @public
 */
export type PatchType = z.infer<typeof patchTypeSchema>;

/**
 * Body of `POST /v1/patch`: a merge patch is an object, a JSON patch an array of operations.
 * @public
 */
export const patchRequestSchema = z.object({
  entityRef: nameSchema,
  cluster: nameSchema,
  kind: nameSchema,
  namespace: namespaceSchema,
  name: nameSchema,
  patchType: patchTypeSchema,
  patch: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]),
  /** Patch the `status` subresource instead of the object. */
  subresource: z.literal('status').optional(),
  dryRun: z.boolean().optional(),
  reason: reasonSchema,
});

/**
 * Body of `POST /v1/patch`.
 * @public
 */
export type PatchRequest = z.infer<typeof patchRequestSchema>;

/**
 * Body of `POST /v1/delete`.
 * @public
 */
export const deleteRequestSchema = z.object({
  entityRef: nameSchema,
  cluster: nameSchema,
  kind: nameSchema,
  namespace: namespaceSchema,
  name: nameSchema,
  dryRun: z.boolean().optional(),
  propagationPolicy: z.enum(['Foreground', 'Background', 'Orphan']).optional(),
  reason: reasonSchema,
});

/**
 * Body of `POST /v1/delete`.
 * @public
 */
export type DeleteRequest = z.infer<typeof deleteRequestSchema>;

/**
 * Body of `POST /v1/namespaces`: the one narrow way for a service owner to create a namespace.
 * The namespace is named after the entity (its `backstage.io/kubernetes-namespace` annotation,
 * else its `backstage.io/kubernetes-id`), must not exist yet, and is labelled by the gateway
 * (the entity's id label, the platform's configured labels such as Pod Security `restricted`);
 * the caller may add only the label and annotation keys the platform allows
 * (`clusters.writeScope.newNamespace`). `policies` (ResourceQuota, LimitRange, NetworkPolicy, at
 * most 20) are created in the new namespace in the same call, and only then: later changes to
 * quotas and limit ranges are for platform admins.
 * @public
 */
export const createNamespaceRequestSchema = z.object({
  entityRef: nameSchema,
  cluster: nameSchema,
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  policies: z.array(manifestSchema).max(20).optional(),
  dryRun: z.boolean().optional(),
  reason: reasonSchema,
});

/**
 * Body of `POST /v1/namespaces`.
 * @public
 */
export type CreateNamespaceRequest = z.infer<
  typeof createNamespaceRequestSchema
>;

/**
 * Answer to a write.
 * @public
 */
export const writeResultSchema = z.object({
  cluster: z.string(),
  kind: z.string(),
  namespace: z.string().optional(),
  name: z.string(),
  dryRun: z.boolean(),
  /** Id of the audit record written for this call. */
  auditId: z.string(),
  /** The object as the API server returned it (stripped); absent for deletes that returned a Status. */
  object: objectEnvelopeSchema.optional(),
});

/**
 * Answer to a write.
 * @public
 */
export type WriteResult = z.infer<typeof writeResultSchema>;

/**
 * Answer to `POST /v1/namespaces`: the write, and the policies created with the namespace, in order.
 * @public
 */
export const createNamespaceResultSchema = writeResultSchema.extend({
  policies: z.array(z.object({ kind: z.string(), name: z.string() })),
});

/**
 * Answer to `POST /v1/namespaces`.
 * @public
 */
export type CreateNamespaceResult = z.infer<typeof createNamespaceResultSchema>;

/** `'true'` or `'false'` in a query string, as a boolean. */
const queryFlag = z
  .enum(['true', 'false'])
  .transform(value => value === 'true')
  .optional();

/**
 * Query of `GET /v1/logs` (answer: `text/plain`, streamed when `follow`). Values arrive as
 * strings; the parsed query is a {@link PodLogsRequest}.
 * @public
 */
export const podLogsQuerySchema = z.object({
  entityRef: nameSchema,
  cluster: nameSchema,
  namespace: z.string().min(1).max(253),
  pod: nameSchema,
  container: z.string().max(253).optional(),
  /** Logs of the previous (crashed) container instance. */
  previous: queryFlag,
  tailLines: z.coerce.number().int().min(1).max(100_000).optional(),
  sinceSeconds: z.coerce.number().int().min(1).optional(),
  follow: queryFlag,
  reason: reasonSchema,
});

/**
 * A pod-log read: the parsed query of `GET /v1/logs`.
 * @public
 */
export type PodLogsRequest = z.output<typeof podLogsQuerySchema>;
