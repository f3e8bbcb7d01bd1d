import { auditListQuerySchema, auditListResponseSchema } from './audit';
import { clustersResponseSchema, kindsResponseSchema } from './clusters';
import { watchRequestSchema } from './events';
import {
  metricsQueryRequestSchema,
  metricsQueryResponseSchema,
} from './metrics';
import {
  entityObjectsRequestSchema,
  entityWorkloadsQuerySchema,
  entityWorkloadsResponseSchema,
  objectsQuerySchema,
  objectsResponseSchema,
} from './objects';
import { defineRoutes } from './route';
import {
  applyRequestSchema,
  createNamespaceRequestSchema,
  createNamespaceResultSchema,
  deleteRequestSchema,
  patchRequestSchema,
  podLogsQuerySchema,
  writeResultSchema,
} from './writes';

/**
 * The HTTP contract of `/api/clusters`: one entry per route. clusters-backend's router validates
 * requests with these schemas and its answers are typed by them; `DefaultClustersService`
 * (clusters-node) and `ClustersClient` (clusters-react) are typed from `ClustersRoutes`.
 * @public
 */
export const clustersRoutes = defineRoutes({
  listClusters: {
    method: 'GET',
    path: '/v1/clusters',
    response: clustersResponseSchema,
  },
  listKinds: {
    method: 'GET',
    path: '/v1/kinds',
    response: kindsResponseSchema,
  },
  entityWorkloads: {
    method: 'GET',
    path: '/v1/entities/:kind/:namespace/:name/workloads',
    query: entityWorkloadsQuerySchema,
    response: entityWorkloadsResponseSchema,
  },
  entityObjects: {
    method: 'POST',
    path: '/v1/objects/by-entity',
    body: entityObjectsRequestSchema,
    response: objectsResponseSchema,
  },
  /** Raw selectors: backend callers only. */
  queryObjects: {
    method: 'POST',
    path: '/v1/objects/query',
    body: objectsQuerySchema,
    response: objectsResponseSchema,
  },
  queryMetrics: {
    method: 'POST',
    path: '/v1/metrics/query',
    body: metricsQueryRequestSchema,
    response: metricsQueryResponseSchema,
  },
  /** Events are `ClustersStreamEvent`s (`clustersStreamEventSchema`). */
  stream: { method: 'GET', path: '/v1/stream', produces: 'text/event-stream' },
  putWatch: {
    method: 'PUT',
    path: '/v1/stream/:streamId/watches/:watchId',
    body: watchRequestSchema,
  },
  deleteWatch: {
    method: 'DELETE',
    path: '/v1/stream/:streamId/watches/:watchId',
  },
  apply: {
    method: 'POST',
    path: '/v1/apply',
    body: applyRequestSchema,
    response: writeResultSchema,
  },
  patch: {
    method: 'POST',
    path: '/v1/patch',
    body: patchRequestSchema,
    response: writeResultSchema,
  },
  delete: {
    method: 'POST',
    path: '/v1/delete',
    body: deleteRequestSchema,
    response: writeResultSchema,
  },
  createNamespace: {
    method: 'POST',
    path: '/v1/namespaces',
    body: createNamespaceRequestSchema,
    response: createNamespaceResultSchema,
    status: 201,
  },
  podLogs: {
    method: 'GET',
    path: '/v1/logs',
    query: podLogsQuerySchema,
    produces: 'text/plain',
  },
  /** JSON: one page; with `format`, a download of every matching record. */
  audit: {
    method: 'GET',
    path: '/v1/audit',
    query: auditListQuerySchema,
    response: auditListResponseSchema,
  },
});

/**
 * The type of {@link clustersRoutes}: what clients import (as a type only) to type their calls.
 * @public
 */
export type ClustersRoutes = typeof clustersRoutes;
