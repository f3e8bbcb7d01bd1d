import type { SimulatedCluster } from '../cluster';
import type { K8sObject } from '../util';
import type { RequestAttributes, RequestUser } from './auth';

/**
 * RBAC for service-account tokens issued by the simulator (TokenRequest), as
 * kube-apiserver's RBAC authorizer decides
 * (kubernetes plugin/pkg/auth/authorizer/rbac/rbac.go Authorize / RuleAllows,
 * pkg/registry/rbac/validation/rule.go VisitRulesFor / appliesToUser /
 * GetRoleReferenceRules, pkg/apis/rbac/v1/evaluation_helpers.go):
 * - every ClusterRoleBinding whose subjects include the user grants its
 *   ClusterRole's rules everywhere (cluster-scoped requests and every
 *   namespace);
 * - then, for a namespaced request, every RoleBinding in that namespace grants
 *   the rules of the Role (same namespace) or ClusterRole it references, in
 *   that namespace only;
 * - a ServiceAccount subject without a namespace means the binding's own
 *   namespace (none for a ClusterRoleBinding: it never matches);
 * - a rule allows when verb, API group, resource (`res`, `res/sub`, `*`,
 *   `* /sub`), and resourceNames (if any) match; non-resource URLs match
 *   exactly or by a trailing `*` prefix.
 * Aggregated ClusterRoles (aggregationRule) and the escalation checks on
 * writing RBAC objects are not simulated.
 */

const RBAC = 'rbac.authorization.k8s.io';

function verbMatches(rule: any, verb: string): boolean {
  const verbs: string[] = rule.verbs ?? [];
  return verbs.includes('*') || verbs.includes(verb);
}

function groupMatches(rule: any, group: string): boolean {
  const groups: string[] = rule.apiGroups ?? [];
  return groups.includes('*') || groups.includes(group);
}

/** evaluation_helpers.go ResourceMatches. */
function resourceMatches(
  rule: any,
  combined: string,
  subresource: string,
): boolean {
  const resources: string[] = rule.resources ?? [];
  return resources.some(
    r =>
      r === '*' ||
      r === combined ||
      (subresource !== '' && r === `*/${subresource}`),
  );
}

function nameMatches(rule: any, name: string): boolean {
  const names: string[] = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(name);
}

/** evaluation_helpers.go NonResourceURLMatches. */
function nonResourceUrlMatches(rule: any, path: string): boolean {
  const urls: string[] = rule.nonResourceURLs ?? [];
  return urls.some(
    u =>
      u === '*' ||
      u === path ||
      (u.endsWith('*') && path.startsWith(u.slice(0, -1))),
  );
}

/** rbac.go RuleAllows. */
export function ruleAllows(rule: any, a: RequestAttributes): boolean {
  if (!a.resourceRequest)
    return verbMatches(rule, a.verb) && nonResourceUrlMatches(rule, a.path);
  const combined = a.subresource
    ? `${a.resource}/${a.subresource}`
    : a.resource;
  return (
    verbMatches(rule, a.verb) &&
    groupMatches(rule, a.group) &&
    resourceMatches(rule, combined, a.subresource) &&
    nameMatches(rule, a.name)
  );
}

/** rule.go appliesToUser. */
function subjectMatches(
  subject: any,
  user: RequestUser,
  namespace: string,
): boolean {
  if (subject?.kind === 'User') return subject.name === user.name;
  if (subject?.kind === 'Group') return user.groups.includes(subject.name);
  if (subject?.kind === 'ServiceAccount') {
    const saNamespace = subject.namespace || namespace;
    if (!saNamespace) return false;
    return user.name === `system:serviceaccount:${saNamespace}:${subject.name}`;
  }
  return false;
}

/** rule.go GetRoleReferenceRules. */
function roleRefRules(
  cluster: SimulatedCluster,
  roleRef: any,
  bindingNamespace: string,
): any[] {
  if (roleRef?.apiGroup !== undefined && roleRef.apiGroup !== RBAC) return [];
  let role: K8sObject | undefined;
  if (roleRef?.kind === 'Role' && bindingNamespace)
    role = cluster.objectOf(RBAC, 'Role', bindingNamespace, roleRef.name);
  else if (roleRef?.kind === 'ClusterRole')
    role = cluster.objectOf(RBAC, 'ClusterRole', '', roleRef.name);
  return role?.rules ?? [];
}

/** Whether a binding in effect for the user allows the request (rule.go VisitRulesFor). */
export function rbacAllows(
  cluster: SimulatedCluster,
  user: RequestUser,
  a: RequestAttributes,
): boolean {
  for (const crb of cluster.objectsOf(RBAC, 'ClusterRoleBinding')) {
    if (!(crb.subjects ?? []).some((s: any) => subjectMatches(s, user, '')))
      continue;
    if (crb.roleRef?.kind !== 'ClusterRole') continue;
    if (roleRefRules(cluster, crb.roleRef, '').some(r => ruleAllows(r, a)))
      return true;
  }
  if (!a.namespace) return false;
  for (const rb of cluster.objectsOf(RBAC, 'RoleBinding', a.namespace)) {
    if (
      !(rb.subjects ?? []).some((s: any) =>
        subjectMatches(s, user, a.namespace),
      )
    )
      continue;
    if (
      roleRefRules(cluster, rb.roleRef, a.namespace).some(r => ruleAllows(r, a))
    )
      return true;
  }
  return false;
}
