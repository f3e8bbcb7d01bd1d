import type {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  ApplyRequest,
  AuditQuery,
  clustersAuditReadPermission,
  clustersClusterReadPermission,
  clustersResourceReadPermission,
  CreateNamespaceRequest,
} from '@careplane/plugin-clusters-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { createAuthorize } from './actions/authorize';
import type { AuditStore } from './database/AuditStore';
import { parse, schemas, splitList } from './schemas';
import { exportAudit } from './services/AuditExport/AuditExport';
import {
  actorOf,
  ClusterGateway,
} from './services/ClusterGateway/ClusterGateway';
import { createWriteBodyParser } from './services/ClusterGateway/parseWriteBody';
import { abortOnClose, sendPodLog } from './services/LogStream/LogStream';
import { MetricsQueries } from './services/Metrics/MetricsQueries';
import { createReadAudit } from './services/ReadAudit/readAudit';
import { sendAnswer } from './services/sendAnswer';
import type { StreamHub } from './services/StreamHub/StreamHub';
import { watchSelector } from './services/StreamHub/watchSelector';

export { csvField } from './services/AuditExport/AuditExport';

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

/**
 * The HTTP surface of clusters-backend (see the README for every route).
 * @internal
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { gateway, hub, auditStore, metrics, httpAuth, permissions, logger } =
    options;
  const router = Router();
  router.use(express.json({ limit: '2mb' }));

  const credentialsOf = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  const authorize = createAuthorize(permissions);
  const authorizeEntity = (credentials: BackstageCredentials, ref: string) =>
    authorize(credentials, clustersResourceReadPermission, ref);
  const writeBody = createWriteBodyParser(gateway);
  const readEvent = createReadAudit({ auditor: options.auditor, logger });

  const principalId = (c: BackstageCredentials) => actorOf(c).actor;

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

  const workloadsPath = '/v1/entities/:kind/:namespace/:name/workloads';
  router.get(workloadsPath, async (req, res) => {
    const credentials = await credentialsOf(req);
    const { kind, namespace, name } = req.params;
    const entityRef = stringifyEntityRef({ kind, namespace, name });
    const clusters = splitList(req.query.clusters);
    const body = await readEvent(
      req,
      'entity-workloads-read',
      { entityRef, clusters },
      async () => {
        await authorizeEntity(credentials, entityRef);
        return gateway.entityWorkloads(entityRef, {
          credentials,
          request: req,
          clusters,
        });
      },
    );
    sendAnswer(res, body);
  });

  router.post('/v1/objects/by-entity', async (req, res) => {
    const credentials = await credentialsOf(req);
    const body = parse(schemas.byEntity, req.body);
    const result = await readEvent(
      req,
      'entity-objects-read',
      { entityRef: body.entityRef, kinds: body.kinds, clusters: body.clusters },
      async () => {
        await authorizeEntity(credentials, body.entityRef);
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
    const selector = await watchSelector(body, credentials, {
      gateway,
      authorize,
    });
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
    const { streamId, watchId } = req.params;
    hub.deleteWatch(streamId, principalId(credentials), watchId);
    res.status(204).end();
  });

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
    const call = { credentials: await credentialsOf(req), request: req };
    const q = await writeBody('logs', schemas.logs, req.query, call);
    const result = await gateway.podLogs(
      {
        ...q,
        previous: q.previous === 'true',
        follow: q.follow === 'true',
      },
      { ...call, signal: abortOnClose(res) },
    );
    sendPodLog(res, result, logger);
  });

  router.get('/v1/audit', async (req, res) => {
    const credentials = await credentialsOf(req);
    await authorize(credentials, clustersAuditReadPermission);
    const { format, ...query } = parse(schemas.audit, req.query);
    // exports (format=csv|json) walk every page of the filter, newest first
    if (format) await exportAudit(auditStore, query as AuditQuery, format, res);
    else res.json(await auditStore.list(query as AuditQuery));
  });

  return router;
}
