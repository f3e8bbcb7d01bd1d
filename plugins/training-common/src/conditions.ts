import type { KubeObject } from '@careplane/plugin-clusters-common';

/**
 * A status condition (metav1.Condition or the older job conditions).
 * @public
 */
export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/**
 * The condition of a type on an object, if any.
 * @public
 */
export function conditionOf(
  obj: KubeObject | undefined,
  type: string,
): Condition | undefined {
  const list: unknown = obj?.status?.conditions;
  if (!Array.isArray(list)) return undefined;
  return list.find(
    (c): c is Condition =>
      typeof c === 'object' && c !== null && (c as Condition).type === type,
  );
}

/**
 * Whether the condition of a type is `True`.
 * @public
 */
export function isTrue(obj: KubeObject | undefined, type: string): boolean {
  return conditionOf(obj, type)?.status === 'True';
}
