import type { SimulatedCluster } from '../cluster';
import type { RequestAttributes, RequestUser } from './auth';

/**
 * RBAC for service-account tokens issued by the simulator (TokenRequest):
 * the namespaced Roles bound to the account, one of its groups or
 * system:authenticated by RoleBindings in the request's namespace
 * (kubernetes plugin/pkg/auth/authorizer/rbac/rbac.go RuleAllows). The
 * simulator serves no ClusterRoles, so cluster-scoped requests are denied.
 */

function matches(list: string[] | undefined, value: string): boolean {
  return !!list && (list.includes('*') || list.includes(value));
}

function resourceMatches(
  list: string[] | undefined,
  resource: string,
  subresource: string,
): boolean {
  if (!list) return false;
  const combined = subresource ? `${resource}/${subresource}` : resource;
  return list.some(
    r =>
      r === '*' ||
      r === combined ||
      (subresource !== '' && r === `*/${subresource}`) ||
      (subresource !== '' && r === `${resource}/*`),
  );
}

function subjectMatches(subject: any, user: RequestUser): boolean {
  if (subject?.kind === 'ServiceAccount')
    return (
      !!user.serviceAccount &&
      subject.name === user.serviceAccount.name &&
      (subject.namespace ?? '') === user.serviceAccount.namespace
    );
  if (subject?.kind === 'User') return subject.name === user.name;
  if (subject?.kind === 'Group') return user.groups.includes(subject.name);
  return false;
}

/** Whether a Role bound to the user in the request's namespace allows it. */
export function rbacAllows(
  cluster: SimulatedCluster,
  user: RequestUser,
  a: RequestAttributes,
): boolean {
  if (!a.namespace) return false;
  const bindings = cluster.objectsOf(
    'rbac.authorization.k8s.io',
    'RoleBinding',
    a.namespace,
  );
  for (const rb of bindings) {
    if (rb.roleRef?.kind !== 'Role') continue;
    if (!(rb.subjects ?? []).some((s: any) => subjectMatches(s, user)))
      continue;
    const role = cluster.objectOf(
      'rbac.authorization.k8s.io',
      'Role',
      a.namespace,
      rb.roleRef.name,
    );
    for (const rule of role?.rules ?? []) {
      if (!matches(rule.verbs, a.verb)) continue;
      if (!matches(rule.apiGroups, a.group)) continue;
      if (!resourceMatches(rule.resources, a.resource, a.subresource)) continue;
      if (
        rule.resourceNames?.length &&
        !(a.name && rule.resourceNames.includes(a.name))
      )
        continue;
      return true;
    }
  }
  return false;
}
