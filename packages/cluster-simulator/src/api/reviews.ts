import type { SimulatedCluster } from '../cluster';
import type { K8sObject } from '../util';
import { allows, RequestAttributes, RequestUser } from './auth';
import { invalidValue } from './fieldErrors';
import { invalid, notFound } from './status';

/**
 * The two create-only APIs a Kubernetes client commonly calls:
 * SelfSubjectAccessReview (kubernetes pkg/registry/authorization/
 * selfsubjectaccessreview/rest.go, validation in pkg/apis/authorization/
 * validation) and TokenRequest on serviceaccounts/token (pkg/registry/core/
 * serviceaccount/storage/token.go; "may not specify a duration less than 10
 * minutes" from pkg/apis/authentication/validation). Both answer 201 Created.
 */

/** POST selfsubjectaccessreviews: whether the caller may do what the spec says. */
export function selfSubjectAccessReview(
  cluster: SimulatedCluster,
  user: RequestUser,
  body: K8sObject,
): K8sObject {
  const spec = body.spec ?? {};
  const ra = spec.resourceAttributes;
  const nra = spec.nonResourceAttributes;
  if (ra && nra)
    throw invalid('authorization.k8s.io', 'SelfSubjectAccessReview', '', [
      invalidValue(
        'spec.nonResourceAttributes',
        nra,
        'cannot be specified in combination with resourceAttributes',
      ),
    ]);
  if (!ra && !nra)
    throw invalid('authorization.k8s.io', 'SelfSubjectAccessReview', '', [
      invalidValue(
        'spec.resourceAttributes',
        'null',
        'exactly one of nonResourceAttributes or resourceAttributes must be specified',
      ),
    ]);
  const attrs: RequestAttributes = ra
    ? {
        resourceRequest: true,
        verb: String(ra.verb ?? ''),
        path: '',
        group: String(ra.group ?? ''),
        version: String(ra.version ?? ''),
        resource: String(ra.resource ?? ''),
        subresource: String(ra.subresource ?? ''),
        namespace: String(ra.namespace ?? ''),
        name: String(ra.name ?? ''),
      }
    : {
        resourceRequest: false,
        verb: String(nra.verb ?? ''),
        path: String(nra.path ?? ''),
        group: '',
        version: '',
        resource: '',
        subresource: '',
        namespace: '',
        name: '',
      };
  const allowed = allows(cluster, user, attrs);
  return {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null as unknown as string },
    spec,
    status: allowed
      ? {
          allowed: true,
          reason: user.serviceAccount
            ? `RBAC: allowed by RoleBinding of Role to ServiceAccount "${user.serviceAccount.name}/${user.serviceAccount.namespace}"`
            : `RBAC: allowed by ClusterRoleBinding "careplane-sim:${user.name}" of ClusterRole "careplane-sim:${user.name}" to User "${user.name}"`,
        }
      : { allowed: false },
  };
}

const DEFAULT_AUDIENCE = 'https://kubernetes.default.svc.cluster.local';

/** POST serviceaccounts/{name}/token: issues a token the simulator then accepts. */
export function tokenRequest(
  cluster: SimulatedCluster,
  namespace: string,
  name: string,
  body: K8sObject,
  dryRun: boolean,
): K8sObject {
  const saType = cluster.typeByKind('', 'ServiceAccount')!;
  const sa = cluster.store.get('serviceaccounts', namespace, name);
  if (!sa) throw notFound(saType, name);
  const spec = body?.spec ?? {};
  const expirationSeconds =
    spec.expirationSeconds === undefined || spec.expirationSeconds === null
      ? 3600
      : Number(spec.expirationSeconds);
  const causes = [];
  if (expirationSeconds < 600)
    causes.push(
      invalidValue(
        'spec.expirationSeconds',
        expirationSeconds,
        'may not specify a duration less than 10 minutes',
      ),
    );
  if (expirationSeconds > 2 ** 32)
    causes.push(
      invalidValue(
        'spec.expirationSeconds',
        expirationSeconds,
        'may not specify a duration larger than 2^32 seconds',
      ),
    );
  if (causes.length)
    throw invalid('authentication.k8s.io', 'TokenRequest', '', causes);
  const audiences: string[] =
    Array.isArray(spec.audiences) && spec.audiences.length
      ? spec.audiences.map(String)
      : [DEFAULT_AUDIENCE];
  const nowMs = cluster.clock.now();
  const exp = Math.floor(nowMs / 1000) + expirationSeconds;
  const token = dryRun
    ? ''
    : cluster.issueServiceAccountToken(sa, audiences, exp);
  return {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: {
      name,
      namespace,
      creationTimestamp: cluster.nowIso(),
    },
    spec: {
      audiences,
      expirationSeconds,
      boundObjectRef: spec.boundObjectRef ?? null,
    },
    status: {
      token,
      expirationTimestamp: new Date(exp * 1000)
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
    },
  };
}
