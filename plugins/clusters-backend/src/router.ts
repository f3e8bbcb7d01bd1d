import type {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  clustersAuditReadPermission,
  clustersClusterReadPermission,
  clustersResourceReadPermission,
  clustersRoutes as routes,
} from '@careplane/plugin-clusters-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { createAuthorize } from './actions/authorize';
import type { AuditStore } from './database/AuditStore';
import { parse, reply } from './schemas';
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
 * The HTTP surface of clusters-backend (see the README for every route): each route of the
 * contract (`clustersRoutes`) parses its input with the route's schemas and answers its type.
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

  router.get(routes.listClusters.path, async (req, res) => {
    const credentials = await credentialsOf(req);
    // the gateway checks clusters.cluster.read
    const items = await gateway.listClusters({ credentials });
    reply(res, routes.listClusters, { items });
  });

  router.get(routes.listKinds.path, async (req, res) => {
    const credentials = await credentialsOf(req);
    await authorize(credentials, clustersClusterReadPermission);
    reply(res, routes.listKinds, { items: gateway.kinds.list() });
  });

  router.get(routes.entityWorkloads.path, async (req, res) => {
    const credentials = await credentialsOf(req);
    const entityRef = stringifyEntityRef(req.params);
    const { clusters } = parse(routes.entityWorkloads.query, req.query);
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
    sendAnswer(res, routes.entityWorkloads, body);
  });

  router.post(routes.entityObjects.path, async (req, res) => {
    const credentials = await credentialsOf(req);
    const body = parse(routes.entityObjects.body, req.body);
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
    sendAnswer(res, routes.entityObjects, result);
  });

  router.post(routes.queryObjects.path, async (req, res) => {
    // Raw selectors are for backend callers acting as themselves; users go through entities,
    // which is what the permission policy can reason about.
    await httpAuth.credentials(req, { allow: ['service'] });
    const body = parse(routes.queryObjects.body, req.body);
    const result = await readEvent(
      req,
      'objects-query',
      { kinds: body.kinds, clusters: body.clusters },
      () => gateway.query(body.selector, body.kinds, body.clusters),
    );
    sendAnswer(res, routes.queryObjects, result);
  });

  router.post(routes.queryMetrics.path, async (req, res) => {
    const credentials = await credentialsOf(req);
    const body = parse(routes.queryMetrics.body, req.body);
    // no PromQL in the audit meta (raw query strings stay out of it)
    const meta = {
      clusters: body.clusters,
      range: String(Boolean(body.range)),
    };
    const result = await readEvent(req, 'metrics-query', meta, async () => {
      await authorize(credentials, clustersClusterReadPermission);
      return metrics.query(body);
    });
    reply(res, routes.queryMetrics, result);
  });

  router.get(routes.stream.path, async (req, res) => {
    const credentials = await credentialsOf(req);
    await authorize(credentials, clustersClusterReadPermission);
    hub.open(principalId(credentials), res);
  });

  router.put(routes.putWatch.path, async (req, res) => {
    const credentials = await credentialsOf(req);
    const body = parse(routes.putWatch.body, req.body);
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

  router.delete(routes.deleteWatch.path, async (req, res) => {
    const credentials = await credentialsOf(req);
    const { streamId, watchId } = req.params;
    hub.deleteWatch(streamId, principalId(credentials), watchId);
    res.status(204).end();
  });

  router.post(routes.apply.path, async (req, res) => {
    const call = { credentials: await credentialsOf(req), request: req };
    const body = await writeBody('apply', routes.apply.body, req.body, call);
    reply(res, routes.apply, await gateway.apply(body, call));
  });

  router.post(routes.patch.path, async (req, res) => {
    const call = { credentials: await credentialsOf(req), request: req };
    const body = await writeBody('patch', routes.patch.body, req.body, call);
    reply(res, routes.patch, await gateway.patch(body, call));
  });

  router.post(routes.delete.path, async (req, res) => {
    const call = { credentials: await credentialsOf(req), request: req };
    const body = await writeBody('delete', routes.delete.body, req.body, call);
    reply(res, routes.delete, await gateway.delete(body, call));
  });

  router.post(routes.createNamespace.path, async (req, res) => {
    const call = { credentials: await credentialsOf(req), request: req };
    const { body: schema } = routes.createNamespace;
    const body = await writeBody('create-namespace', schema, req.body, call);
    const result = await gateway.createNamespace(body, call);
    reply(res, routes.createNamespace, result);
  });

  router.get(routes.podLogs.path, async (req, res) => {
    const call = { credentials: await credentialsOf(req), request: req };
    const q = await writeBody('logs', routes.podLogs.query, req.query, call);
    const signal = abortOnClose(res);
    sendPodLog(res, await gateway.podLogs(q, { ...call, signal }), logger);
  });

  router.get(routes.audit.path, async (req, res) => {
    const credentials = await credentialsOf(req);
    await authorize(credentials, clustersAuditReadPermission);
    const { format, ...query } = parse(routes.audit.query, req.query);
    // exports (format=csv|json) walk every page of the filter, newest first
    if (format) await exportAudit(auditStore, query, format, res);
    else reply(res, routes.audit, await auditStore.list(query));
  });

  return router;
}
