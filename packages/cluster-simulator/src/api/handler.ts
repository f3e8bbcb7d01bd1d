import type { SimulatedCluster } from '../cluster';
import type { ClusterFaults } from '../faults';
import {
  apiVersionOf,
  resourceKey,
  ResourceType,
  subresourceVerbs,
  verbsOf,
} from '../resources';
import type { K8sObject } from '../util';
import {
  authenticate,
  authorize,
  RequestAttributes,
  requestAttributes,
  RequestUser,
} from './auth';
import { BUILTIN_GROUPS, nonResourceResponse } from './discovery';
import {
  fail,
  json,
  pageNotFound,
  SimRequest,
  SimResponse,
  WatchSettings,
  withWarnings,
} from './http';
import { listItemOf, listObjects } from './list';
import { podLog } from './logs';
import { patchObject } from './patch';
import { selfSubjectAccessReview, tokenRequest } from './reviews';
import { scaleResponse } from './scale';
import {
  ApiError,
  badRequest,
  genericServerResponse,
  methodNotSupported,
  notFound,
  statusBody,
} from './status';
import { watchResponse } from './watch';
import { deleteObject } from './deletes';
import { createObject, updateObject } from './writes';

export type {
  SimRequest,
  SimResponse,
  StreamSink,
  WatchSettings,
} from './http';

/** Resource name (`plural` or `plural.group`) of a request path, for fault matching. */
export function resourceOfPath(path: string): {
  verbHint?: string;
  resource?: string;
} {
  const a = requestAttributes('GET', new URL(path, 'http://sim.local'));
  if (!a.resourceRequest || !a.resource) return {};
  return { resource: resourceKey({ group: a.group, plural: a.resource }) };
}

/** Maps a request to its Kubernetes verb (get, list, watch, create, …). */
export function verbOfRequest(method: string, url: URL): string {
  return requestAttributes(method, url).verb;
}

function parseBody(req: SimRequest): K8sObject {
  try {
    const parsed = JSON.parse(req.body ?? '');
    if (!parsed || typeof parsed !== 'object') throw new Error('not an object');
    return parsed;
  } catch (e) {
    throw badRequest(`error decoding request body: ${(e as Error).message}`);
  }
}

/**
 * Serves one API request against a simulated cluster. Faults are applied by
 * the transports (HTTP server, msw) before this is called.
 */
export async function handleApiRequest(
  cluster: SimulatedCluster,
  faults: ClusterFaults,
  req: SimRequest,
  settings: WatchSettings,
): Promise<SimResponse> {
  try {
    return route(cluster, faults, req, settings);
  } catch (e) {
    if (e instanceof ApiError) return fail(e.body);
    return fail(
      statusBody(
        500,
        'InternalError',
        `an error on the server ("${
          (e as Error).message
        }") has prevented the request from succeeding`,
      ),
    );
  }
}

/** A route that does not exist: JSON for built-in groups, plain text past the CRD handler. */
function noRoute(group: string, code: 404 | 405 = 404): SimResponse {
  if (!BUILTIN_GROUPS.has(group)) return pageNotFound();
  throw genericServerResponse(code);
}

/** Methods with a route for a path shape (go-restful routes of installer.go). */
function allowedMethods(type: ResourceType, a: RequestAttributes): string[] {
  if (a.subresource) {
    const verbs = subresourceVerbs(a.subresource);
    return verbs.map(v =>
      v === 'get'
        ? 'GET'
        : v === 'create'
        ? 'POST'
        : v === 'update'
        ? 'PUT'
        : 'PATCH',
    );
  }
  const verbs = verbsOf(type);
  const out: string[] = [];
  if (a.name) {
    if (verbs.includes('get')) out.push('GET');
    if (verbs.includes('update')) out.push('PUT');
    if (verbs.includes('patch')) out.push('PATCH');
    if (verbs.includes('delete')) out.push('DELETE');
  } else {
    if (verbs.includes('list')) out.push('GET');
    const nsOk = !type.namespaced || a.namespace !== '';
    if (verbs.includes('create') && nsOk) out.push('POST');
    if (verbs.includes('deletecollection') && nsOk) out.push('DELETE');
  }
  return out;
}

/** Resolves the served type of a resource request, or the 404 / 405 to answer. */
function resolve(
  cluster: SimulatedCluster,
  a: RequestAttributes,
  method: string,
): ResourceType | SimResponse {
  const type = cluster.findType(a.group, a.version, a.resource);
  if (!type) return noRoute(a.group);
  const isNamespaceObject = type.group === '' && type.kind === 'Namespace';
  if (!type.namespaced && a.namespace && !isNamespaceObject)
    return noRoute(a.group);
  if (type.crd) {
    if (type.namespaced && !a.namespace && !['list', 'watch'].includes(a.verb))
      return pageNotFound();
    if (a.subresource && !type.subresources.includes(a.subresource))
      throw notFound(type, a.name);
    if (
      a.subresource === 'status' &&
      !['get', 'update', 'patch'].includes(a.verb)
    )
      throw methodNotSupported(type, a.verb);
    return type;
  }
  if (a.subresource && !type.subresources.includes(a.subresource))
    return noRoute(a.group);
  if (type.namespaced && !a.namespace && a.name) return noRoute(a.group);
  if (!allowedMethods(type, a).includes(method)) return noRoute(a.group, 405);
  return type;
}

function writeOptions(
  q: URLSearchParams,
  version: string,
  subresource?: string,
) {
  return {
    dryRun: q.getAll('dryRun').includes('All'),
    fieldManager: q.get('fieldManager') ?? undefined,
    fieldValidation: q.get('fieldValidation') ?? undefined,
    version,
    subresource: subresource || undefined,
    warnings: [] as string[],
  };
}

function route(
  cluster: SimulatedCluster,
  faults: ClusterFaults,
  req: SimRequest,
  settings: WatchSettings,
): SimResponse {
  const method = req.method.toUpperCase();
  const user: RequestUser = authenticate(cluster, req.header('authorization'));
  const a = requestAttributes(method, req.url);
  authorize(cluster, user, a);
  if (!a.resourceRequest) return nonResourceResponse(cluster, req);
  const resolved = resolve(cluster, a, method);
  if (!('plural' in resolved)) return resolved;
  const type = resolved;
  const q = req.url.searchParams;
  const version = a.version;
  const namespace = type.namespaced ? a.namespace : '';
  const listNs = type.namespaced && a.namespace ? a.namespace : undefined;
  const present = (o: K8sObject) => cluster.present(type, o, version);

  if (a.subresource === 'log')
    return podLog(cluster, faults, namespace, a.name, q, settings);
  if (a.subresource === 'scale')
    return scaleResponse(
      cluster,
      type,
      namespace,
      a.name,
      method,
      req,
      version,
    );
  if (a.subresource === 'token')
    return json(
      201,
      tokenRequest(
        cluster,
        namespace,
        a.name,
        parseBody(req),
        q.getAll('dryRun').includes('All'),
      ),
    );
  if (type.virtual)
    return json(201, selfSubjectAccessReview(cluster, user, parseBody(req)));

  switch (a.verb) {
    case 'watch':
      return watchResponse(
        cluster,
        faults,
        type,
        listNs,
        version,
        q,
        settings,
        a.name || undefined,
      );
    case 'get':
      return json(200, present(cluster.get(type, namespace, a.name)));
    case 'list': {
      const result = listObjects(
        cluster,
        type,
        listNs,
        {
          labelSelector: q.get('labelSelector'),
          fieldSelector: q.get('fieldSelector'),
          limit: q.get('limit') ? Number(q.get('limit')) : undefined,
          continueToken: q.get('continue'),
          resourceVersion: q.get('resourceVersion'),
          resourceVersionMatch: q.get('resourceVersionMatch'),
          sendInitialEvents: q.get('sendInitialEvents'),
        },
        version,
      );
      const meta: Record<string, unknown> = {
        resourceVersion: result.resourceVersion,
      };
      if (result.continueToken) meta.continue = result.continueToken;
      if (result.remaining !== undefined)
        meta.remainingItemCount = result.remaining;
      return json(200, {
        kind: type.listKind,
        apiVersion: apiVersionOf(type.group, version),
        metadata: meta,
        items: result.items.map(o => listItemOf(cluster, type, o, version)),
      });
    }
    case 'create': {
      const opts = writeOptions(q, version);
      const created = createObject(
        cluster,
        type,
        namespace,
        parseBody(req),
        opts,
      );
      return withWarnings(json(201, present(created)), opts.warnings);
    }
    case 'update': {
      const opts = writeOptions(q, version, a.subresource);
      const updated = updateObject(
        cluster,
        type,
        namespace,
        a.name,
        parseBody(req),
        opts,
      );
      return withWarnings(json(200, present(updated)), opts.warnings);
    }
    case 'patch': {
      const opts = {
        ...writeOptions(q, version, a.subresource),
        force: q.has('force') ? q.get('force') === 'true' : undefined,
      };
      const ct = req.header('content-type') ?? 'application/json-patch+json';
      // An apply that creates the object needs `create` as well as `patch`
      // (apiserver/pkg/endpoints/handlers/patch.go createAuthorizerAttributes).
      if (
        ct.startsWith('application/apply-patch') &&
        !cluster.store.get(resourceKey(type), namespace, a.name)
      )
        authorize(cluster, user, { ...a, verb: 'create' });
      const result = patchObject(
        cluster,
        type,
        namespace,
        a.name,
        ct,
        req.body ?? '',
        opts,
      );
      return withWarnings(
        json(result.created ? 201 : 200, present(result.object)),
        opts.warnings,
      );
    }
    case 'delete': {
      const options = deleteOptions(req);
      const out = deleteObject(cluster, type, namespace, a.name, {
        dryRun: q.getAll('dryRun').includes('All') || options.dryRun,
        preconditions: options.preconditions,
      });
      return json(out.status, out.body);
    }
    case 'deletecollection':
      return deleteCollection(cluster, type, listNs, version, q, req);
    default:
      throw methodNotSupported(type, a.verb);
  }
}

/** DeleteOptions from a DELETE body (optional). */
function deleteOptions(req: SimRequest): {
  dryRun: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
} {
  if (!req.body) return { dryRun: false };
  try {
    const body = JSON.parse(req.body);
    return {
      dryRun: Array.isArray(body?.dryRun) && body.dryRun.includes('All'),
      preconditions: body?.preconditions,
    };
  } catch {
    throw badRequest('error decoding DeleteOptions');
  }
}

function deleteCollection(
  cluster: SimulatedCluster,
  type: ResourceType,
  namespace: string | undefined,
  version: string,
  q: URLSearchParams,
  req: SimRequest,
): SimResponse {
  const dryRun =
    q.getAll('dryRun').includes('All') || deleteOptions(req).dryRun;
  const result = listObjects(
    cluster,
    type,
    namespace,
    {
      labelSelector: q.get('labelSelector'),
      fieldSelector: q.get('fieldSelector'),
    },
    version,
  );
  const items = [...result.items];
  for (const o of items)
    deleteObject(cluster, type, o.metadata.namespace ?? '', o.metadata.name!, {
      dryRun,
    });
  return json(200, {
    kind: type.listKind,
    apiVersion: apiVersionOf(type.group, version),
    metadata: { resourceVersion: String(cluster.store.resourceVersion) },
    items: items.map(o => listItemOf(cluster, type, o, version)),
  });
}
