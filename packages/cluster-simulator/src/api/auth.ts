import type { SimulatedCluster, SimUser } from '../cluster';
import { forbidden, unauthorized } from './status';
import { rbacAllows } from './rbac';

/**
 * Authentication and authorization in front of every request, in the order
 * of kube-apiserver's filter chain:
 * - no credentials: the anonymous authenticator makes the request
 *   `system:anonymous` (group `system:unauthenticated`), which RBAC lets read
 *   only /healthz, /livez, /readyz and /version (system:public-info-viewer);
 *   everything else is 403 Forbidden;
 * - a bearer token nobody knows: 401 Unauthorized (the token authenticator
 *   errors and union.NewFailOnError does not fall back to anonymous)
 *   (apiserver/pkg/endpoints/filters/authentication.go,
 *   apiserver/pkg/authentication/request/bearertoken/bearertoken.go);
 * - authorization from request attributes parsed off the path before any
 *   routing, so a forbidden request for an absent resource is still 403
 *   (apiserver/pkg/endpoints/request/requestinfo.go, filters/authorization.go,
 *   handlers/responsewriters/errors.go forbiddenMessage).
 */

/** The user a request runs as. */
export interface RequestUser {
  name: string;
  groups: string[];
  /** Scenario user restrictions; undefined for the anonymous user and service accounts. */
  sim?: SimUser;
  /** `namespace/name` of a service account token's account. */
  serviceAccount?: { namespace: string; name: string };
}

/** Attributes of a request (RequestInfo). */
export interface RequestAttributes {
  resourceRequest: boolean;
  verb: string;
  path: string;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
}

const ANONYMOUS: RequestUser = {
  name: 'system:anonymous',
  groups: ['system:unauthenticated'],
};

/** Resolves the caller; throws 401 for a bearer token that is not valid. */
export function authenticate(
  cluster: SimulatedCluster,
  authorization: string | undefined | null,
): RequestUser {
  const auth = (authorization ?? '').trim();
  const parts = auth.split(' ');
  if (auth === '' || parts.length < 2 || parts[0].toLowerCase() !== 'bearer')
    return ANONYMOUS;
  const token = parts[1];
  // An empty bearer token is no token at all.
  if (token === '') return ANONYMOUS;
  const sim = cluster.userForToken(token);
  if (sim)
    return {
      name: sim.name,
      groups: ['system:authenticated'],
      sim,
    };
  const sa = cluster.serviceAccountForToken(token);
  if (sa)
    return {
      name: `system:serviceaccount:${sa.namespace}:${sa.name}`,
      groups: [
        'system:serviceaccounts',
        `system:serviceaccounts:${sa.namespace}`,
        'system:authenticated',
      ],
      serviceAccount: sa,
    };
  throw unauthorized();
}

const VERBS: Record<string, string> = {
  POST: 'create',
  PUT: 'update',
  PATCH: 'patch',
};

/** RequestInfoFactory.NewRequestInfo for /api and /apis paths. */
export function requestAttributes(method: string, url: URL): RequestAttributes {
  const path = url.pathname;
  const segs = path
    .split('/')
    .filter(s => s !== '')
    .map(decodeURIComponent);
  const nonResource: RequestAttributes = {
    resourceRequest: false,
    verb: method.toLowerCase(),
    path,
    group: '',
    version: '',
    resource: '',
    subresource: '',
    namespace: '',
    name: '',
  };
  let rest: string[];
  let group = '';
  let version: string;
  if (segs[0] === 'api' && segs.length >= 3) {
    version = segs[1];
    rest = segs.slice(2);
  } else if (segs[0] === 'apis' && segs.length >= 4) {
    group = segs[1];
    version = segs[2];
    rest = segs.slice(3);
  } else {
    return nonResource;
  }
  let namespace = '';
  if (rest[0] === 'namespaces' && rest.length >= 2) {
    namespace = rest[1];
    // `namespaces/{name}/status|finalize` are subresources of the namespace itself.
    if (rest.length > 2 && !['status', 'finalize'].includes(rest[2]))
      rest = rest.slice(2);
  }
  const [resource, name = '', subresource = ''] = rest;
  const watch = ['true', '1'].includes(url.searchParams.get('watch') ?? '');
  let verb = VERBS[method.toUpperCase()] ?? method.toLowerCase();
  if (method.toUpperCase() === 'GET')
    verb = watch ? 'watch' : name ? 'get' : 'list';
  if (method.toUpperCase() === 'DELETE')
    verb = name ? 'delete' : 'deletecollection';
  return {
    resourceRequest: true,
    verb,
    path,
    group,
    version,
    resource,
    subresource,
    namespace,
    name,
  };
}

const PUBLIC_PATHS = ['/healthz', '/livez', '/readyz', '/version'];
const DISCOVERY_PREFIXES = ['/api', '/apis', '/openapi'];
const SELF_REVIEWS = new Set([
  'selfsubjectaccessreviews',
  'selfsubjectrulesreviews',
  'selfsubjectreviews',
]);

function isPublic(path: string): boolean {
  return PUBLIC_PATHS.some(p => path === p || path.startsWith(`${p}/`));
}

/** Whether the user may do what the attributes describe. */
export function allows(
  cluster: SimulatedCluster,
  user: RequestUser,
  a: RequestAttributes,
): boolean {
  if (!a.resourceRequest) {
    // The cluster admin (cluster-admin) may use every non-resource URL.
    if (user.sim && isUnrestricted(user.sim)) return true;
    // ClusterRoles may grant nonResourceURLs (service accounts only: scenario users are not RBAC)
    if (user !== ANONYMOUS && !user.sim && rbacAllows(cluster, user, a))
      return true;
    if (a.verb !== 'get') return false;
    if (isPublic(a.path)) return true;
    if (user === ANONYMOUS) return false;
    // system:discovery is bound to system:authenticated.
    return DISCOVERY_PREFIXES.some(
      p => a.path === p || a.path.startsWith(`${p}/`),
    );
  }
  if (user === ANONYMOUS) return false;
  // system:basic-user: every authenticated user may review itself.
  if (
    a.verb === 'create' &&
    (a.group === 'authorization.k8s.io' ||
      a.group === 'authentication.k8s.io') &&
    SELF_REVIEWS.has(a.resource)
  )
    return true;
  if (user.sim) return simUserAllows(user.sim, a);
  return rbacAllows(cluster, user, a);
}

function isUnrestricted(u: SimUser): boolean {
  return !u.verbs && !u.resources && !u.namespaces;
}

/** A scenario user's verb / resource / namespace restrictions. */
function simUserAllows(user: SimUser, a: RequestAttributes): boolean {
  const resName = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const full = a.group ? `${resName}.${a.group}` : resName;
  const okVerb =
    !user.verbs || user.verbs.includes(a.verb) || user.verbs.includes('*');
  const okRes =
    !user.resources ||
    user.resources.some(r => r === '*' || r === resName || r === full);
  const okNs =
    !user.namespaces ||
    (a.namespace !== '' && user.namespaces.includes(a.namespace));
  return okVerb && okRes && okNs;
}

/** Throws the 403 that responsewriters.Forbidden writes. */
export function authorize(
  cluster: SimulatedCluster,
  user: RequestUser,
  a: RequestAttributes,
): void {
  if (allows(cluster, user, a)) return;
  if (!a.resourceRequest) {
    throw forbidden(
      undefined,
      undefined,
      `User "${user.name}" cannot ${a.verb} path "${a.path}"`,
    );
  }
  const resource = a.subresource
    ? `${a.resource}/${a.subresource}`
    : a.resource;
  const scope = a.namespace
    ? `in the namespace "${a.namespace}"`
    : 'at the cluster scope';
  throw forbidden(
    { group: a.group, plural: a.resource },
    a.name || undefined,
    `User "${user.name}" cannot ${a.verb} resource "${resource}" in API group "${a.group}" ${scope}`,
  );
}
