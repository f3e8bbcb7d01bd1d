import { ApiError, notFound, statusBody } from './api/status';
import type { StatusBody } from './api/status';
import { listObjects, ListQuery, ListResult } from './api/list';
import { patchObject, PatchOptions } from './api/patch';
import {
  afterCreate,
  createObject,
  DeleteOptions,
  deleteObject,
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

/** The simulated clock shared by every cluster of a simulation. */
export interface SimClock {
  /** Simulated time in epoch milliseconds. */
  now(): number;
}

/** A bearer token and what it may do. */
export interface SimUser {
  token: string;
  name: string;
  /** Allowed verbs (get, list, watch, create, update, patch, delete, deletecollection); all if absent. */
  verbs?: string[];
  /** Allowed resources as `plural` or `plural.group`, with `*` for any; all if absent. */
  resources?: string[];
  /** Allowed namespaces; all if absent. */
  namespaces?: string[];
}

/** A node of the simulated cluster. */
export interface SimNode {
  name: string;
  labels?: Record<string, string>;
  cpu?: string;
  memory?: string;
  gpus?: number;
  gpuProduct?: string;
  taints?: Array<{ key: string; value?: string; effect: string }>;
}

/** Options for one simulated cluster. */
export interface ClusterOptions {
  name: string;
  token: string;
  users?: SimUser[];
  seed: number;
  clock: SimClock;
  /** Seconds from container start until a pod is Ready (default 3). */
  podReadySeconds?: number;
  historyLimit?: number;
  /** Upper bound on stored Events (oldest are deleted first). */
  maxEvents?: number;
  /** Whether controllers record Events (default true). */
  events?: boolean;
  nodes?: SimNode[];
  /** Kubernetes version shown in `/version` and on nodes (default v1.32.4). */
  version?: string;
}

/** A hook run on create/update, like a mutating admission webhook. */
export type AdmissionHook = (
  type: ResourceType,
  object: K8sObject,
  operation: 'CREATE' | 'UPDATE',
) => void;

/** A service-account token issued through TokenRequest. */
interface IssuedToken {
  namespace: string;
  name: string;
  uid: string;
  exp: number;
}

function specPart(obj: K8sObject | undefined): JsonObject {
  if (!obj) return {};
  const { metadata: _m, status: _s, ...rest } = obj;
  return rest;
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
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
  private readonly maxEvents: number;
  private typeCache?: ResourceType[];
  private readonly eventOrder: string[] = [];
  private readonly eventIndex = new Map<string, string>();
  private readonly issuedTokens = new Map<string, IssuedToken>();
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
    this.maxEvents = options.maxEvents ?? 2000;
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
    const t = this.issuedTokens.get(token);
    if (!t || t.exp * 1000 <= this.clock.now()) return undefined;
    const sa = this.store.get('serviceaccounts', t.namespace, t.name);
    if (!sa || sa.metadata.uid !== t.uid) return undefined;
    return { namespace: t.namespace, name: t.name };
  }

  /** Mints a JWT-shaped token for a service account (not signed). */
  issueServiceAccountToken(
    sa: K8sObject,
    audiences: string[],
    exp: number,
  ): string {
    const iat = Math.floor(this.clock.now() / 1000);
    const ns = sa.metadata.namespace!;
    const name = sa.metadata.name!;
    const token = [
      base64url({ alg: 'RS256', kid: `careplane-sim-${this.name}` }),
      base64url({
        aud: audiences,
        exp,
        iat,
        iss: 'https://kubernetes.default.svc.cluster.local',
        jti: this.rng.uuid(),
        'kubernetes.io': {
          namespace: ns,
          serviceaccount: { name, uid: sa.metadata.uid },
        },
        nbf: iat,
        sub: `system:serviceaccount:${ns}:${name}`,
      }),
      Buffer.from(this.rng.uuid()).toString('base64url'),
    ].join('.');
    this.issuedTokens.set(token, {
      namespace: ns,
      name,
      uid: sa.metadata.uid!,
      exp,
    });
    return token;
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
    if (!this.eventsEnabled) return;
    const ns = involved.metadata.namespace ?? 'default';
    const key = `${involved.metadata.uid}|${reason}|${message}`;
    const now = this.nowIso();
    const existing = this.eventIndex.get(key);
    if (existing && this.store.get('events', ns, existing)) {
      this.mutate('', 'Event', ns, existing, ev => {
        ev.count = (ev.count ?? 1) + 1;
        ev.lastTimestamp = now;
      });
      return;
    }
    const name = `${involved.metadata.name}.${this.rng
      .uuid()
      .replace(/-/g, '')
      .slice(0, 16)}`;
    this.writeInternal(
      {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace: ns },
        involvedObject: {
          apiVersion: involved.apiVersion,
          kind: involved.kind,
          name: involved.metadata.name,
          namespace: involved.metadata.namespace,
          uid: involved.metadata.uid,
          resourceVersion: involved.metadata.resourceVersion,
        },
        reason,
        message,
        type,
        source: { component },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
        eventTime: null,
        reportingComponent: component,
        reportingInstance: '',
      },
      component,
    );
    this.eventIndex.set(key, name);
    this.eventOrder.push(`${ns}/${name}`);
    while (this.eventOrder.length > this.maxEvents) {
      const [ons, oname] = this.eventOrder.shift()!.split('/');
      this.store.remove('events', ons, oname);
    }
  }

  /** Allocates a pod IP. */
  nextPodIp(): string {
    this.ipCounter++;
    return `10.244.${Math.floor(this.ipCounter / 250) % 250}.${
      (this.ipCounter % 250) + 1
    }`;
  }
}
