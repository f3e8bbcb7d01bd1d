import type { SimulatedCluster } from '../cluster';
import { resourceKey, ResourceType } from '../resources';
import type { JsonObject, K8sObject } from '../util';
import {
  ApiError,
  notFound,
  qualifiedResource,
  statusBody,
  successStatus,
} from './status';

/**
 * DELETE of one object: preconditions checked as the storage layer does
 * (apiserver/pkg/storage/interfaces.go Preconditions.Check, wrapped into a
 * Conflict by storage/errors/storage.go InterpretDeleteError), cascading
 * (background) deletion of dependents, namespaces terminating through their
 * controller, and the answer of registry/generic/registry/store.go
 * finalizeDelete: the object where the store sets ReturnDeletedObject,
 * otherwise a success Status naming the object.
 */

/** Kinds whose DELETE answers the object (ReturnDeletedObject or a custom REST Delete). */
const RETURNS_DELETED_OBJECT = new Set([
  '/Pod',
  '/Service',
  '/ServiceAccount',
  '/PersistentVolumeClaim',
  '/Namespace',
  'apiextensions.k8s.io/CustomResourceDefinition',
]);

/** The etcd key of an object, as storage errors print it. */
export function storageKey(
  type: ResourceType,
  namespace: string,
  name: string,
): string {
  const prefix = type.crd ? `${type.group}/${type.plural}` : type.plural;
  return `/registry/${prefix}/${type.namespaced ? `${namespace}/` : ''}${name}`;
}

/** Options of DELETE (query and DeleteOptions body). */
export interface DeleteOptions {
  dryRun?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** DELETE of one object: the object (for some kinds) or a success Status. */
export function deleteObject(
  cluster: SimulatedCluster,
  type: ResourceType,
  namespace: string,
  name: string,
  opts: DeleteOptions = {},
): { status: number; body: JsonObject } {
  const ns = type.namespaced ? namespace : '';
  const current = cluster.store.get(resourceKey(type), ns, name);
  if (!current) throw notFound(type, name);
  const pre = opts.preconditions ?? {};
  const key = storageKey(type, ns, name);
  const preconditionFailed = (what: string) =>
    new ApiError(
      statusBody(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${qualifiedResource(
          type,
        )} "${name}": StorageError: invalid object, Code: 4, Key: ${key}, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: ${what}`,
        {
          name,
          ...(type.group ? { group: type.group } : {}),
          kind: type.plural,
        },
      ),
    );
  if (pre.uid && pre.uid !== current.metadata.uid)
    throw preconditionFailed(
      `UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`,
    );
  if (
    pre.resourceVersion &&
    pre.resourceVersion !== current.metadata.resourceVersion
  )
    throw preconditionFailed(
      `ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`,
    );
  const present = (o: K8sObject) => cluster.present(type, o);
  const isNamespace = type.group === '' && type.kind === 'Namespace';
  let result: K8sObject = current;
  if (isNamespace) {
    // The namespace REST Delete starts termination; the namespace controller finishes it.
    if (!current.metadata.deletionTimestamp) {
      const next = {
        ...current,
        metadata: { ...current.metadata, deletionTimestamp: cluster.nowIso() },
        status: { ...current.status, phase: 'Terminating' },
      };
      result = opts.dryRun ? next : cluster.store.put('namespaces', next);
    }
  } else if (!opts.dryRun) {
    result = cluster.removeCascade(resourceKey(type), ns, name)!;
  }
  if (RETURNS_DELETED_OBJECT.has(`${type.group}/${type.kind}`))
    return { status: 200, body: present(result) };
  return {
    status: 200,
    body: successStatus({
      name,
      ...(type.group ? { group: type.group } : {}),
      kind: type.plural,
      uid: current.metadata.uid,
    }),
  };
}
