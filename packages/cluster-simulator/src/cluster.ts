import {
  fieldsOf,
  recordUpdate,
  renderPath,
  serverSideApply,
  toFieldsV1,
} from './managedFields';
import {
  jsonPatch,
  mergePatch,
  PatchError,
  strategicMergePatch,
} from './patch';
import {
  apiVersionOf,
  BUILTIN_TYPES,
  resourceKey,
  ResourceType,
  typeFromCrd,
} from './resources';
import {
  parseFieldSelector,
  parseLabelSelector,
  SelectorError,
} from './selectors';
import { ObjectStore } from './store';
import {
  clone,
  isoSeconds,
  jsonEqual,
  JsonObject,
  K8sObject,
  Rng,
} from './util';
import { parse as parseYaml } from 'yaml';

/** A Kubernetes `Status` failure body. */
export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: JsonObject;
  status: 'Failure';
  message: string;
  reason: string;
  details?: JsonObject;
  code: number;
}

/** Builds a `Status` failure body. */
export function statusBody(
  code: number,
  reason: string,
  message: string,
  details?: JsonObject,
): StatusBody {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

/** An API failure that the HTTP layer renders as a `Status` body. */
export class ApiError extends Error {
  constructor(readonly body: StatusBody) {
    super(body.message);
  }
}

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
  /** Extra labels and attributes shown in `/version`. */
  version?: string;
}

/** Options common to write operations. */
export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  /** The API version the client used (for apiVersion and managedFields). */
  version?: string;
  subresource?: string;
}

const NAME_RE = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const LABEL_NAME_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const DNS_LABEL_KINDS = new Set(['Namespace', 'Service']);

type Cause = { reason: string; message: string; field: string };

/** A hook run on create/update, like a mutating admission webhook. */
export type AdmissionHook = (
  type: ResourceType,
  object: K8sObject,
  operation: 'CREATE' | 'UPDATE',
) => void;

/**
 * One simulated cluster: its store, the types it serves (built-in plus
 * those of installed CRDs) and the API semantics (validation, defaults,
 * generation, managed fields, conflicts, cascading deletion). The HTTP and
 * msw layers translate requests into calls on this class; controllers use
 * its internal write helpers.
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
    this.version = options.version ?? 'v1.31.4';
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

  // ---------------------------------------------------------------- auth

  /** Resolves the bearer token of a request; undefined means 401. */
  authenticate(authorization: string | undefined | null): SimUser | undefined {
    const m = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
    if (!m) return undefined;
    return this.users.find(u => u.token === m[1].trim());
  }

  /** Throws a 403 `Status` when the user may not perform the verb. */
  authorize(
    user: SimUser,
    verb: string,
    type: ResourceType,
    namespace: string | undefined,
    name?: string,
    subresource?: string,
  ): void {
    const resName = subresource ? `${type.plural}/${subresource}` : type.plural;
    const full = type.group ? `${resName}.${type.group}` : resName;
    const okVerb =
      !user.verbs || user.verbs.includes(verb) || user.verbs.includes('*');
    const okRes =
      !user.resources ||
      user.resources.some(r => r === '*' || r === resName || r === full);
    const okNs =
      !user.namespaces ||
      (namespace !== undefined && user.namespaces.includes(namespace));
    if (okVerb && okRes && okNs) return;
    const what = type.group ? `${type.plural}.${type.group}` : type.plural;
    const scope = namespace
      ? `in the namespace "${namespace}"`
      : 'at the cluster scope';
    throw new ApiError(
      statusBody(
        403,
        'Forbidden',
        `${what}${name ? ` "${name}"` : ''} is forbidden: User "${
          user.name
        }" cannot ${verb} resource "${resName}" in API group "${
          type.group
        }" ${scope}`,
        { ...(name ? { name } : {}), group: type.group, kind: type.plural },
      ),
    );
  }

  // ---------------------------------------------------------------- reads

  /** Renders a stored object for a client that asked for `version`. */
  present(type: ResourceType, obj: K8sObject, version?: string): K8sObject {
    const v = version ?? type.versions[0];
    const apiVersion = apiVersionOf(type.group, v);
    if (obj.apiVersion === apiVersion && obj.kind === type.kind) return obj;
    return { ...obj, apiVersion, kind: type.kind };
  }

  private notFound(type: ResourceType, name: string): ApiError {
    const what = type.group ? `${type.plural}.${type.group}` : type.plural;
    return new ApiError(
      statusBody(404, 'NotFound', `${what} "${name}" not found`, {
        name,
        group: type.group,
        kind: type.plural,
      }),
    );
  }

  /** Gets one object or throws 404. */
  get(type: ResourceType, namespace: string, name: string): K8sObject {
    const obj = this.store.get(
      resourceKey(type),
      type.namespaced ? namespace : '',
      name,
    );
    if (!obj) throw this.notFound(type, name);
    return obj;
  }

  /** Lists objects with selectors and pagination. */
  list(
    type: ResourceType,
    namespace: string | undefined,
    opts: {
      labelSelector?: string | null;
      fieldSelector?: string | null;
      limit?: number;
      continueToken?: string | null;
    },
  ): {
    items: K8sObject[];
    resourceVersion: string;
    continueToken?: string;
    remaining?: number;
  } {
    let labelSel;
    let fieldSel;
    try {
      labelSel = parseLabelSelector(opts.labelSelector);
      fieldSel = parseFieldSelector(opts.fieldSelector);
    } catch (e) {
      if (e instanceof SelectorError) {
        throw new ApiError(statusBody(400, 'BadRequest', e.message));
      }
      throw e;
    }
    let listRv = this.store.resourceVersion;
    let startAfter: string | undefined;
    if (opts.continueToken) {
      let token: { rv: number; start: string };
      try {
        token = JSON.parse(
          Buffer.from(opts.continueToken, 'base64').toString('utf8'),
        );
      } catch {
        throw new ApiError(
          statusBody(
            400,
            'BadRequest',
            'continue key is not valid: illegal base64 data',
          ),
        );
      }
      if (token.rv < this.store.oldestResumableVersion) {
        throw new ApiError(
          statusBody(
            410,
            'Expired',
            'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
          ),
        );
      }
      listRv = token.rv;
      startAfter = token.start;
    }
    const all = this.store.list(
      resourceKey(type),
      type.namespaced ? namespace : undefined,
    );
    const keyOf = (o: K8sObject) =>
      `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    let startIdx = 0;
    if (startAfter !== undefined) {
      let lo = 0;
      let hi = all.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (keyOf(all[mid]) <= startAfter) lo = mid + 1;
        else hi = mid;
      }
      startIdx = lo;
    }
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    const items: K8sObject[] = [];
    let i = startIdx;
    for (; i < all.length && items.length < limit; i++) {
      const o = all[i];
      if (labelSel(o) && fieldSel(o)) items.push(o);
    }
    // Advance past non-matching items so `remaining` is honest.
    let remaining = 0;
    let more = false;
    if (items.length >= limit) {
      for (let j = i; j < all.length; j++) {
        if (labelSel(all[j]) && fieldSel(all[j])) {
          remaining++;
          more = true;
        }
      }
    }
    const filtered = !!(opts.labelSelector || opts.fieldSelector);
    return {
      items,
      resourceVersion: String(listRv),
      ...(more
        ? {
            continueToken: Buffer.from(
              JSON.stringify({
                rv: listRv,
                start: keyOf(items[items.length - 1]),
              }),
            ).toString('base64'),
            ...(filtered ? {} : { remaining }),
          }
        : {}),
    };
  }

  // ---------------------------------------------------------------- writes

  private validate(type: ResourceType, obj: K8sObject): void {
    const causes: Cause[] = [];
    const name = obj.metadata.name ?? '';
    const dnsLabel = DNS_LABEL_KINDS.has(type.kind) && type.group === '';
    if (!name) {
      causes.push({
        reason: 'FieldValueRequired',
        message: 'Required value: name or generateName is required',
        field: 'metadata.name',
      });
    } else if (
      dnsLabel
        ? !LABEL_NAME_RE.test(name) || name.length > 63
        : !NAME_RE.test(name) || name.length > 253
    ) {
      causes.push({
        reason: 'FieldValueInvalid',
        message: dnsLabel
          ? `Invalid value: "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character`
          : `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
        field: 'metadata.name',
      });
    }
    for (const [k, v] of Object.entries(obj.metadata.labels ?? {})) {
      if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE_RE.test(v)) {
        causes.push({
          reason: 'FieldValueInvalid',
          message: `Invalid value: "${String(
            v,
          )}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
          field: `metadata.labels`,
        });
      }
      if (
        !/^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(k)
      ) {
        causes.push({
          reason: 'FieldValueInvalid',
          message: `Invalid value: "${k}": name part must consist of alphanumeric characters`,
          field: 'metadata.labels',
        });
      }
    }
    const podSpecAt = (spec: any, field: string) => {
      const containers = spec?.containers;
      if (!Array.isArray(containers) || containers.length === 0) {
        causes.push({
          reason: 'FieldValueRequired',
          message: 'Required value',
          field: `${field}.containers`,
        });
        return;
      }
      containers.forEach((c: any, i: number) => {
        if (!c?.name)
          causes.push({
            reason: 'FieldValueRequired',
            message: 'Required value',
            field: `${field}.containers[${i}].name`,
          });
        if (!c?.image)
          causes.push({
            reason: 'FieldValueRequired',
            message: 'Required value',
            field: `${field}.containers[${i}].image`,
          });
      });
    };
    const g = type.group;
    if (g === '' && type.kind === 'Pod') podSpecAt(obj.spec, 'spec');
    if (g === 'apps' || (g === 'batch' && type.kind === 'Job')) {
      const spec = obj.spec ?? {};
      podSpecAt(spec.template?.spec, 'spec.template.spec');
      if (g === 'apps') {
        const matchLabels = spec.selector?.matchLabels;
        if (!spec.selector) {
          causes.push({
            reason: 'FieldValueRequired',
            message: 'Required value',
            field: 'spec.selector',
          });
        } else if (matchLabels) {
          const labels = spec.template?.metadata?.labels ?? {};
          if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) {
            causes.push({
              reason: 'FieldValueInvalid',
              message: `Invalid value: ${JSON.stringify(
                labels,
              )}: \`selector\` does not match template \`labels\``,
              field: 'spec.template.metadata.labels',
            });
          }
        }
        if (
          spec.replicas !== undefined &&
          (typeof spec.replicas !== 'number' || spec.replicas < 0)
        ) {
          causes.push({
            reason: 'FieldValueInvalid',
            message: `Invalid value: ${JSON.stringify(
              spec.replicas,
            )}: must be greater than or equal to 0`,
            field: 'spec.replicas',
          });
        }
      }
      if (g === 'batch') {
        const rp = spec.template?.spec?.restartPolicy;
        if (rp !== 'Never' && rp !== 'OnFailure') {
          causes.push({
            reason: rp ? 'FieldValueNotSupported' : 'FieldValueRequired',
            message: `${
              rp ? `Unsupported value: "${rp}"` : 'Required value'
            }: supported values: "OnFailure", "Never"`,
            field: 'spec.template.spec.restartPolicy',
          });
        }
      }
    }
    if (g === '' && type.kind === 'Service') {
      (obj.spec?.ports ?? []).forEach((p: any, i: number) => {
        if (typeof p?.port !== 'number' || p.port < 1 || p.port > 65535) {
          causes.push({
            reason: 'FieldValueInvalid',
            message: `Invalid value: ${JSON.stringify(
              p?.port,
            )}: must be between 1 and 65535, inclusive`,
            field: `spec.ports[${i}].port`,
          });
        }
      });
    }
    if (causes.length > 0) {
      const gk = type.group ? `${type.kind}.${type.group}` : type.kind;
      throw new ApiError(
        statusBody(
          422,
          'Invalid',
          `${gk} "${name}" is invalid: ${causes
            .map(c => `${c.field}: ${c.message}`)
            .join(', ')}`,
          { name, group: type.group, kind: type.kind, causes },
        ),
      );
    }
  }

  private checkIdentity(
    type: ResourceType,
    obj: K8sObject,
    namespace: string,
    version: string,
  ) {
    if (
      !obj ||
      typeof obj !== 'object' ||
      typeof obj.metadata !== 'object' ||
      obj.metadata === null
    ) {
      throw new ApiError(
        statusBody(
          400,
          'BadRequest',
          'the object provided is not a valid Kubernetes object: missing metadata',
        ),
      );
    }
    const expected = apiVersionOf(type.group, version);
    if (obj.kind && obj.kind !== type.kind) {
      throw new ApiError(
        statusBody(
          400,
          'BadRequest',
          `the API version in the data (${obj.apiVersion}) does not match the expected API version (${expected})`,
        ),
      );
    }
    if (
      obj.apiVersion &&
      obj.apiVersion !== expected &&
      !type.versions.some(v => apiVersionOf(type.group, v) === obj.apiVersion)
    ) {
      throw new ApiError(
        statusBody(
          400,
          'BadRequest',
          `the API version in the data (${obj.apiVersion}) does not match the expected API version (${expected})`,
        ),
      );
    }
    if (type.namespaced) {
      if (obj.metadata.namespace && obj.metadata.namespace !== namespace) {
        throw new ApiError(
          statusBody(
            400,
            'BadRequest',
            'the namespace of the provided object does not match the namespace sent on the request',
          ),
        );
      }
    }
  }

  private requireNamespace(type: ResourceType, namespace: string) {
    if (type.namespaced && !this.store.get('namespaces', '', namespace)) {
      throw new ApiError(
        statusBody(404, 'NotFound', `namespaces "${namespace}" not found`, {
          name: namespace,
          kind: 'namespaces',
        }),
      );
    }
  }

  /** Fills in what the API server sets on creation. */
  private initialise(
    type: ResourceType,
    obj: K8sObject,
    namespace: string,
    version: string,
  ): K8sObject {
    const out: K8sObject = {
      ...obj,
      apiVersion: apiVersionOf(type.group, type.versions[0]),
      kind: type.kind,
      metadata: { ...obj.metadata },
    };
    if (!out.metadata.name && out.metadata.generateName) {
      out.metadata.name = `${out.metadata.generateName}${this.rng.suffix()}`;
    }
    if (type.namespaced) out.metadata.namespace = namespace;
    else delete out.metadata.namespace;
    out.metadata.uid = this.rng.uuid();
    out.metadata.creationTimestamp = this.nowIso();
    delete out.metadata.resourceVersion;
    delete out.metadata.deletionTimestamp;
    if (type.generation) out.metadata.generation = 1;
    else delete out.metadata.generation;
    void version;
    this.applyDefaults(type, out);
    return out;
  }

  private applyDefaults(type: ResourceType, obj: K8sObject) {
    const g = type.group;
    const k = type.kind;
    if (g === '' && k === 'Namespace') {
      obj.metadata.labels = {
        ...obj.metadata.labels,
        'kubernetes.io/metadata.name': obj.metadata.name!,
      };
      obj.spec = { finalizers: ['kubernetes'], ...obj.spec };
      obj.status = { phase: 'Active' };
    }
    if (g === '' && k === 'Service') {
      const spec = (obj.spec = {
        type: 'ClusterIP',
        sessionAffinity: 'None',
        ...obj.spec,
      });
      if (!spec.clusterIP && spec.type !== 'ExternalName') {
        this.ipCounter++;
        spec.clusterIP = `10.96.${Math.floor(this.ipCounter / 250) % 250}.${
          (this.ipCounter % 250) + 1
        }`;
        spec.clusterIPs = [spec.clusterIP];
      }
      spec.ports = (spec.ports ?? []).map((p: any) => ({
        protocol: 'TCP',
        targetPort: p.port,
        ...p,
      }));
      obj.status = obj.status ?? { loadBalancer: {} };
    }
    if (g === '' && k === 'Pod') {
      obj.spec = {
        restartPolicy: 'Always',
        serviceAccountName: 'default',
        terminationGracePeriodSeconds: 30,
        dnsPolicy: 'ClusterFirst',
        schedulerName: 'default-scheduler',
        ...obj.spec,
      };
      if (!obj.status?.phase) {
        obj.status = { phase: 'Pending', qosClass: 'BestEffort' };
      }
    }
    if (
      g === 'apps' &&
      (k === 'Deployment' || k === 'StatefulSet' || k === 'ReplicaSet')
    ) {
      obj.spec = { replicas: 1, revisionHistoryLimit: 10, ...obj.spec };
      if (k === 'Deployment') {
        obj.spec.progressDeadlineSeconds =
          obj.spec.progressDeadlineSeconds ?? 600;
        obj.spec.strategy = obj.spec.strategy ?? {
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
        };
      }
    }
    if (g === 'batch' && k === 'Job') {
      obj.spec = {
        backoffLimit: 6,
        completions: 1,
        parallelism: 1,
        completionMode: 'NonIndexed',
        suspend: false,
        ...obj.spec,
      };
      const uid = obj.metadata.uid!;
      obj.spec.selector = obj.spec.selector ?? {
        matchLabels: { 'batch.kubernetes.io/controller-uid': uid },
      };
      const tmpl = (obj.spec.template = {
        ...obj.spec.template,
        metadata: { ...obj.spec.template?.metadata },
      });
      tmpl.metadata.labels = {
        ...tmpl.metadata.labels,
        'batch.kubernetes.io/controller-uid': uid,
        'batch.kubernetes.io/job-name': obj.metadata.name!,
        'controller-uid': uid,
        'job-name': obj.metadata.name!,
      };
    }
  }

  private specPart(obj: K8sObject | undefined): JsonObject {
    if (!obj) return {};
    const { metadata: _m, status: _s, ...rest } = obj;
    return rest;
  }

  private finishWrite(
    type: ResourceType,
    previous: K8sObject | undefined,
    next: K8sObject,
    opts: WriteOptions,
    operation: 'CREATE' | 'UPDATE',
  ): K8sObject {
    if (type.generation && previous && opts.subresource !== 'status') {
      next.metadata.generation =
        (previous.metadata.generation ?? 1) +
        (jsonEqual(this.specPart(previous), this.specPart(next)) ? 0 : 1);
    }
    if (!opts.subresource) {
      for (const hook of this.admissionHooks) hook(type, next, operation);
    }
    this.validate(type, next);
    if (opts.dryRun) {
      return {
        ...next,
        metadata: {
          ...next.metadata,
          resourceVersion: previous?.metadata.resourceVersion ?? '',
        },
      };
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
    return this.store.put(resourceKey(type), next);
  }

  /** POST: creates an object. */
  create(
    type: ResourceType,
    namespace: string,
    body: K8sObject,
    opts: WriteOptions = {},
  ): K8sObject {
    if (type.readOnly)
      throw new ApiError(
        statusBody(
          405,
          'MethodNotAllowed',
          'the server does not allow this method on the requested resource',
        ),
      );
    const version = opts.version ?? type.versions[0];
    this.checkIdentity(type, body, namespace, version);
    const ns = type.namespaced ? namespace : '';
    this.requireNamespace(type, ns);
    const obj = this.initialise(type, clone(body), ns, version);
    if (
      type.subresources.includes('status') &&
      !(
        type.group === '' &&
        (type.kind === 'Namespace' ||
          type.kind === 'Service' ||
          type.kind === 'Pod')
      )
    ) {
      delete obj.status;
    }
    if (
      obj.metadata.name &&
      this.store.get(resourceKey(type), ns, obj.metadata.name)
    ) {
      const what = type.group ? `${type.plural}.${type.group}` : type.plural;
      throw new ApiError(
        statusBody(
          409,
          'AlreadyExists',
          `${what} "${obj.metadata.name}" already exists`,
          {
            name: obj.metadata.name,
            group: type.group,
            kind: type.plural,
          },
        ),
      );
    }
    delete obj.metadata.managedFields;
    recordUpdate({
      previous: undefined,
      next: obj,
      manager: opts.fieldManager ?? 'unknown',
      apiVersion: apiVersionOf(type.group, version),
      now: this.nowIso(),
    });
    const stored = this.finishWrite(type, undefined, obj, opts, 'CREATE');
    if (!opts.dryRun) this.afterCreate(type, stored);
    return stored;
  }

  private conflict(type: ResourceType, name: string): ApiError {
    const what = type.group ? `${type.plural}.${type.group}` : type.plural;
    return new ApiError(
      statusBody(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${what} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
        { name, group: type.group, kind: type.plural },
      ),
    );
  }

  /** Combines a proposed object with the current one according to the subresource. */
  private scoped(
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

  /** PUT: replaces an object (or its status). */
  update(
    type: ResourceType,
    namespace: string,
    name: string,
    body: K8sObject,
    opts: WriteOptions = {},
  ): K8sObject {
    if (type.readOnly)
      throw new ApiError(
        statusBody(
          405,
          'MethodNotAllowed',
          'the server does not allow this method on the requested resource',
        ),
      );
    const version = opts.version ?? type.versions[0];
    this.checkIdentity(type, body, namespace, version);
    if (body.metadata.name && body.metadata.name !== name) {
      throw new ApiError(
        statusBody(
          400,
          'BadRequest',
          'the name of the object does not match the name on the URL',
        ),
      );
    }
    const ns = type.namespaced ? namespace : '';
    const current = this.store.get(resourceKey(type), ns, name);
    if (!current) {
      if (opts.subresource) throw this.notFound(type, name);
      return this.create(
        type,
        namespace,
        { ...body, metadata: { ...body.metadata, name } },
        opts,
      );
    }
    if (
      body.metadata.resourceVersion &&
      body.metadata.resourceVersion !== current.metadata.resourceVersion
    ) {
      throw this.conflict(type, name);
    }
    const next = this.scoped(type, current, clone(body), opts.subresource);
    next.metadata.managedFields = current.metadata.managedFields;
    recordUpdate({
      previous: current,
      next,
      manager: opts.fieldManager ?? 'unknown',
      apiVersion: apiVersionOf(type.group, version),
      now: this.nowIso(),
      subresource: opts.subresource,
    });
    return this.finishWrite(type, current, next, opts, 'UPDATE');
  }

  /** PATCH: JSON patch, merge patch, strategic merge patch or server-side apply. */
  patch(
    type: ResourceType,
    namespace: string,
    name: string,
    contentType: string,
    rawBody: string,
    opts: WriteOptions & { force?: boolean } = {},
  ): K8sObject {
    if (type.readOnly)
      throw new ApiError(
        statusBody(
          405,
          'MethodNotAllowed',
          'the server does not allow this method on the requested resource',
        ),
      );
    const version = opts.version ?? type.versions[0];
    const ns = type.namespaced ? namespace : '';
    const current = this.store.get(resourceKey(type), ns, name);
    const ct = contentType.split(';')[0].trim().toLowerCase();
    const isCustom = !!type.crd;
    let parsed: any;
    try {
      parsed =
        ct === 'application/apply-patch+yaml'
          ? parseYaml(rawBody)
          : JSON.parse(rawBody);
    } catch (e) {
      throw new ApiError(
        statusBody(
          400,
          'BadRequest',
          `error decoding patch: ${(e as Error).message}`,
        ),
      );
    }
    if (ct === 'application/apply-patch+yaml') {
      if (!opts.fieldManager) {
        throw new ApiError(
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
      this.checkIdentity(type, parsed, namespace, version);
      if (!parsed.apiVersion || !parsed.kind) {
        throw new ApiError(
          statusBody(
            400,
            'BadRequest',
            'apiVersion and kind must be set in an apply patch',
          ),
        );
      }
      if (parsed.metadata?.name && parsed.metadata.name !== name) {
        throw new ApiError(
          statusBody(
            400,
            'BadRequest',
            'the name of the object does not match the name on the URL',
          ),
        );
      }
      if (
        current &&
        parsed.metadata?.resourceVersion &&
        parsed.metadata.resourceVersion !== current.metadata.resourceVersion
      ) {
        throw this.conflict(type, name);
      }
      const applied: K8sObject = {
        ...parsed,
        metadata: { ...parsed.metadata, name },
      };
      if (!current) {
        if (opts.subresource) throw this.notFound(type, name);
        this.requireNamespace(type, ns);
      }
      const base =
        current ?? this.initialise(type, { metadata: { name } }, ns, version);
      if (!current) {
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
        now: this.nowIso(),
        subresource: opts.subresource,
      });
      if (!result.ok) {
        const n = result.conflicts.length;
        const lines = result.conflicts.map(
          c =>
            `conflict with "${c.manager}" using ${c.apiVersion}: ${renderPath(
              c.field,
            )}`,
        );
        throw new ApiError(
          statusBody(
            409,
            'Conflict',
            `Apply failed with ${n} conflict${n === 1 ? '' : 's'}: ${lines.join(
              '\n',
            )}`,
            {
              name,
              group: type.group,
              kind: type.plural,
              causes: result.conflicts.map(c => ({
                reason: 'FieldManagerConflict',
                message: `conflict with "${c.manager}" using ${c.apiVersion}`,
                field: renderPath(c.field),
              })),
            },
          ),
        );
      }
      const merged = current
        ? this.scoped(type, current, result.object, opts.subresource)
        : result.object;
      merged.metadata.managedFields = result.object.metadata.managedFields;
      if (!current) {
        this.applyDefaults(type, merged);
        const stored = this.finishWrite(
          type,
          undefined,
          merged,
          opts,
          'CREATE',
        );
        if (!opts.dryRun) this.afterCreate(type, stored);
        return stored;
      }
      return this.finishWrite(type, current, merged, opts, 'UPDATE');
    }
    if (!current) throw this.notFound(type, name);
    let patched: K8sObject;
    try {
      if (ct === 'application/json-patch+json') {
        patched = jsonPatch(current, parsed);
      } else if (ct === 'application/merge-patch+json') {
        patched = mergePatch(current, parsed);
      } else if (ct === 'application/strategic-merge-patch+json' && !isCustom) {
        patched = strategicMergePatch(current, parsed);
      } else {
        throw new ApiError(
          statusBody(
            415,
            'UnsupportedMediaType',
            `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml${
              isCustom ? '' : ', application/strategic-merge-patch+json'
            }`,
          ),
        );
      }
    } catch (e) {
      if (e instanceof PatchError) {
        throw new ApiError(
          statusBody(
            e.code,
            e.code === 400 ? 'BadRequest' : 'Invalid',
            e.message,
          ),
        );
      }
      throw e;
    }
    if (!patched || typeof patched !== 'object' || !patched.metadata) {
      throw new ApiError(statusBody(422, 'Invalid', 'patch removed metadata'));
    }
    if (
      patched.metadata.resourceVersion &&
      patched.metadata.resourceVersion !== current.metadata.resourceVersion
    ) {
      throw this.conflict(type, name);
    }
    if (patched.metadata.name !== current.metadata.name) {
      throw new ApiError(
        statusBody(
          400,
          'BadRequest',
          'metadata.name: Invalid value: the name of the object cannot be changed by a patch',
        ),
      );
    }
    const next = this.scoped(type, current, patched, opts.subresource);
    next.metadata.managedFields = current.metadata.managedFields;
    recordUpdate({
      previous: current,
      next,
      manager: opts.fieldManager ?? 'unknown',
      apiVersion: apiVersionOf(type.group, version),
      now: this.nowIso(),
      subresource: opts.subresource,
    });
    return this.finishWrite(type, current, next, opts, 'UPDATE');
  }

  /** DELETE of one object, cascading to its dependents (background propagation). */
  delete(
    type: ResourceType,
    namespace: string,
    name: string,
    opts: { dryRun?: boolean; preconditionResourceVersion?: string } = {},
  ): K8sObject {
    if (type.readOnly)
      throw new ApiError(
        statusBody(
          405,
          'MethodNotAllowed',
          'the server does not allow this method on the requested resource',
        ),
      );
    const ns = type.namespaced ? namespace : '';
    const current = this.get(type, ns, name);
    if (
      opts.preconditionResourceVersion &&
      opts.preconditionResourceVersion !== current.metadata.resourceVersion
    ) {
      throw this.conflict(type, name);
    }
    if (opts.dryRun) return current;
    return this.removeCascade(resourceKey(type), ns, name)!;
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

  private afterCreate(type: ResourceType, obj: K8sObject) {
    // The namespace controller and the root CA publisher of a real cluster.
    if (type.group === '' && type.kind === 'Namespace') {
      const ns = obj.metadata.name!;
      this.writeInternal({
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'default', namespace: ns },
      });
      this.writeInternal({
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
      const created = this.initialise(type, obj, ns, type.versions[0]);
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
      this.afterCreate(type, stored);
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
        (jsonEqual(this.specPart(current), this.specPart(next)) ? 0 : 1);
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
