import type { SimulatedCluster } from '../cluster';
import { resourceKey, ResourceType } from '../resources';
import { parseLabelSelector, SelectorError } from '../selectors';
import type { K8sObject } from '../util';
import { fieldSelectorFor } from './fieldSelectors';
import {
  ApiError,
  badRequest,
  expired,
  statusBody,
  tooLargeResourceVersion,
} from './status';

/**
 * LIST semantics of kube-apiserver 1.32: resourceVersion / resourceVersionMatch
 * (https://kubernetes.io/docs/reference/using-api/api-concepts/#semantics-for-get-and-list,
 * apiserver/pkg/storage/cacher/cacher.go shouldDelegateList / computeListLimit,
 * apiserver/pkg/storage/etcd3/store.go resolveGetListRev), limit / continue
 * with etcd's tokens and errors (apiserver/pkg/storage/continue.go,
 * etcd3/errors.go), and option validation
 * (apimachinery/pkg/apis/meta/internalversion/validation/validation.go).
 */

/** The query of a LIST request. */
export interface ListQuery {
  labelSelector?: string | null;
  fieldSelector?: string | null;
  limit?: number;
  continueToken?: string | null;
  resourceVersion?: string | null;
  resourceVersionMatch?: string | null;
  sendInitialEvents?: string | null;
}

/** A page of a LIST answer. */
export interface ListResult {
  items: K8sObject[];
  resourceVersion: string;
  continueToken?: string;
  remaining?: number;
}

const EXPIRED_LIST = 'The resourceVersion for the provided list is too old.';
const CONTINUE_EXPIRED =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.';
const INCONSISTENT_CONTINUE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

function listOptionsInvalid(
  causes: Array<{ reason: string; message: string; field: string }>,
): ApiError {
  const msgs = causes.map(c => `${c.field}: ${c.message}`);
  return new ApiError(
    statusBody(
      422,
      'Invalid',
      `ListOptions.meta.k8s.io "" is invalid: ${
        msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`
      }`,
      { group: 'meta.k8s.io', kind: 'ListOptions', causes },
    ),
  );
}

/** ValidateListOptions for a LIST (not a watch). */
function validateListQuery(q: ListQuery) {
  const causes: Array<{ reason: string; message: string; field: string }> = [];
  const forbid = (field: string, detail: string) =>
    causes.push({
      reason: 'FieldValueForbidden',
      message: `Forbidden: ${detail}`,
      field,
    });
  const match = q.resourceVersionMatch;
  if (match) {
    if (!q.resourceVersion)
      forbid(
        'resourceVersionMatch',
        'resourceVersionMatch is forbidden unless resourceVersion is provided',
      );
    if (q.continueToken)
      forbid(
        'resourceVersionMatch',
        'resourceVersionMatch is forbidden when continue is provided',
      );
    if (match !== 'Exact' && match !== 'NotOlderThan')
      causes.push({
        reason: 'FieldValueNotSupported',
        message: `Unsupported value: ${JSON.stringify(
          match,
        )}: supported values: "Exact", "NotOlderThan", ""`,
        field: 'resourceVersionMatch',
      });
    if (match === 'Exact' && q.resourceVersion === '0')
      forbid(
        'resourceVersionMatch',
        'resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
      );
  }
  if (q.sendInitialEvents !== null && q.sendInitialEvents !== undefined)
    forbid('sendInitialEvents', 'sendInitialEvents is forbidden for list');
  if (causes.length > 0) throw listOptionsInvalid(causes);
}

/** The key of an object relative to the list's etcd prefix. */
function relativeKey(o: K8sObject, acrossNamespaces: boolean): string {
  return acrossNamespaces
    ? `${o.metadata.namespace ?? ''}/${o.metadata.name}`
    : o.metadata.name!;
}

/** storage.EncodeContinue: base64url(JSON) without padding. */
export function encodeContinue(rv: number, start: string): string {
  return Buffer.from(
    JSON.stringify({ v: 'meta.k8s.io/v1', rv, start }),
    'utf8',
  ).toString('base64url');
}

/** storage.DecodeContinue with the apiserver's 400 messages. */
function decodeContinue(token: string): { rv: number; start: string } {
  const bad = (why: string) =>
    badRequest(`invalid continue token: continue key is not valid${why}`);
  let parsed: any;
  try {
    const text = Buffer.from(token, 'base64url').toString('utf8');
    parsed = JSON.parse(text);
  } catch (e) {
    throw bad(`: ${(e as Error).message}`);
  }
  if (parsed?.v !== 'meta.k8s.io/v1')
    throw bad(`: server does not recognize this encoded version ${parsed?.v}`);
  if (!parsed.rv)
    throw bad(
      ': incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
  if (!parsed.start)
    throw bad(': encoded start key empty (version meta.k8s.io/v1)');
  return { rv: Number(parsed.rv), start: String(parsed.start) };
}

function parseRv(value: string): number {
  if (!/^\d+$/.test(value))
    throw badRequest(`invalid resource version: ${value}`);
  return Number(value);
}

/** LIST of a resource type, optionally in one namespace. */
export function listObjects(
  cluster: SimulatedCluster,
  type: ResourceType,
  namespace: string | undefined,
  q: ListQuery,
  version?: string,
): ListResult {
  validateListQuery(q);
  let labelSel: (o: K8sObject) => boolean;
  try {
    labelSel = parseLabelSelector(q.labelSelector);
  } catch (e) {
    if (e instanceof SelectorError) throw badRequest(e.message);
    throw e;
  }
  const fieldSel = fieldSelectorFor(
    type,
    q.fieldSelector,
    cluster.crdOf(type),
    version,
  );
  const store = cluster.store;
  const current = store.resourceVersion;
  const rvParam = q.resourceVersion ?? '';
  const acrossNamespaces = type.namespaced && namespace === undefined;
  let limit = q.limit && q.limit > 0 ? q.limit : 0;
  let readAt = current;
  let startAfter: string | undefined;

  if (q.continueToken) {
    const token = decodeContinue(q.continueToken);
    if (rvParam !== '' && rvParam !== '0')
      throw badRequest(
        'specifying resource version is not allowed when using continue',
      );
    startAfter = token.start;
    if (token.rv > 0) {
      if (token.rv < store.oldestResumableVersion)
        throw expired(INCONSISTENT_CONTINUE, encodeContinue(-1, token.start));
      readAt = token.rv;
    }
  } else if (rvParam === '0') {
    // Served from the watch cache, which ignores limit (cacher.go computeListLimit).
    limit = 0;
  } else if (rvParam !== '') {
    const rv = parseRv(rvParam);
    const match = q.resourceVersionMatch ?? '';
    const exact = match === 'Exact' || (match === '' && limit > 0);
    if (rv > current) throw tooLargeResourceVersion(rv, current);
    if (exact) {
      if (rv < store.oldestResumableVersion)
        throw expired(limit > 0 ? CONTINUE_EXPIRED : EXPIRED_LIST);
      readAt = rv;
    }
  }

  const snapshot = store.listAt(
    resourceKey(type),
    type.namespaced ? namespace : undefined,
    readAt,
  );
  if (!snapshot) throw expired(EXPIRED_LIST);
  let i = 0;
  if (startAfter !== undefined) {
    // The token's start is the last key plus "\0": resume strictly after that key.
    const last = startAfter.endsWith('\u0000')
      ? startAfter.slice(0, -1)
      : startAfter;
    let lo = 0;
    let hi = snapshot.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (relativeKey(snapshot[mid], acrossNamespaces) <= last) lo = mid + 1;
      else hi = mid;
    }
    i = lo;
  }
  const items: K8sObject[] = [];
  const max = limit > 0 ? limit : Infinity;
  for (; i < snapshot.length && items.length < max; i++) {
    const o = snapshot[i];
    if (labelSel(o) && fieldSel(o)) items.push(o);
  }
  const result: ListResult = { items, resourceVersion: String(readAt) };
  // etcd3 GetList: a token whenever keys remain after a full page, matching or not.
  if (items.length >= max && i < snapshot.length) {
    const lastKey = relativeKey(items[items.length - 1], acrossNamespaces);
    result.continueToken = encodeContinue(readAt, `${lastKey}\u0000`);
    // Only an unfiltered list knows the count (storage.PrepareContinueToken).
    if (!q.labelSelector && !q.fieldSelector)
      result.remaining = snapshot.length - i;
  }
  return result;
}

const listForms = new WeakMap<K8sObject, K8sObject>();

/**
 * An item of a list answer. Typed lists of built-in kinds are encoded with
 * the list's TypeMeta only: the items carry no kind / apiVersion
 * (apimachinery/pkg/runtime/helper.go WithVersionEncoder sets the GVK of the
 * top-level object alone). Custom resources are unstructured and keep theirs.
 * Stored objects are immutable, so the stripped form is cached per object.
 */
export function listItemOf(
  cluster: SimulatedCluster,
  type: ResourceType,
  obj: K8sObject,
  version: string,
): K8sObject {
  if (type.crd) return cluster.present(type, obj, version);
  let out = listForms.get(obj);
  if (!out) {
    const { apiVersion: _a, kind: _k, ...rest } = obj;
    out = rest as K8sObject;
    listForms.set(obj, out);
  }
  return out;
}
