import { z } from 'zod';

/*
 * The audit log of writes and log reads (`GET /v1/audit`, platform admins).
 */

/**
 * Action recorded in the audit log.
 * @public
 */
export const auditActionSchema = z.enum([
  'apply',
  'patch',
  'delete',
  'logs',
  'create-namespace',
]);

/**
 * Action recorded in the audit log.
 * @public
 */
export type AuditAction = z.infer<typeof auditActionSchema>;

/**
 * Outcome recorded in the audit log.
 * @public
 */
export const auditOutcomeSchema = z.enum(['success', 'failure', 'denied']);

/**
 * Outcome recorded in the audit log.
 * @public
 */
export type AuditOutcome = z.infer<typeof auditOutcomeSchema>;

/**
 * One audit record (persisted; see `GET /v1/audit`).
 * @public
 */
export const auditRecordSchema = z.object({
  id: z.string(),
  occurredAt: z.string(),
  /** User entity ref, or `plugin:<id>` for background work under service credentials. */
  actor: z.string(),
  actorType: z.enum(['user', 'service']),
  action: auditActionSchema,
  cluster: z.string(),
  namespace: z.string().optional(),
  kind: z.string().optional(),
  name: z.string().optional(),
  entityRef: z.string().optional(),
  reason: z.string().optional(),
  dryRun: z.boolean(),
  outcome: auditOutcomeSchema,
  /** Error message for `failure` / `denied`. */
  error: z.string().optional(),
  /** SHA-256 (hex) of the canonical JSON of the manifest or patch. */
  patchSha256: z.string().optional(),
});

/**
 * One audit record.
 * @public
 */
export type AuditRecord = z.infer<typeof auditRecordSchema>;

/**
 * Filters of `GET /v1/audit`.
 * @public
 */
export const auditQuerySchema = z.object({
  cluster: z.string().optional(),
  entityRef: z.string().optional(),
  actor: z.string().optional(),
  action: auditActionSchema.optional(),
  outcome: auditOutcomeSchema.optional(),
  /** ISO time, inclusive. */
  from: z.string().optional(),
  /** ISO time, exclusive. */
  to: z.string().optional(),
  /** Page size, default 100, max 1000. */
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor: z.string().optional(),
});

/**
 * Filters of `GET /v1/audit`.
 * @public
 */
export type AuditQuery = z.output<typeof auditQuerySchema>;

/**
 * Query of `GET /v1/audit`: the filters, and `format` (`csv` or `json`) to download every record
 * matching them as a file instead of one page.
 * @public
 */
export const auditListQuerySchema = auditQuerySchema.extend({
  format: z.enum(['json', 'csv']).optional(),
});

/**
 * Answer of `GET /v1/audit` (JSON format).
 * @public
 */
export const auditListResponseSchema = z.object({
  items: z.array(auditRecordSchema),
  nextCursor: z.string().optional(),
});

/**
 * Answer of `GET /v1/audit` (JSON format).
 * @public
 */
export type AuditListResponse = z.infer<typeof auditListResponseSchema>;
