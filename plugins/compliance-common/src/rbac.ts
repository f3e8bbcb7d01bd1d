import type { ObjectEnvelope } from '@careplane/plugin-clusters-common';
import type { EvalContext } from './types';

/** A rule of a Role as Kubernetes writes it. @public */
export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
}

/** Rules of a Role with their paths. @public */
export function rulesOf(
  role: ObjectEnvelope,
): Array<{ rule: PolicyRule; path: string }> {
  return ((role.object as any).rules ?? []).map(
    (rule: PolicyRule, i: number) => ({
      rule,
      path: `rules[${i}]`,
    }),
  );
}

/** Whether a rule grants one of the verbs on the resource (wildcards included). @public */
export function grants(
  rule: PolicyRule,
  resource: string,
  verbs: string[],
): boolean {
  const resources = rule.resources ?? [];
  const ruleVerbs = rule.verbs ?? [];
  const r = resources.includes('*') || resources.includes(resource);
  const v = ruleVerbs.includes('*') || verbs.some(x => ruleVerbs.includes(x));
  return r && v;
}

/** Whether a rule uses wildcards for verbs or resources. @public */
export function isWildcard(rule: PolicyRule): boolean {
  return (
    (rule.verbs ?? []).includes('*') || (rule.resources ?? []).includes('*')
  );
}

/** The ServiceAccount a pod spec runs as (Kubernetes defaults to `default`). @public */
export function serviceAccountOf(spec: any): string {
  return spec?.serviceAccountName || spec?.serviceAccount || 'default';
}

/**
 * RoleBindings of a namespace that bind the ServiceAccount, with the Role they refer to (when it
 * is a Role of that namespace and cached).
 * @public
 */
export function bindingsOf(
  ctx: EvalContext,
  cluster: string,
  namespace: string,
  serviceAccount: string,
): Array<{ binding: ObjectEnvelope; roleRef: any; role?: ObjectEnvelope }> {
  const roles = ctx.inNamespace(cluster, namespace, 'Role');
  return ctx
    .inNamespace(cluster, namespace, 'RoleBinding')
    .filter(b =>
      ((b.object as any).subjects ?? []).some(
        (s: any) =>
          s.kind === 'ServiceAccount' &&
          s.name === serviceAccount &&
          (s.namespace ?? namespace) === namespace,
      ),
    )
    .map(binding => {
      const roleRef = (binding.object as any).roleRef ?? {};
      const role =
        roleRef.kind === 'Role'
          ? roles.find(r => r.name === roleRef.name)
          : undefined;
      return { binding, roleRef, role };
    });
}
