import { InputError } from '@backstage/errors';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Shows a caller-supplied value in a message without letting it run on or break lines. */
export function quoted(value: unknown): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
  return JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);
}

/**
 * Refuses a namespace that is not a DNS-1123 label (what kube-apiserver accepts as a namespace
 * name: at most 63 lower-case letters, digits and '-'), before any URL is built from it.
 * @internal
 */
export function assertNamespaceName(namespace: unknown): string {
  if (
    typeof namespace !== 'string' ||
    namespace.length > 63 ||
    !DNS1123_LABEL.test(namespace)
  ) {
    throw new InputError(
      `namespace ${quoted(
        namespace,
      )} is not a valid Kubernetes namespace name (a DNS-1123 label: lower-case letters, digits and '-', at most 63 characters)`,
    );
  }
  return namespace;
}

/**
 * Refuses an object name that is not a DNS-1123 subdomain (at most 253 lower-case letters, digits,
 * '-' and '.', each dot-separated part starting and ending with a letter or digit). Names such as
 * `..` or `a/b` would otherwise make a URL that resolves to another object than the one audited.
 * Kinds whose real names are laxer (RBAC path-segment names) are not written through Careplane.
 * @internal
 */
export function assertObjectName(name: unknown, kind: string): string {
  if (
    typeof name !== 'string' ||
    name.length > 253 ||
    !DNS1123_SUBDOMAIN.test(name)
  ) {
    throw new InputError(
      `${kind} name ${quoted(
        name,
      )} is not a valid Kubernetes object name (a DNS-1123 subdomain: lower-case letters, digits, '-' and '.', at most 253 characters)`,
    );
  }
  return name;
}
