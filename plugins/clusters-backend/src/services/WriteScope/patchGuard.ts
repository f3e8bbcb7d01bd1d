import { InputError } from '@backstage/errors';
import { LABEL_KUBERNETES_ID } from '@careplane/plugin-clusters-common';
import { quoted } from './names';

const WRITING_OPS = new Set(['add', 'remove', 'replace']);

function decodePointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) {
    throw new InputError(
      `JSON patch path ${quoted(path)} must be empty or start with '/'`,
    );
  }
  return path
    .slice(1)
    .split('/')
    .map(t => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * JSON patch operations (RFC 6902) a caller may send: `add`, `remove` and `replace`. `copy` and
 * `move` take a value from elsewhere in the object — from a field the answer redacts (an env
 * value, a Secret's data) into one it shows — and `test` answers whether a guess of a value is
 * right, one try at a time: all three can read what Careplane never shows, so they are refused
 * for everyone.
 * @internal
 */
export function assertWritingJsonPatch(patch: unknown): Array<{
  op: string;
  path: string[];
  value?: unknown;
}> {
  if (!Array.isArray(patch)) {
    throw new InputError('A JSON patch must be an array of operations');
  }
  return patch.map((op, i) => {
    if (!op || typeof op !== 'object' || Array.isArray(op)) {
      throw new InputError(`JSON patch operation ${i} must be an object`);
    }
    const { op: name, path } = op as { op?: unknown; path?: unknown };
    if (typeof name !== 'string' || !WRITING_OPS.has(name)) {
      throw new InputError(
        `JSON patch operation ${i}: op ${quoted(
          name,
        )} is not allowed; use add, remove or replace (copy, move and test can read values Careplane does not show)`,
      );
    }
    if (typeof path !== 'string') {
      throw new InputError(`JSON patch operation ${i}: path must be a string`);
    }
    return { op: name, path: decodePointer(path), value: (op as any).value };
  });
}

function labelOf(labels: unknown): unknown {
  return labels && typeof labels === 'object' && !Array.isArray(labels)
    ? (labels as Record<string, unknown>)[LABEL_KUBERNETES_ID]
    : undefined;
}

/**
 * Why a patch would change the owner label (`backstage.io/kubernetes-id`) of an object away from
 * `id` — remove it, replace it with another entity's, or drop every label — or undefined when it
 * leaves the label as it is. Ownership moves only through a platform admin.
 * @internal
 */
export function ownerLabelChange(
  patchType: 'merge' | 'json',
  patch: unknown,
  id: string,
): string | undefined {
  const refused = `the patch would change the object's ${LABEL_KUBERNETES_ID} label (it must stay '${id}'; ownership moves only through a platform admin)`;
  if (patchType === 'merge') {
    if (!patch || typeof patch !== 'object' || Array.isArray(patch)) {
      return undefined;
    }
    if (!('metadata' in patch)) return undefined;
    const metadata = (patch as { metadata: unknown }).metadata;
    if (metadata === null) return refused;
    if (typeof metadata !== 'object' || !('labels' in (metadata as object))) {
      return undefined;
    }
    const labels = (metadata as { labels: unknown }).labels;
    if (labels === null) return refused;
    if (
      labels &&
      typeof labels === 'object' &&
      LABEL_KUBERNETES_ID in labels &&
      labelOf(labels) !== id
    ) {
      return refused;
    }
    return undefined;
  }
  for (const { op, path, value } of assertWritingJsonPatch(patch)) {
    const [a, b, c] = path;
    // the whole object, its metadata, its labels, or the label itself
    const touches =
      path.length === 0 ||
      (a === 'metadata' && path.length === 1) ||
      (a === 'metadata' && b === 'labels' && path.length === 2) ||
      (a === 'metadata' &&
        b === 'labels' &&
        c === LABEL_KUBERNETES_ID &&
        path.length === 3);
    if (!touches) continue;
    if (op === 'remove') return refused;
    let kept: unknown;
    if (path.length === 0) kept = labelOf((value as any)?.metadata?.labels);
    else if (path.length === 1) kept = labelOf((value as any)?.labels);
    else if (path.length === 2) kept = labelOf(value);
    else kept = value;
    if (kept !== id) return refused;
  }
  return undefined;
}
