import type { SimulatedCluster } from '../cluster';
import {
  describeManager,
  FieldConflict,
  recordUpdate,
  renderPath,
  serverSideApply,
} from '../managedFields';
import {
  jsonPatch,
  mergePatch,
  PatchError,
  strategicMergePatch,
} from '../patch';
import { apiVersionOf, resourceKey, ResourceType } from '../resources';
import { K8sObject } from '../util';
import { parse as parseYaml } from 'yaml';
import { applyDefaults } from './defaults';
import { ApiError, badRequest, conflict, notFound, statusBody } from './status';
import {
  afterCreate,
  checkIdentity,
  checkNamespace,
  checkName,
  finishWrite,
  initialise,
  scoped,
  WriteOptions,
} from './writes';

/**
 * PATCH: JSON patch, merge patch, strategic merge patch and server-side apply,
 * as apiserver/pkg/endpoints/handlers/patch.go does them.
 */

const JSON_PATCH = 'application/json-patch+json';
const MERGE_PATCH = 'application/merge-patch+json';
const STRATEGIC_PATCH = 'application/strategic-merge-patch+json';
const APPLY_PATCH = 'application/apply-patch+yaml';

/** Options of PATCH. */
export interface PatchOptions extends WriteOptions {
  force?: boolean;
}

/** The 415 listing what a resource accepts (installer.go / customresource_handler.go order). */
function unsupportedMediaType(isCustom: boolean): ApiError {
  const accepted = isCustom
    ? [JSON_PATCH, MERGE_PATCH, APPLY_PATCH]
    : [JSON_PATCH, MERGE_PATCH, STRATEGIC_PATCH, APPLY_PATCH];
  return new ApiError(
    statusBody(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(
        ', ',
      )}`,
    ),
  );
}

/** getConflictMessage / NewConflictError (apimachinery managedfields/internal/conflict.go). */
function applyConflict(conflicts: FieldConflict[]): ApiError {
  const causes = conflicts.map(c => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${describeManager(c)}`,
    field: renderPath(c.field),
  }));
  let message: string;
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${describeManager(
      conflicts[0],
    )}: ${renderPath(conflicts[0].field)}`;
  } else {
    const byManager = new Map<string, FieldConflict[]>();
    for (const c of conflicts) {
      const key = JSON.stringify({
        manager: c.manager,
        operation: c.operation,
        apiVersion: c.apiVersion,
      });
      byManager.set(key, [...(byManager.get(key) ?? []), c]);
    }
    const lines: string[] = [];
    for (const key of [...byManager.keys()].sort()) {
      const list = byManager.get(key)!;
      lines.push(`conflicts with ${describeManager(list[0])}:`);
      for (const c of list) lines.push(`- ${renderPath(c.field)}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join(
      '\n',
    )}`;
  }
  return new ApiError(statusBody(409, 'Conflict', message, { causes }));
}

function fieldManagerRequired(): ApiError {
  return new ApiError(
    statusBody(
      422,
      'Invalid',
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      {
        group: 'meta.k8s.io',
        kind: 'PatchOptions',
        causes: [
          {
            reason: 'FieldValueRequired',
            message: 'Required value: is required for apply patch',
            field: 'fieldManager',
          },
        ],
      },
    ),
  );
}

function forceForbidden(): ApiError {
  return new ApiError(
    statusBody(
      422,
      'Invalid',
      'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch',
      {
        group: 'meta.k8s.io',
        kind: 'PatchOptions',
        causes: [
          {
            reason: 'FieldValueForbidden',
            message: 'Forbidden: may not be specified for non-apply patch',
            field: 'force',
          },
        ],
      },
    ),
  );
}

function apply(
  cluster: SimulatedCluster,
  type: ResourceType,
  namespace: string,
  name: string,
  parsed: any,
  opts: PatchOptions,
): { object: K8sObject; created: boolean } {
  const version = opts.version ?? type.versions[0];
  const ns = type.namespaced ? namespace : '';
  const current = cluster.store.get(resourceKey(type), ns, name);
  if (!opts.fieldManager) throw fieldManagerRequired();
  checkIdentity(type, parsed, namespace, version);
  if (!parsed.apiVersion || !parsed.kind)
    throw badRequest('apiVersion and kind must be set in an apply patch');
  const applied: K8sObject = {
    ...parsed,
    metadata: { ...parsed.metadata, name: parsed.metadata?.name ?? name },
  };
  checkName(applied, name, ns);
  if (
    current &&
    parsed.metadata?.resourceVersion &&
    parsed.metadata.resourceVersion !== current.metadata.resourceVersion
  )
    throw conflict(type, name);
  if (!current && opts.subresource) throw notFound(type, name);
  let base = current;
  if (!base) {
    base = initialise(cluster, type, { metadata: { name } }, ns);
    delete base.metadata.managedFields;
    delete base.spec;
    if (
      type.subresources.includes('status') &&
      !(type.group === '' && type.kind === 'Namespace')
    )
      delete base.status;
  }
  const result = serverSideApply({
    current: base,
    applied,
    manager: opts.fieldManager,
    force: !!opts.force,
    apiVersion: apiVersionOf(type.group, version),
    now: cluster.nowIso(),
    subresource: opts.subresource,
  });
  if (!result.ok) throw applyConflict(result.conflicts);
  const merged = current
    ? scoped(type, current, result.object, opts.subresource)
    : result.object;
  merged.metadata.managedFields = result.object.metadata.managedFields;
  if (current) {
    return {
      object: finishWrite(cluster, type, current, merged, opts, 'UPDATE'),
      created: false,
    };
  }
  checkNamespace(cluster, type, ns, name);
  applyDefaults(type, merged, cluster);
  const stored = finishWrite(cluster, type, undefined, merged, opts, 'CREATE');
  if (!opts.dryRun) afterCreate(cluster, type, stored);
  return { object: stored, created: true };
}

/** PATCH of an object (or its status); returns the result and whether it was created. */
export function patchObject(
  cluster: SimulatedCluster,
  type: ResourceType,
  namespace: string,
  name: string,
  contentType: string,
  rawBody: string,
  opts: PatchOptions = {},
): { object: K8sObject; created: boolean } {
  const ct = contentType.split(';')[0].trim().toLowerCase();
  const isCustom = !!type.crd;
  const known =
    ct === JSON_PATCH ||
    ct === MERGE_PATCH ||
    ct === APPLY_PATCH ||
    (ct === STRATEGIC_PATCH && !isCustom);
  if (!known) throw unsupportedMediaType(isCustom);
  if (ct !== APPLY_PATCH && opts.force !== undefined) throw forceForbidden();
  let parsed: any;
  try {
    parsed = ct === APPLY_PATCH ? parseYaml(rawBody) : JSON.parse(rawBody);
  } catch (e) {
    throw badRequest(
      `error decoding ${ct === APPLY_PATCH ? 'YAML' : 'patch'}: ${
        (e as Error).message
      }`,
    );
  }
  if (ct === APPLY_PATCH)
    return apply(cluster, type, namespace, name, parsed, opts);

  const ns = type.namespaced ? namespace : '';
  const current = cluster.store.get(resourceKey(type), ns, name);
  if (!current) throw notFound(type, name);
  let patched: K8sObject;
  try {
    if (ct === JSON_PATCH) patched = jsonPatch(current, parsed);
    else if (ct === MERGE_PATCH) patched = mergePatch(current, parsed);
    else patched = strategicMergePatch(current, parsed);
  } catch (e) {
    if (e instanceof PatchError) {
      // A patch that cannot be applied is a 422 with the generic message (patch.go applyJSPatch).
      if (e.code === 422) throw genericServerResponseInvalid();
      throw badRequest(e.message);
    }
    throw e;
  }
  if (!patched || typeof patched !== 'object' || !patched.metadata)
    throw badRequest('patch removed metadata');
  if (
    patched.metadata.resourceVersion &&
    patched.metadata.resourceVersion !== current.metadata.resourceVersion
  )
    throw conflict(type, name);
  checkName(patched, name, ns);
  const next = scoped(type, current, patched, opts.subresource);
  next.metadata.managedFields = current.metadata.managedFields;
  recordUpdate({
    previous: current,
    next,
    manager: opts.fieldManager ?? 'unknown',
    apiVersion: apiVersionOf(type.group, opts.version ?? type.versions[0]),
    now: cluster.nowIso(),
    subresource: opts.subresource,
  });
  return {
    object: finishWrite(cluster, type, current, next, opts, 'UPDATE'),
    created: false,
  };
}

/** NewGenericServerResponse(422, …): what a JSON patch that does not apply answers. */
function genericServerResponseInvalid(): ApiError {
  return new ApiError(
    statusBody(
      422,
      'Invalid',
      'the server rejected our request due to an error in our request',
      {},
    ),
  );
}
