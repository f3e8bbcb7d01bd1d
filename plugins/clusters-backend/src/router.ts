import type {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import type {
  ApplyRequest,
  AuditAction,
  CreateNamespaceRequest,
} from '@careplane/plugin-clusters-common';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  AuditQuery,
  AuditRecord,
  clustersAuditReadPermission,
  clustersClusterReadPermission,
  clustersResourceReadPermission,
  ObjectSelector,
} from '@careplane/plugin-clusters-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { AuditStore } from './database/AuditStore';
import {
  METRICS_LIMITS,
  MetricsQueries,
} from './services/Metrics/MetricsQueries';
import {
  actorOf,
  ClusterGateway,
} from './services/ClusterGateway/ClusterGateway';
import { serializeAnswerChunks } from './services/serialize';
import type { StreamHub } from './services/StreamHub/StreamHub';

/**
 * Options of {@link createRouter}.
 * @internal
 */
export interface RouterOptions {
  gateway: ClusterGateway;
  hub: StreamHub;
  auditStore: AuditStore;
  metrics: MetricsQueries;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  logger: LoggerService;
}

const name = z.string().min(1).max(253);
const reason = z.string().max(1000).optional();
const selectorSchema = z.object({
  labelSelector: z.string().max(2000),
  namespace: z.string().max(63).optional(),
});
const kindsSchema = z.array(z.string().min(1).max(100)).min(1).max(30);
const clustersSchema = z.array(name).max(100).optional();

const schemas = {
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

function parse<T extends z.ZodTypeAny>(schema: T, value: unknown): z.infer<T> {
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

function splitList(value: unknown): string[] | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  return value
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
}

const CSV_COLUMNS: Array<keyof AuditRecord> = [
  'id',
  'occurredAt',
  'actor',
  'actorType',
  'action',
  'cluster',
  'namespace',
  'kind',
  'name',
  'entityRef',
  'reason',
  'dryRun',
  'outcome',
  'error',
  'patchSha256',
];

/**
 * One CSV field; quoted, and defused against spreadsheet formula injection.
 * @internal
 */
export function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r']/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Large read answers: the body `res.json` would send, built from the memoised JSON of cached
 * objects. No ETag (hashing ~300 KiB per request cost more than the rest of the request; clients
 * follow changes over the SSE stream, not by revalidating).
 */
function sendAnswer(res: express.Response, body: unknown) {
  const chunks = serializeAnswerChunks(body);
  res.status(200);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader(
    'Content-Length',
    chunks.reduce((n, c) => n + c.length, 0),
  );
  // corked, the chunks leave in one writev (end() uncorks); no copy of the whole answer
  res.cork();
  for (const chunk of chunks) res.write(chunk);
  res.end();
}

/**
 * The HTTP surface of clusters-backend (see the README for every route).
 * @internal
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { gateway, hub, auditStore, metrics, httpAuth, permissions, auditor } =
    options;
  const router = Router();
  router.use(express.json({ limit: '2mb' }));

  const credentialsOf = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  async function authorize(
    credentials: BackstageCredentials,
    permission: BasicPermission | ResourcePermission,
    resourceRef?: string,
  ) {
    const request =
      'resourceType' in permission
        ? { permission, resourceRef }
        : { permission };
    const [decision] = await permissions.authorize([request as any], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed: ${permission.name}`);
    }
  }

  async function readEvent<T>(
    req: Request,
    eventId: string,
    meta: Record<string, string | string[] | undefined | null>,
    fn: () => Promise<T>,
  ): Promise<T> {
    const event = await auditor
      .createEvent({
        eventId,
        severityLevel: 'low',
        request: req,
        meta: JSON.parse(JSON.stringify(meta)),
      })
      .catch(() => undefined);
    try {
      const result = await fn();
      await event?.success().catch(() => {});
      return result;
    } catch (e) {
      await event?.fail({ error: e as Error }).catch(() => {});
      throw e;
    }
  }

  const principalId = (credentials: BackstageCredentials) =>
    actorOf(credentials).actor;

  router.get('/v1/clusters', async (req, res) => {
    const credentials = await credentialsOf(req);
    await authorize(credentials, clustersClusterReadPermission);
    res.json({ items: gateway.listClusters() });
  });

  router.get('/v1/kinds', async (req, res) => {
    const credentials = await credentialsOf(req);
    await authorize(credentials, clustersClusterReadPermission);
    res.json({ items: gateway.kinds.list() });
  });

  router.post('/v1/kinds', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    const body = parse(schemas.kinds, req.body);
    gateway.kinds.register(body.kinds);
    res.status(204).end();
  });

  router.get(
    '/v1/entities/:kind/:namespace/:name/workloads',
    async (req, res) => {
      const credentials = await credentialsOf(req);
      const entityRef = stringifyEntityRef({
        kind: req.params.kind,
        namespace: req.params.namespace,
        name: req.params.name,
      });
      const clusters = splitList(req.query.clusters);
      const body = await readEvent(
        req,
        'entity-workloads-read',
        { entityRef, clusters },
        async () => {
          await authorize(
            credentials,
            clustersResourceReadPermission,
            entityRef,
          );
          return gateway.entityWorkloads(entityRef, {
            credentials,
            request: req,
            clusters,
          });
        },
      );
      sendAnswer(res, body);
    },
  );

  router.post('/v1/objects/by-entity', async (req, res) => {
    const credentials = await credentialsOf(req);
    const body = parse(schemas.byEntity, req.body);
    const result = await readEvent(
      req,
      'entity-objects-read',
      { entityRef: body.entityRef, kinds: body.kinds, clusters: body.clusters },
      async () => {
        await authorize(
          credentials,
          clustersResourceReadPermission,
          body.entityRef,
        );
        const selector = await gateway.selectorFor(body.entityRef, credentials);
        return gateway.query(selector, body.kinds, body.clusters);
      },
    );
    sendAnswer(res, result);
  });

  router.post('/v1/objects/query', async (req, res) => {
    // Raw selectors are for backend callers acting as themselves; users go through entities,
    // which is what the permission policy can reason about.
    await httpAuth.credentials(req, { allow: ['service'] });
    const body = parse(schemas.query, req.body);
    const result = await readEvent(
      req,
      'objects-query',
      { kinds: body.kinds, clusters: body.clusters },
      () => gateway.query(body.selector, body.kinds, body.clusters),
    );
    sendAnswer(res, result);
  });

  router.post('/v1/metrics/query', async (req, res) => {
    const credentials = await credentialsOf(req);
    const body = parse(schemas.metrics, req.body);
    // no PromQL in the audit meta (raw query strings stay out of it)
    const meta = {
      clusters: body.clusters,
      range: String(Boolean(body.range)),
    };
    const result = await readEvent(req, 'metrics-query', meta, async () => {
      await authorize(credentials, clustersClusterReadPermission);
      return metrics.query(body);
    });
    res.json(result);
  });

  router.get('/v1/stream', async (req, res) => {
    const credentials = await credentialsOf(req);
    await authorize(credentials, clustersClusterReadPermission);
    hub.open(principalId(credentials), res);
  });

  router.put('/v1/stream/:streamId/watches/:watchId', async (req, res) => {
    const credentials = await credentialsOf(req);
    const body = parse(schemas.watch, req.body);
    let selector: ObjectSelector;
    if (body.entityRef) {
      await authorize(
        credentials,
        clustersResourceReadPermission,
        body.entityRef,
      );
      selector = await gateway.selectorFor(body.entityRef, credentials);
    } else {
      if (credentials.principal.type !== 'service') {
        throw new NotAllowedError(
          'Raw selector watches are for backend callers only',
        );
      }
      selector = body.selector!;
    }
    await hub.putWatch(
      req.params.streamId,
      principalId(credentials),
      req.params.watchId,
      selector,
      body.kinds,
      body.clusters,
    );
    res.status(204).end();
  });

  router.delete('/v1/stream/:streamId/watches/:watchId', async (req, res) => {
    const credentials = await credentialsOf(req);
    hub.deleteWatch(
      req.params.streamId,
      principalId(credentials),
      req.params.watchId,
    );
    res.status(204).end();
  });

  /**
   * Parses a write's body; a body the schema refuses is audited as a refused write (the gateway
   * records it) before the 400 goes out.
   */
  async function writeBody<T extends z.ZodTypeAny>(
    action: AuditAction,
    schema: T,
    value: unknown,
    call: { credentials: BackstageCredentials; request: Request },
  ): Promise<z.infer<T>> {
    try {
      return parse(schema, value);
    } catch (e) {
      return gateway.recordRefusal(action, value, e as Error, call);
    }
  }

  router.post('/v1/apply', async (req, res) => {
    const call = { credentials: await credentialsOf(req), request: req };
    const body = await writeBody('apply', schemas.apply, req.body, call);
    res.json(await gateway.apply(body as ApplyRequest, call));
  });

  router.post('/v1/patch', async (req, res) => {
    const call = { credentials: await credentialsOf(req), request: req };
    const body = await writeBody('patch', schemas.patch, req.body, call);
    res.json(await gateway.patch(body, call));
  });

  router.post('/v1/delete', async (req, res) => {
    const call = { credentials: await credentialsOf(req), request: req };
    const body = await writeBody('delete', schemas.delete, req.body, call);
    res.json(await gateway.delete(body, call));
  });

  router.post('/v1/namespaces', async (req, res) => {
    const call = { credentials: await credentialsOf(req), request: req };
    const body = await writeBody(
      'create-namespace',
      schemas.createNamespace,
      req.body,
      call,
    );
    res
      .status(201)
      .json(
        await gateway.createNamespace(body as CreateNamespaceRequest, call),
      );
  });

  router.get('/v1/logs', async (req, res) => {
    const credentials = await credentialsOf(req);
    const q = await writeBody('logs', schemas.logs, req.query, {
      credentials,
      request: req,
    });
    const controller = new AbortController();
    res.on('close', () => controller.abort());
    const result = await gateway.podLogs(
      {
        ...q,
        previous: q.previous === 'true',
        follow: q.follow === 'true',
      },
      { credentials, request: req, signal: controller.signal },
    );
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.setHeader('X-Careplane-Audit-Id', result.auditId);
    if (result.stream) {
      res.setHeader('Cache-Control', 'no-cache, no-transform');
      res.flushHeaders();
      result.stream.on('data', chunk => {
        res.write(chunk);
        (res as unknown as { flush?: () => void }).flush?.();
      });
      result.stream.on('end', () => res.end());
      result.stream.on('error', () => res.end());
      return;
    }
    res.send(result.text ?? '');
  });

  router.get('/v1/audit', async (req, res) => {
    const credentials = await credentialsOf(req);
    await authorize(credentials, clustersAuditReadPermission);
    const { format, ...query } = parse(schemas.audit, req.query);
    if (!format) {
      res.json(await auditStore.list(query as AuditQuery));
      return;
    }
    // exports (format=csv|json) walk every page of the filter, newest first
    const filename = `clusters-audit-${new Date()
      .toISOString()
      .slice(0, 19)
      .replace(/:/g, '')}`;
    res.setHeader(
      'Content-Type',
      format === 'csv'
        ? 'text/csv; charset=utf-8'
        : 'application/json; charset=utf-8',
    );
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${filename}.${format === 'csv' ? 'csv' : 'json'}"`,
    );
    if (format === 'csv') res.write(`${CSV_COLUMNS.join(',')}\n`);
    else res.write('[');
    let cursor: string | undefined = query.cursor;
    let first = true;
    do {
      const page = await auditStore.list({
        ...(query as AuditQuery),
        limit: 1000,
        cursor,
      });
      for (const record of page.items) {
        if (format === 'csv') {
          res.write(`${CSV_COLUMNS.map(c => csvField(record[c])).join(',')}\n`);
        } else {
          res.write(`${first ? '' : ','}\n${JSON.stringify(record)}`);
        }
        first = false;
      }
      cursor = page.nextCursor;
    } while (cursor);
    if (format !== 'csv') res.write('\n]\n');
    res.end();
  });

  return router;
}
