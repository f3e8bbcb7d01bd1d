import { clone } from './util';

/** Raised when a patch cannot be applied; carries the HTTP status to answer with. */
export class PatchError extends Error {
  constructor(message: string, readonly code: number = 422) {
    super(message);
  }
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: any, patch: any): any {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
    return clone(patch);
  }
  const out: any =
    target !== null && typeof target === 'object' && !Array.isArray(target)
      ? { ...target }
      : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) {
      delete out[k];
    } else {
      out[k] = mergePatch(out[k], v);
    }
  }
  return out;
}

/** The merge key of a list of objects, when every element has one. */
export function listMergeKey(items: unknown[]): string | undefined {
  if (items.length === 0) {
    return undefined;
  }
  for (const key of [
    'name',
    'containerPort',
    'port',
    'type',
    'mountPath',
    'ip',
  ]) {
    if (
      items.every(
        i =>
          i !== null &&
          typeof i === 'object' &&
          !Array.isArray(i) &&
          (i as any)[key] !== undefined,
      )
    ) {
      return key;
    }
  }
  return undefined;
}

/**
 * Strategic merge patch, approximated: like a merge patch, except that lists
 * of objects carrying a merge key (name, containerPort, …) are merged element
 * by element instead of replaced, and `$patch: delete` removes an element.
 */
export function strategicMergePatch(target: any, patch: any): any {
  if (patch === null || typeof patch !== 'object') {
    return clone(patch);
  }
  if (Array.isArray(patch)) {
    const key = listMergeKey(patch);
    if (!key || !Array.isArray(target) || listMergeKey(target) !== key) {
      return clone(patch.filter(p => !(p && p.$patch === 'delete')));
    }
    const out = target.map(t => clone(t));
    for (const p of patch) {
      const idx = out.findIndex(t => t[key] === p[key]);
      if (p.$patch === 'delete') {
        if (idx >= 0) out.splice(idx, 1);
      } else if (idx >= 0) {
        out[idx] = strategicMergePatch(out[idx], p);
      } else {
        out.push(clone(p));
      }
    }
    return out;
  }
  const out: any =
    target !== null && typeof target === 'object' && !Array.isArray(target)
      ? { ...target }
      : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue;
    if (v === null) {
      delete out[k];
    } else {
      out[k] = strategicMergePatch(out[k], v);
    }
  }
  return out;
}

function decodePointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) {
    throw new PatchError(`invalid JSON pointer: ${path}`);
  }
  return path
    .slice(1)
    .split('/')
    .map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: any, tokens: string[], path: string): [any, string] {
  let cur = doc;
  for (const t of tokens.slice(0, -1)) {
    if (cur === null || typeof cur !== 'object' || !(t in cur)) {
      throw new PatchError(`doc is missing path: "${path}": missing value`);
    }
    cur = cur[t];
  }
  return [cur, tokens[tokens.length - 1]];
}

function getAt(doc: any, path: string): any {
  let cur = doc;
  for (const t of decodePointer(path)) {
    if (cur === null || typeof cur !== 'object' || !(t in cur)) {
      throw new PatchError(`doc is missing path: "${path}": missing value`);
    }
    cur = cur[t];
  }
  return cur;
}

function addAt(doc: any, path: string, value: any, replace: boolean): any {
  const tokens = decodePointer(path);
  if (tokens.length === 0) return clone(value);
  const [parent, last] = parentOf(doc, tokens, path);
  if (Array.isArray(parent)) {
    const idx = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(idx) || idx < 0 || idx > parent.length) {
      throw new PatchError(
        `add operation does not apply: doc is missing path: "${path}"`,
      );
    }
    if (replace) {
      if (idx >= parent.length) {
        throw new PatchError(
          `replace operation does not apply: doc is missing key: ${path}: missing value`,
        );
      }
      parent[idx] = clone(value);
    } else {
      parent.splice(idx, 0, clone(value));
    }
  } else if (parent !== null && typeof parent === 'object') {
    if (replace && !(last in parent)) {
      throw new PatchError(
        `replace operation does not apply: doc is missing key: ${path}: missing value`,
      );
    }
    parent[last] = clone(value);
  } else {
    throw new PatchError(`doc is missing path: "${path}": missing value`);
  }
  return doc;
}

function removeAt(doc: any, path: string): any {
  const tokens = decodePointer(path);
  const [parent, last] = parentOf(doc, tokens, path);
  if (Array.isArray(parent)) {
    const idx = Number(last);
    if (!Number.isInteger(idx) || idx < 0 || idx >= parent.length) {
      throw new PatchError(
        `remove operation does not apply: doc is missing path: "${path}"`,
      );
    }
    parent.splice(idx, 1);
  } else if (parent !== null && typeof parent === 'object' && last in parent) {
    delete parent[last];
  } else {
    throw new PatchError(
      `remove operation does not apply: doc is missing path: "${path}"`,
    );
  }
  return doc;
}

/**
 * RFC 6902 JSON patch. Like evanphx/json-patch as the apiserver uses it, only
 * a body that is not an array of operations fails decoding (400); every
 * problem found while applying (unknown op, bad path, failed test) is an
 * apply error, which the patch handler answers with a generic 422.
 */
export function jsonPatch(target: any, ops: unknown): any {
  if (!Array.isArray(ops)) {
    throw new PatchError('json patch must be an array of operations', 400);
  }
  let doc = clone(target);
  for (const op of ops) {
    if (!op || typeof op !== 'object' || typeof op.path !== 'string') {
      throw new PatchError('invalid json patch operation');
    }
    switch (op.op) {
      case 'add':
        doc = addAt(doc, op.path, op.value, false);
        break;
      case 'replace':
        doc = addAt(doc, op.path, op.value, true);
        break;
      case 'remove':
        doc = removeAt(doc, op.path);
        break;
      case 'move': {
        const v = getAt(doc, op.from);
        doc = removeAt(doc, op.from);
        doc = addAt(doc, op.path, v, false);
        break;
      }
      case 'copy':
        doc = addAt(doc, op.path, getAt(doc, op.from), false);
        break;
      case 'test':
        if (JSON.stringify(getAt(doc, op.path)) !== JSON.stringify(op.value)) {
          throw new PatchError(`testing value ${op.path} failed: test failed`);
        }
        break;
      default:
        throw new PatchError(`Unexpected kind: ${String(op.op)}`);
    }
  }
  return doc;
}
