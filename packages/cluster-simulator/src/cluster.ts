import { ApiError, notFound, statusBody } from './api/status';
import type { StatusBody } from './api/status';
import { listObjects, ListQuery, ListResult } from './api/list';
import { deleteObject, DeleteOptions } from './api/deletes';
import { patchObject, PatchOptions } from './api/patch';
import {
  afterCreate,
  createObject,
  initialise,
  updateObject,
  WriteOptions,
} from './api/writes';
import { Schema, schemaOf } from './crd/schema';
import { fieldsOf, toFieldsV1 } from './managedFields';
import {
  apiVersionOf,
  BUILTIN_TYPES,
  resourceKey,
  ResourceType,
  typeFromCrd,
} from './resources';
import { ServiceAccountTokens } from './api/tokens';
import { EventRecorder } from './events';
import type { ClusterOptions, SimClock, SimUser } from './clusterTypes';
import { ObjectStore } from './store';
import {
  clone,
  isoSeconds,
  jsonEqual,
  JsonObject,
  K8sObject,
  Rng,
} from './util';

export { ApiError, statusBody };
export type { StatusBody, WriteOptions };
export type {
  ClusterOptions,
  SimClock,
  SimNode,
  SimUser,
} from './clusterTypes';

/** A hook run on create/update, like a mutating admission webhook. */
export type AdmissionHook = (
  type: ResourceType,
  object: K8sObject,
  operation: 'CREATE' | 'UPDATE',
) => void;

function specPart(obj: K8sObject | undefined): JsonObject {
  if (!obj) return {};
  const { metadata: _m, status: _s, ...rest } = obj;
  return rest;
}

/**
 * One simulated cluster: its store, the types it serves (built-in plus
 * those of installed CRDs), its users and the API verbs (implemented in
 * src/api: list, writes, patch). The HTTP and msw layers route requests
 * (src/api/handler.ts); controllers use the internal write helpers below.
 */
export class SimulatedCluster {
  readonly name: string;
  readonly token: string;
  readonly store: ObjectStore;
  readonly rng: Rng;
  readonly clock: SimClock;
  readonly podReadySeconds: number;
  readonly eventsEnabled: boolean;
  readonly admissionHooks: AdmissionHook[] = [];
  private readonly users: SimUser[];
  private typeCache?: ResourceType[];
  private readonly events: EventRecorder;
  private readonly tokens: ServiceAccountTokens;
  private ipCounter = 10;
  readonly version: string;

  constructor(readonly options: ClusterOptions) {
    this.name = options.name;
    this.token = options.token;
    this.clock = options.clock;
    this.rng = new Rng(options.seed);
    this.store = new ObjectStore(options.historyLimit);
    this.podReadySeconds = options.podReadySeconds ?? 3;
    this.eventsEnabled = options.events !== false;
    this.events = new EventRecorder(this, options.maxEvents ?? 2000);
    this.tokens = new ServiceAccountTokens(this);
    this.version = options.version ?? 'v1.32.4';
    this.users = [
      { token: options.token, name: `sim-admin@${options.name}` },
      ...(options.users ?? []),
    ];
    this.store.subscribe(ev => {
      if (ev.resource === 'customresourcedefinitions.apiextensions.k8s.io') {
        this.typeCache = undefined;
      }
    });
  }

  /** Current simulated time as an RFC 3339 string. */
  nowIso(): string {
    return isoSeconds(this.clock.now());
  }

  /** Every resource type the cluster serves right now. */
  types(): ResourceType[] {
    if (!this.typeCache) {
      const crdTypes = this.store
        .list('customresourcedefinitions.apiextensions.k8s.io')
        .map(typeFromCrd)
        .filter((t): t is ResourceType => !!t);
      this.typeCache = [...BUILTIN_TYPES, ...crdTypes];
    }
    return this.typeCache;
  }

  /** Finds the served type for a group/version/plural triple. */
  findType(
    group: string,
    version: string,
    plural: string,
  ): ResourceType | undefined {
    return this.types().find(
      t =>
        t.group === group &&
        t.plural === plural &&
        t.versions.includes(version),
    );
  }

  /** Finds the served type for an apiVersion and kind. */
  typeFor(apiVersion: string, kind: string): ResourceType | undefined {
    const [group, version] = apiVersion.includes('/')
      ? apiVersion.split('/')
      : ['', apiVersion];
    return this.types().find(
      t => t.group === group && t.kind === kind && t.versions.includes(version),
    );
  }

  /** The type for a kind in a group regardless of version. */
  typeByKind(group: string, kind: string): ResourceType | undefined {
    return this.types().find(t => t.group === group && t.kind === kind);
  }

  /** Whether a custom kind is installed (its CRD exists). */
  hasKind(group: string, kind: string): boolean {
    return !!this.typeByKind(group, kind);
  }

  /** The CRD object behind a custom type. */
  crdOf(type: ResourceType): K8sObject | undefined {
    return type.crd
      ? this.store.get(
          'customresourcedefinitions.apiextensions.k8s.io',
          '',
          type.crd,
        )
      : undefined;
  }

  /** The structural schema of a custom type's version. */
  schemaFor(type: ResourceType, version: string): Schema | undefined {
    const crd = this.crdOf(type);
    return crd ? schemaOf(crd, version) : undefined;
  }

  // ---------------------------------------------------------------- auth

  /** The scenario user (or cluster admin) a static token belongs to. */
  userForToken(token: string): SimUser | undefined {
    return this.users.find(u => u.token === token);
  }

  /** The service account a TokenRequest token stands for, while valid. */
  serviceAccountForToken(
    token: string,
  ): { namespace: string; name: string } | undefined {
    return this.tokens.resolve(token);
  }

  /** Mints a JWT-shaped token for a service account (not signed). */
  issueServiceAccountToken(
    sa: K8sObject,
    audiences: string[],
    exp: number,
  ): string {
    return this.tokens.issue(sa, audiences, exp);
  }

  // ---------------------------------------------------------------- API verbs

  /** Renders a stored object for a client that asked for `version`. */
  present(type: ResourceType, obj: K8sObject, version?: string): K8sObject {
    const v = version ?? type.versions[0];
    const apiVersion = apiVersionOf(type.group, v);
    if (obj.apiVersion === apiVersion && obj.kind === type.kind) return obj;
    return { ...obj, apiVersion, kind: type.kind };
  }

  /** Gets one object or throws 404. */
  get(type: ResourceType, namespace: string, name: string): K8sObject {
    const obj = this.store.get(
      resourceKey(type),
      type.namespaced ? namespace : '',
      name,
    );
    if (!obj) throw notFound(type, name);
    return obj;
  }

  /** LIST with selectors, resourceVersion semantics and pagination. */
  list(
    type: ResourceType,
    namespace: string | undefined,
    query: ListQuery,
  ): ListResult {
    return listObjects(this, type, namespace, query);
  }

  /** POST: creates an object. */
  create(
    type: ResourceType,
    namespace: string,
    body: K8sObject,
    opts: WriteOptions = {},
  ): K8sObject {
    return createObject(this, type, namespace, body, opts);
  }

  /** PUT: replaces an object (or its status). */
  update(
    type: ResourceType,
    namespace: string,
    name: string,
    body: K8sObject,
    opts: WriteOptions = {},
  ): K8sObject {
    return updateObject(this, type, namespace, name, body, opts);
  }

  /** PATCH: JSON patch, merge patch, strategic merge patch or server-side apply. */
  patch(
    type: ResourceType,
    namespace: string,
    name: string,
    contentType: string,
    rawBody: string,
    opts: PatchOptions = {},
  ): K8sObject {
    return patchObject(this, type, namespace, name, contentType, rawBody, opts)
      .object;
  }

  /** DELETE: the answer body (the object or a success Status). */
  delete(
    type: ResourceType,
    namespace: string,
    name: string,
    opts: DeleteOptions = {},
  ): JsonObject {
    return deleteObject(this, type, namespace, name, opts).body;
  }

  /** Allocates a Service cluster IP. */
  nextServiceIp(): string {
    this.ipCounter++;
    return `10.96.${Math.floor(this.ipCounter / 250) % 250}.${
      (this.ipCounter % 250) + 1
    }`;
  }

  /** Removes an object and, recursively, everything it owns or contains. */
  removeCascade(
    resource: string,
    namespace: string,
    name: string,
  ): K8sObject | undefined {
    const deleted = this.store.remove(resource, namespace, name);
    if (!deleted) return undefined;
    for (const dep of this.store.dependentsOf(deleted.metadata.uid!)) {
      this.removeCascade(dep.resource, dep.namespace, dep.name);
    }
    if (resource === 'namespaces') {
      for (const t of this.types()) {
        if (!t.namespaced) continue;
        for (const o of [...this.store.list(resourceKey(t), name)]) {
          this.removeCascade(resourceKey(t), name, o.metadata.name!);
        }
      }
    }
    if (resource === 'customresourcedefinitions.apiextensions.k8s.io') {
      const t = typeFromCrd(deleted);
      if (t) {
        for (const o of [...this.store.list(resourceKey(t))]) {
          this.store.remove(
            resourceKey(t),
            o.metadata.namespace ?? '',
            o.metadata.name!,
          );
        }
      }
    }
    return deleted;
  }

  // ------------------------------------------------------ internal writes

  /**
   * Writes an object as a controller would: no validation or admission,
   * status kept, uid/creationTimestamp/generation maintained.
   */
  writeInternal(
    obj: K8sObject,
    manager = 'kube-controller-manager',
  ): K8sObject {
    const type = this.typeFor(obj.apiVersion ?? '', obj.kind ?? '');
    if (!type) {
      throw new Error(
        `cluster ${this.name}: no served type for ${obj.apiVersion} ${obj.kind}`,
      );
    }
    const ns = type.namespaced ? obj.metadata.namespace ?? 'default' : '';
    const current = this.store.get(resourceKey(type), ns, obj.metadata.name!);
    if (!current) {
      const created = initialise(this, type, obj, ns);
      if (obj.status !== undefined) created.status = obj.status;
      if (!created.metadata.managedFields) {
        created.metadata.managedFields = [
          {
            manager,
            operation: 'Update',
            apiVersion: created.apiVersion,
            time: this.nowIso(),
            fieldsType: 'FieldsV1',
            fieldsV1: toFieldsV1(fieldsOf(created)),
          },
        ];
      }
      const stored = this.store.put(resourceKey(type), created);
      afterCreate(this, type, stored);
      return stored;
    }
    const next: K8sObject = {
      ...obj,
      apiVersion: current.apiVersion,
      kind: current.kind,
      metadata: {
        ...obj.metadata,
        uid: current.metadata.uid,
        creationTimestamp: current.metadata.creationTimestamp,
        resourceVersion: current.metadata.resourceVersion,
        ...(type.namespaced ? { namespace: ns } : {}),
      },
    };
    if (type.generation) {
      next.metadata.generation =
        (current.metadata.generation ?? 1) +
        (jsonEqual(specPart(current), specPart(next)) ? 0 : 1);
    }
    if (jsonEqual(current, next)) return current;
    return this.store.put(resourceKey(type), next);
  }

  /**
   * Reads, changes and writes back one object (a controller's update). The
   * callback gets a private copy; nothing is written if it is unchanged.
   */
  mutate(
    group: string,
    kind: string,
    namespace: string,
    name: string,
    fn: (draft: K8sObject) => void,
  ): K8sObject | undefined {
    const type = this.typeByKind(group, kind);
    if (!type) return undefined;
    const current = this.store.get(
      resourceKey(type),
      type.namespaced ? namespace : '',
      name,
    );
    if (!current) return undefined;
    const draft = clone(current);
    fn(draft);
    if (jsonEqual(draft, current)) return current;
    return this.writeInternal(draft);
  }

  /** Lists stored objects of a kind (internal, unfiltered). */
  objectsOf(group: string, kind: string, namespace?: string): K8sObject[] {
    const type = this.typeByKind(group, kind);
    if (!type) return [];
    return this.store.list(resourceKey(type), namespace);
  }

  /** Reads one stored object of a kind (internal). */
  objectOf(
    group: string,
    kind: string,
    namespace: string,
    name: string,
  ): K8sObject | undefined {
    const type = this.typeByKind(group, kind);
    if (!type) return undefined;
    return this.store.get(
      resourceKey(type),
      type.namespaced ? namespace : '',
      name,
    );
  }

  /** Deletes one stored object of a kind with cascade (internal). */
  removeOf(group: string, kind: string, namespace: string, name: string): void {
    const type = this.typeByKind(group, kind);
    if (!type) return;
    this.removeCascade(
      resourceKey(type),
      type.namespaced ? namespace : '',
      name,
    );
  }

  /** Records (or aggregates) a core/v1 Event about an object. */
  recordEvent(
    involved: K8sObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    component: string,
  ): void {
    this.events.record(involved, type, reason, message, component);
  }

  /** Allocates a pod IP. */
  nextPodIp(): string {
    this.ipCounter++;
    return `10.244.${Math.floor(this.ipCounter / 250) % 250}.${
      (this.ipCounter % 250) + 1
    }`;
  }
}
