import type { SimulatedCluster } from '../cluster';
import { pruneCustomResource, validateCustomResource } from '../crd/schema';
import { establishedStatus } from '../crd/status';
import { recordUpdate } from '../managedFields';
import { apiVersionOf, resourceKey, ResourceType } from '../resources';
import { clone, jsonEqual, JsonObject, K8sObject } from '../util';
import { applyDefaults, resetsStatusOnCreate } from './defaults';
import {
  alreadyExists,
  ApiError,
  badRequest,
  conflict,
  forbidden,
  invalid,
  notFound,
  statusBody,
} from './status';
import { validateBuiltin } from './validation';

/**
 * The write path of the simulated apiserver: create, update (PUT) and delete
 * with the checks of apiserver/pkg/endpoints/handlers/{create,update,delete}.go
 * and the generic registry (apiserver/pkg/registry/generic/registry/store.go),
 * admission (mutating hooks, NamespaceLifecycle), structural pruning and
 * validation of custom resources, and dry run.
 */

/** Options common to write operations. */
export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  /** The API version the client used (for apiVersion and managedFields). */
  version?: string;
  subresource?: string;
  /** `Strict`, `Warn` (default) or `Ignore`: what unknown fields of custom resources do. */
  fieldValidation?: string;
  /** Collects `Warning` header texts for the response. */
  warnings?: string[];
}

/** The 400s of the handlers for a body that does not fit the URL. */
export function checkIdentity(
  type: ResourceType,
  obj: K8sObject,
  namespace: string,
  version: string,
): void {
  if (
    !obj ||
    typeof obj !== 'object' ||
    typeof obj.metadata !== 'object' ||
    obj.metadata === null
  ) {
    throw badRequest(
      'the object provided is not a valid Kubernetes object: missing metadata',
    );
  }
  const expected = apiVersionOf(type.group, version);
  if (
    (obj.kind && obj.kind !== type.kind) ||
    (obj.apiVersion &&
      !type.versions.some(v => apiVersionOf(type.group, v) === obj.apiVersion))
  ) {
    throw badRequest(
      `the API version in the data (${obj.apiVersion}) does not match the expected API version (${expected})`,
    );
  }
  if (type.namespaced && obj.metadata.namespace) {
    if (obj.metadata.namespace !== namespace)
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
  }
}

/** checkName of the update and patch handlers (rest.go). */
export function checkName(
  obj: K8sObject,
  name: string,
  namespace: string,
): void {
  const objName = obj.metadata?.name ?? '';
  if (objName !== name)
    throw badRequest(
      `the name of the object (${objName}) does not match the name on the URL (${name})`,
    );
  const objNs = obj.metadata?.namespace;
  if (namespace && objNs && objNs !== namespace)
    throw badRequest(
      `the namespace of the object (${objNs}) does not match the namespace on the request (${namespace})`,
    );
}

/** Fills in what the API server sets on creation. */
export function initialise(
  cluster: SimulatedCluster,
  type: ResourceType,
  obj: K8sObject,
  namespace: string,
): K8sObject {
  const out: K8sObject = {
    ...obj,
    apiVersion: apiVersionOf(type.group, type.versions[0]),
    kind: type.kind,
    metadata: { ...obj.metadata },
  };
  if (!out.metadata.name && out.metadata.generateName) {
    out.metadata.name = `${out.metadata.generateName}${cluster.rng.suffix()}`;
  }
  if (type.namespaced) out.metadata.namespace = namespace;
  else delete out.metadata.namespace;
  out.metadata.uid = cluster.rng.uuid();
  out.metadata.creationTimestamp = cluster.nowIso();
  delete out.metadata.resourceVersion;
  delete out.metadata.deletionTimestamp;
  if (type.generation) out.metadata.generation = 1;
  else delete out.metadata.generation;
  applyDefaults(type, out, cluster);
  return out;
}

/** NamespaceLifecycle admission: no new content in a terminating or missing namespace. */
export function checkNamespace(
  cluster: SimulatedCluster,
  type: ResourceType,
  namespace: string,
  name: string,
) {
  if (!type.namespaced) return;
  const ns = cluster.store.get('namespaces', '', namespace);
  if (!ns) {
    throw new ApiError(
      statusBody(404, 'NotFound', `namespaces "${namespace}" not found`, {
        name: namespace,
        kind: 'namespaces',
      }),
    );
  }
  if (ns.metadata.deletionTimestamp) {
    const err = forbidden(
      type,
      name,
      `unable to create new content in namespace ${namespace} because it is being terminated`,
    );
    err.body.details!.causes = [
      {
        reason: 'NamespaceTerminating',
        message: `namespace ${namespace} is being terminated`,
        field: 'metadata.namespace',
      },
    ];
    throw err;
  }
}

function specPart(obj: K8sObject | undefined): JsonObject {
  if (!obj) return {};
  const { metadata: _m, status: _s, ...rest } = obj;
  return rest;
}

/** Combines a proposed object with the current one according to the subresource. */
export function scoped(
  type: ResourceType,
  current: K8sObject,
  proposed: K8sObject,
  subresource?: string,
): K8sObject {
  if (subresource === 'status') {
    return {
      ...current,
      metadata: { ...current.metadata },
      status: proposed.status,
    };
  }
  const next: K8sObject = {
    ...proposed,
    apiVersion: current.apiVersion,
    kind: current.kind,
    metadata: {
      ...proposed.metadata,
      name: current.metadata.name,
      uid: current.metadata.uid,
      creationTimestamp: current.metadata.creationTimestamp,
      ...(current.metadata.deletionTimestamp
        ? { deletionTimestamp: current.metadata.deletionTimestamp }
        : {}),
      ...(current.metadata.namespace
        ? { namespace: current.metadata.namespace }
        : {}),
      ...(current.metadata.generation !== undefined
        ? { generation: current.metadata.generation }
        : {}),
    },
  };
  if (type.subresources.includes('status')) {
    if (current.status === undefined) delete next.status;
    else next.status = current.status;
  }
  return next;
}

/** Prunes and validates a custom resource against its CRD (apiextensions handler). */
function admitCustomResource(
  cluster: SimulatedCluster,
  type: ResourceType,
  next: K8sObject,
  opts: WriteOptions,
) {
  const schema = cluster.schemaFor(type, opts.version ?? type.versions[0]);
  const unknown = pruneCustomResource(next, schema);
  const directive = opts.fieldValidation || 'Warn';
  if (unknown.length > 0 && directive === 'Strict') {
    throw badRequest(
      `strict decoding error: ${unknown
        .map(p => `unknown field "${p}"`)
        .join(', ')}`,
    );
  }
  if (directive === 'Warn')
    for (const p of unknown) opts.warnings?.push(`unknown field "${p}"`);
  const causes = validateCustomResource(next, schema);
  if (causes.length > 0)
    throw invalid(type.group, type.kind, next.metadata.name ?? '', causes);
}

/** Admission, validation and the store write shared by every write verb. */
export function finishWrite(
  cluster: SimulatedCluster,
  type: ResourceType,
  previous: K8sObject | undefined,
  next: K8sObject,
  opts: WriteOptions,
  operation: 'CREATE' | 'UPDATE',
): K8sObject {
  if (!opts.subresource) {
    for (const hook of cluster.admissionHooks) hook(type, next, operation);
  }
  if (type.crd) admitCustomResource(cluster, type, next, opts);
  else validateBuiltin(type, next);
  if (type.generation && previous && opts.subresource !== 'status') {
    next.metadata.generation =
      (previous.metadata.generation ?? 1) +
      (jsonEqual(specPart(previous), specPart(next)) ? 0 : 1);
  }
  if (opts.dryRun) {
    // DryRunnableStorage never reaches etcd: no new resourceVersion, no event.
    const out = { ...next, metadata: { ...next.metadata } };
    if (previous)
      out.metadata.resourceVersion = previous.metadata.resourceVersion;
    else delete out.metadata.resourceVersion;
    return out;
  }
  if (
    previous &&
    jsonEqual(previous, {
      ...next,
      metadata: {
        ...next.metadata,
        resourceVersion: previous.metadata.resourceVersion,
      },
    })
  ) {
    return previous;
  }
  return cluster.store.put(resourceKey(type), next);
}

/** POST: creates an object. */
export function createObject(
  cluster: SimulatedCluster,
  type: ResourceType,
  namespace: string,
  body: K8sObject,
  opts: WriteOptions = {},
): K8sObject {
  const version = opts.version ?? type.versions[0];
  checkIdentity(type, body, namespace, version);
  const ns = type.namespaced ? namespace : '';
  checkNamespace(cluster, type, ns, body.metadata.name ?? '');
  if (body.metadata.resourceVersion && !opts.dryRun) {
    // etcd3 store.Create: storage.ErrResourceVersionSetOnCreate, passed through as a 500.
    throw new ApiError({
      ...statusBody(
        500,
        '',
        'resourceVersion should not be set on objects to be created',
      ),
    });
  }
  const obj = initialise(cluster, type, clone(body), ns);
  if (resetsStatusOnCreate(type)) delete obj.status;
  const existing =
    obj.metadata.name &&
    cluster.store.get(resourceKey(type), ns, obj.metadata.name);
  if (existing) {
    const err = alreadyExists(type, obj.metadata.name!);
    if (existing.metadata.deletionTimestamp)
      err.body.message = `object is being deleted: ${err.body.message}`;
    throw err;
  }
  delete obj.metadata.managedFields;
  recordUpdate({
    previous: undefined,
    next: obj,
    manager: opts.fieldManager ?? 'unknown',
    apiVersion: apiVersionOf(type.group, version),
    now: cluster.nowIso(),
  });
  const stored = finishWrite(cluster, type, undefined, obj, opts, 'CREATE');
  if (!opts.dryRun) afterCreate(cluster, type, stored);
  return stored;
}

/** PUT: replaces an object (or its status). */
export function updateObject(
  cluster: SimulatedCluster,
  type: ResourceType,
  namespace: string,
  name: string,
  body: K8sObject,
  opts: WriteOptions = {},
): K8sObject {
  const version = opts.version ?? type.versions[0];
  checkIdentity(type, body, namespace, version);
  checkName(body, name, type.namespaced ? namespace : '');
  const ns = type.namespaced ? namespace : '';
  const current = cluster.store.get(resourceKey(type), ns, name);
  // No built-in or custom kind served here allows create-on-update.
  if (!current) throw notFound(type, name);
  const rv = body.metadata.resourceVersion;
  if (!rv && type.crd) {
    // customResourceStrategy.AllowUnconditionalUpdate() is false (store.go Update).
    throw invalid(type.group, type.plural, name, [
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: 0: must be specified for an update',
        field: 'metadata.resourceVersion',
      },
    ]);
  }
  if (rv && rv !== current.metadata.resourceVersion) throw conflict(type, name);
  const next = scoped(type, current, clone(body), opts.subresource);
  next.metadata.managedFields = current.metadata.managedFields;
  recordUpdate({
    previous: current,
    next,
    manager: opts.fieldManager ?? 'unknown',
    apiVersion: apiVersionOf(type.group, version),
    now: cluster.nowIso(),
    subresource: opts.subresource,
  });
  return finishWrite(cluster, type, current, next, opts, 'UPDATE');
}

/** What a real cluster's controllers do right after some objects are created. */
export function afterCreate(
  cluster: SimulatedCluster,
  type: ResourceType,
  obj: K8sObject,
): void {
  if (type.group === '' && type.kind === 'Namespace') {
    // The service account controller and the root CA publisher.
    const ns = obj.metadata.name!;
    cluster.writeInternal({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'default', namespace: ns },
    });
    cluster.writeInternal({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'kube-root-ca.crt',
        namespace: ns,
        annotations: {
          'kubernetes.io/description':
            'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.',
        },
      },
      data: {
        'ca.crt':
          '-----BEGIN CERTIFICATE-----\nMIIBSIMULATEDCAcareplaneclustersimulatorNOTAREALCERT\n-----END CERTIFICATE-----\n',
      },
    });
  }
  if (type.group === 'apiextensions.k8s.io' && !obj.status?.conditions) {
    // The naming and establishing controllers of apiextensions-apiserver.
    cluster.writeInternal(
      { ...obj, status: establishedStatus(obj, cluster.nowIso()) },
      'kube-apiserver',
    );
  }
}
