/*
 * The request schemas of the clusters-backend HTTP surface, and the parsing helpers the router
 * uses with them.
 */
import { InputError } from '@backstage/errors';
import { z } from 'zod';
import { METRICS_LIMITS } from './services/Metrics/MetricsQueries';

const name = z.string().min(1).max(253);
const reason = z.string().max(1000).optional();
const selectorSchema = z.object({
  labelSelector: z.string().max(2000),
  namespace: z.string().max(63).optional(),
});
const kindsSchema = z.array(z.string().min(1).max(100)).min(1).max(30);
const clustersSchema = z.array(name).max(100).optional();

/**
 * The zod schemas of the request bodies and queries of the router (`createRouter`).
 * @internal
 */
export const schemas = {
  query: z.object({
    selector: selectorSchema,
    kinds: kindsSchema,
    clusters: clustersSchema,
  }),
  byEntity: z.object({
    entityRef: name,
    kinds: kindsSchema,
    clusters: clustersSchema,
  }),
  watch: z
    .object({
      entityRef: name.optional(),
      selector: selectorSchema.optional(),
      kinds: kindsSchema,
      clusters: clustersSchema,
    })
    .refine(w => Boolean(w.entityRef) !== Boolean(w.selector), {
      message: 'Give exactly one of entityRef or selector',
    }),
  metrics: z.object({
    query: z.string().trim().min(1).max(METRICS_LIMITS.maxQueryLength),
    clusters: clustersSchema,
    range: z
      .object({
        start: z.string().min(1).max(40),
        end: z.string().min(1).max(40),
        stepSeconds: z.number().positive(),
      })
      .optional(),
  }),
  kinds: z.object({
    kinds: z
      .array(
        z.object({
          kind: z.string().min(1).max(100),
          group: z.string().max(253),
          version: z.string().min(1).max(32),
          plural: z.string().min(1).max(253),
          namespaced: z.boolean(),
          optional: z.boolean().optional(),
        }),
      )
      .min(1)
      .max(50),
  }),
  apply: z.object({
    entityRef: name,
    cluster: name,
    manifest: z
      .object({
        apiVersion: z.string(),
        kind: z.string(),
        metadata: z
          .object({ name, namespace: z.string().optional() })
          .passthrough(),
      })
      .passthrough(),
    dryRun: z.boolean().optional(),
    force: z.boolean().optional(),
    reason,
  }),
  patch: z.object({
    entityRef: name,
    cluster: name,
    kind: name,
    namespace: z.string().max(253).optional(),
    name,
    patchType: z.enum(['merge', 'json']),
    patch: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]),
    subresource: z.literal('status').optional(),
    dryRun: z.boolean().optional(),
    reason,
  }),
  delete: z.object({
    entityRef: name,
    cluster: name,
    kind: name,
    namespace: z.string().max(253).optional(),
    name,
    dryRun: z.boolean().optional(),
    propagationPolicy: z
      .enum(['Foreground', 'Background', 'Orphan'])
      .optional(),
    reason,
  }),
  createNamespace: z.object({
    entityRef: name,
    cluster: name,
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
    policies: z
      .array(
        z
          .object({
            apiVersion: z.string(),
            kind: z.string(),
            metadata: z
              .object({ name, namespace: z.string().optional() })
              .passthrough(),
          })
          .passthrough(),
      )
      .max(20)
      .optional(),
    dryRun: z.boolean().optional(),
    reason,
  }),
  logs: z.object({
    entityRef: name,
    cluster: name,
    namespace: z.string().min(1).max(253),
    pod: name,
    container: z.string().max(253).optional(),
    previous: z.enum(['true', 'false']).optional(),
    follow: z.enum(['true', 'false']).optional(),
    tailLines: z.coerce.number().int().min(1).max(100_000).optional(),
    sinceSeconds: z.coerce.number().int().min(1).optional(),
    reason,
  }),
  audit: z.object({
    cluster: z.string().optional(),
    entityRef: z.string().optional(),
    actor: z.string().optional(),
    action: z
      .enum(['apply', 'patch', 'delete', 'logs', 'create-namespace'])
      .optional(),
    outcome: z.enum(['success', 'failure', 'denied']).optional(),
    from: z.string().optional(),
    to: z.string().optional(),
    limit: z.coerce.number().int().min(1).max(1000).optional(),
    cursor: z.string().optional(),
    format: z.enum(['json', 'csv']).optional(),
  }),
};

/**
 * Parses a value with a schema; a refusal throws `InputError` naming each failing path.
 * @internal
 */
export function parse<T extends z.ZodTypeAny>(
  schema: T,
  value: unknown,
): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InputError(
      result.error.issues
        .map(i => `${i.path.join('.') || 'body'}: ${i.message}`)
        .join('; '),
    );
  }
  return result.data;
}

/**
 * A comma-separated query parameter as a list; undefined when absent or empty.
 * @internal
 */
export function splitList(value: unknown): string[] | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  return value
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
}
