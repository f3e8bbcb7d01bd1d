import {
  ApiError,
  SimulatedCluster,
  SimUser,
  statusBody,
  StatusBody,
} from '../cluster';
import { podLogText, PodLogOptions } from '../controllers/logs';
import { ClusterFaults } from '../faults';
import { apiVersionOf, resourceKey, ResourceType, verbsOf } from '../resources';
import {
  parseFieldSelector,
  parseLabelSelector,
  SelectorError,
} from '../selectors';
import { StoreEvent } from '../store';
import { K8sObject } from '../util';

/** A transport-neutral API request. */
export interface SimRequest {
  method: string;
  url: URL;
  header(name: string): string | undefined | null;
  body?: string;
}

/** Receives the chunks of a streamed response. */
export interface StreamSink {
  write(chunk: string): void;
  end(): void;
  /** Abruptly fails the stream (a reset connection). */
  destroy(): void;
}

/** A transport-neutral API response: a body or a stream. */
export type SimResponse =
  | { status: number; headers: Record<string, string>; body: string }
  | {
      status: number;
      headers: Record<string, string>;
      /** Starts the stream; returns a function that stops it. */
      stream: (sink: StreamSink) => () => void;
    };

/** Knobs for watch streams. */
export interface WatchSettings {
  /** Real milliseconds between BOOKMARK events when the client allows them. */
  bookmarkIntervalMs: number;
  /** Real milliseconds between log polls for `follow=true`. */
  logPollMs: number;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

function json(
  status: number,
  body: unknown,
  extra: Record<string, string> = {},
): SimResponse {
  return {
    status,
    headers: { ...JSON_HEADERS, ...extra },
    body: JSON.stringify(body),
  };
}

function fail(
  body: StatusBody,
  extra: Record<string, string> = {},
): SimResponse {
  return json(body.code, body, extra);
}

/** A 404 like the one kube-apiserver answers for unknown paths. */
function notServed(): SimResponse {
  return fail(
    statusBody(
      404,
      'NotFound',
      'the server could not find the requested resource',
      {},
    ),
  );
}

interface ParsedPath {
  kind:
    | 'root'
    | 'discovery-core'
    | 'discovery-groups'
    | 'discovery-group'
    | 'discovery-version'
    | 'resource'
    | 'version'
    | 'health';
  group?: string;
  version?: string;
  plural?: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

function parsePath(path: string): ParsedPath | undefined {
  const segs = path
    .split('/')
    .filter(s => s !== '')
    .map(decodeURIComponent);
  if (segs.length === 0) return { kind: 'root' };
  if (segs[0] === 'version' && segs.length === 1) return { kind: 'version' };
  if (['healthz', 'readyz', 'livez'].includes(segs[0]))
    return { kind: 'health' };
  let group: string;
  let version: string | undefined;
  let rest: string[];
  if (segs[0] === 'api') {
    if (segs.length === 1) return { kind: 'discovery-core' };
    group = '';
    version = segs[1];
    rest = segs.slice(2);
  } else if (segs[0] === 'apis') {
    if (segs.length === 1) return { kind: 'discovery-groups' };
    group = segs[1];
    if (segs.length === 2) return { kind: 'discovery-group', group };
    version = segs[2];
    rest = segs.slice(3);
  } else {
    return undefined;
  }
  if (rest.length === 0) return { kind: 'discovery-version', group, version };
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    return {
      kind: 'resource',
      group,
      version,
      namespace: rest[1],
      plural: rest[2],
      name: rest[3],
      subresource: rest[4],
    };
  }
  return {
    kind: 'resource',
    group,
    version,
    plural: rest[0],
    name: rest[1],
    subresource: rest[2],
  };
}

function groupsOf(cluster: SimulatedCluster): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const t of cluster.types()) {
    if (t.group === '') continue;
    const vs = groups.get(t.group) ?? [];
    for (const v of t.versions) if (!vs.includes(v)) vs.push(v);
    groups.set(t.group, vs);
  }
  return groups;
}

function groupDoc(group: string, versions: string[]) {
  const vs = versions.map(v => ({ groupVersion: `${group}/${v}`, version: v }));
  return { name: group, versions: vs, preferredVersion: vs[0] };
}

function resourceList(
  cluster: SimulatedCluster,
  group: string,
  version: string,
) {
  const types = cluster
    .types()
    .filter(t => t.group === group && t.versions.includes(version));
  if (types.length === 0) return undefined;
  const resources: unknown[] = [];
  for (const t of types) {
    resources.push({
      name: t.plural,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: verbsOf(t),
      ...(t.shortNames ? { shortNames: t.shortNames } : {}),
      ...(t.categories ? { categories: t.categories } : {}),
      storageVersionHash: '',
    });
    for (const sub of t.subresources) {
      resources.push({
        name: `${t.plural}/${sub}`,
        singularName: '',
        namespaced: t.namespaced,
        kind: sub === 'scale' ? 'Scale' : t.kind,
        verbs: sub === 'log' ? ['get'] : ['get', 'patch', 'update'],
      });
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf(group, version),
    resources,
  };
}

function verbOf(method: string, hasName: boolean, watch: boolean): string {
  switch (method) {
    case 'GET':
      return watch ? 'watch' : hasName ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return hasName ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

/** Resource name (`plural` or `plural.group`) of a request path, for fault matching. */
export function resourceOfPath(path: string): {
  verbHint?: string;
  resource?: string;
} {
  const p = parsePath(path);
  if (!p || p.kind !== 'resource' || !p.plural) return {};
  return { resource: resourceKey({ group: p.group ?? '', plural: p.plural }) };
}

/** Maps a request to its Kubernetes verb (get, list, watch, create, …). */
export function verbOfRequest(method: string, url: URL): string {
  const p = parsePath(url.pathname);
  const watch = ['true', '1'].includes(url.searchParams.get('watch') ?? '');
  return verbOf(method.toUpperCase(), !!p?.name, watch);
}

function parseBody(req: SimRequest): K8sObject {
  try {
    const parsed = JSON.parse(req.body ?? '');
    if (!parsed || typeof parsed !== 'object') throw new Error('not an object');
    return parsed;
  } catch (e) {
    throw new ApiError(
      statusBody(
        400,
        'BadRequest',
        `error decoding request body: ${(e as Error).message}`,
      ),
    );
  }
}

/**
 * Serves one API request against a simulated cluster. Faults are applied by
 * the transports (HTTP server, msw) before this is called.
 */
export async function handleApiRequest(
  cluster: SimulatedCluster,
  faults: ClusterFaults,
  req: SimRequest,
  settings: WatchSettings,
): Promise<SimResponse> {
  try {
    return route(cluster, faults, req, settings);
  } catch (e) {
    if (e instanceof ApiError) return fail(e.body);
    return fail(
      statusBody(
        500,
        'InternalError',
        `an error on the server ("${
          (e as Error).message
        }") has prevented the request from succeeding`,
      ),
    );
  }
}

function route(
  cluster: SimulatedCluster,
  faults: ClusterFaults,
  req: SimRequest,
  settings: WatchSettings,
): SimResponse {
  const method = req.method.toUpperCase();
  const parsed = parsePath(req.url.pathname);
  const user = cluster.authenticate(req.header('authorization'));
  if (!user) {
    return fail(statusBody(401, 'Unauthorized', 'Unauthorized'));
  }
  if (!parsed) return notServed();
  const q = req.url.searchParams;
  switch (parsed.kind) {
    case 'health':
      return {
        status: 200,
        headers: { 'content-type': 'text/plain' },
        body: 'ok',
      };
    case 'version':
      return json(200, {
        major: '1',
        minor: cluster.version.split('.')[1] ?? '31',
        gitVersion: cluster.version,
        gitCommit: 'careplane-cluster-simulator',
        gitTreeState: 'clean',
        buildDate: '2026-01-01T00:00:00Z',
        goVersion: 'go1.23.0',
        compiler: 'gc',
        platform: 'linux/amd64',
      });
    case 'root':
      return json(200, {
        paths: [
          '/api',
          '/api/v1',
          '/apis',
          '/healthz',
          '/version',
          ...[...groupsOf(cluster).keys()].map(g => `/apis/${g}`),
        ],
      });
    case 'discovery-core':
      return json(200, {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [
          { clientCIDR: '0.0.0.0/0', serverAddress: req.url.host },
        ],
      });
    case 'discovery-groups':
      return json(200, {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: [...groupsOf(cluster).entries()].map(([g, vs]) =>
          groupDoc(g, vs),
        ),
      });
    case 'discovery-group': {
      const vs = groupsOf(cluster).get(parsed.group!);
      if (!vs) return notServed();
      return json(200, {
        kind: 'APIGroup',
        apiVersion: 'v1',
        ...groupDoc(parsed.group!, vs),
      });
    }
    case 'discovery-version': {
      const doc = resourceList(cluster, parsed.group!, parsed.version!);
      return doc ? json(200, doc) : notServed();
    }
    default:
      break;
  }
  const type = cluster.findType(parsed.group!, parsed.version!, parsed.plural!);
  if (!type) return notServed();
  if (!type.namespaced && parsed.namespace) return notServed();
  if (parsed.subresource && !type.subresources.includes(parsed.subresource))
    return notServed();
  const namespace = parsed.namespace ?? '';
  const watch = ['true', '1'].includes(q.get('watch') ?? '');
  const verb = verbOf(method, !!parsed.name, watch);
  cluster.authorize(
    user,
    verb,
    type,
    parsed.namespace,
    parsed.name,
    parsed.subresource,
  );
  const version = parsed.version!;
  const dryRun = q.getAll('dryRun').includes('All');
  const fieldManager = q.get('fieldManager') ?? undefined;
  const present = (o: K8sObject) => cluster.present(type, o, version);

  if (parsed.subresource === 'log') {
    if (method !== 'GET')
      return fail(
        statusBody(
          405,
          'MethodNotAllowed',
          'the server does not allow this method on the requested resource',
        ),
      );
    return podLog(cluster, faults, namespace, parsed.name!, q, settings);
  }
  if (parsed.subresource === 'scale') {
    return scale(cluster, type, namespace, parsed.name!, method, req, version);
  }

  switch (method) {
    case 'GET': {
      if (watch)
        return watchResponse(
          cluster,
          faults,
          type,
          parsed.namespace,
          version,
          q,
          settings,
          user,
        );
      if (parsed.name)
        return json(200, present(cluster.get(type, namespace, parsed.name)));
      const limit = q.get('limit') ? Number(q.get('limit')) : undefined;
      const result = cluster.list(type, parsed.namespace, {
        labelSelector: q.get('labelSelector'),
        fieldSelector: q.get('fieldSelector'),
        limit,
        continueToken: q.get('continue'),
      });
      const meta: Record<string, unknown> = {
        resourceVersion: result.resourceVersion,
      };
      if (result.continueToken) meta.continue = result.continueToken;
      if (result.remaining !== undefined)
        meta.remainingItemCount = result.remaining;
      // Items are stored without per-request rewriting when versions match.
      const items = result.items.map(present);
      return json(200, {
        kind: type.listKind,
        apiVersion: apiVersionOf(type.group, version),
        metadata: meta,
        items,
      });
    }
    case 'POST': {
      if (parsed.name)
        return fail(
          statusBody(
            405,
            'MethodNotAllowed',
            'the server does not allow this method on the requested resource',
          ),
        );
      const created = cluster.create(type, namespace, parseBody(req), {
        dryRun,
        fieldManager,
        version,
      });
      return json(201, present(created));
    }
    case 'PUT': {
      if (!parsed.name)
        return fail(
          statusBody(
            405,
            'MethodNotAllowed',
            'the server does not allow this method on the requested resource',
          ),
        );
      const existed = !!cluster.store.get(
        resourceKey(type),
        type.namespaced ? namespace : '',
        parsed.name,
      );
      const updated = cluster.update(
        type,
        namespace,
        parsed.name,
        parseBody(req),
        {
          dryRun,
          fieldManager,
          version,
          subresource: parsed.subresource,
        },
      );
      return json(existed ? 200 : 201, present(updated));
    }
    case 'PATCH': {
      if (!parsed.name)
        return fail(
          statusBody(
            405,
            'MethodNotAllowed',
            'the server does not allow this method on the requested resource',
          ),
        );
      const ct = req.header('content-type') ?? 'application/json-patch+json';
      const existed = !!cluster.store.get(
        resourceKey(type),
        type.namespaced ? namespace : '',
        parsed.name,
      );
      const patched = cluster.patch(
        type,
        namespace,
        parsed.name,
        ct,
        req.body ?? '',
        {
          dryRun,
          fieldManager,
          version,
          subresource: parsed.subresource,
          force: q.get('force') === 'true',
        },
      );
      return json(existed ? 200 : 201, present(patched));
    }
    case 'DELETE': {
      let precondition: string | undefined;
      if (req.body) {
        try {
          precondition = JSON.parse(req.body)?.preconditions?.resourceVersion;
        } catch {
          // A body is optional on DELETE; ignore one that is not JSON.
        }
      }
      if (parsed.name) {
        const deleted = cluster.delete(type, namespace, parsed.name, {
          dryRun,
          preconditionResourceVersion: precondition,
        });
        return json(200, present(deleted));
      }
      const result = cluster.list(type, parsed.namespace, {
        labelSelector: q.get('labelSelector'),
        fieldSelector: q.get('fieldSelector'),
      });
      const items = [...result.items];
      if (!dryRun) {
        for (const o of items)
          cluster.delete(type, o.metadata.namespace ?? '', o.metadata.name!);
      }
      return json(200, {
        kind: type.listKind,
        apiVersion: apiVersionOf(type.group, version),
        metadata: { resourceVersion: String(cluster.store.resourceVersion) },
        items: items.map(present),
      });
    }
    default:
      return fail(
        statusBody(
          405,
          'MethodNotAllowed',
          'the server does not allow this method on the requested resource',
        ),
      );
  }
}

function scale(
  cluster: SimulatedCluster,
  type: ResourceType,
  namespace: string,
  name: string,
  method: string,
  req: SimRequest,
  version: string,
): SimResponse {
  const obj = cluster.get(type, namespace, name);
  const toScale = (o: K8sObject) => ({
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: o.metadata.name,
      namespace: o.metadata.namespace,
      uid: o.metadata.uid,
      resourceVersion: o.metadata.resourceVersion,
      creationTimestamp: o.metadata.creationTimestamp,
    },
    spec: { replicas: o.spec?.replicas ?? 0 },
    status: {
      replicas: o.status?.replicas ?? 0,
      selector: Object.entries(o.spec?.selector?.matchLabels ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
    },
  });
  if (method === 'GET') return json(200, toScale(obj));
  let replicas: unknown;
  if (method === 'PUT') {
    replicas = parseBody(req).spec?.replicas;
  } else if (method === 'PATCH') {
    try {
      replicas = JSON.parse(req.body ?? '{}')?.spec?.replicas;
    } catch {
      throw new ApiError(statusBody(400, 'BadRequest', 'error decoding patch'));
    }
  } else {
    return fail(
      statusBody(
        405,
        'MethodNotAllowed',
        'the server does not allow this method on the requested resource',
      ),
    );
  }
  if (typeof replicas !== 'number')
    throw new ApiError(
      statusBody(422, 'Invalid', 'spec.replicas: Required value'),
    );
  const updated = cluster.patch(
    type,
    namespace,
    name,
    'application/merge-patch+json',
    JSON.stringify({ spec: { replicas } }),
    { version },
  );
  return json(200, toScale(updated));
}

function watchResponse(
  cluster: SimulatedCluster,
  faults: ClusterFaults,
  type: ResourceType,
  namespace: string | undefined,
  version: string,
  q: URLSearchParams,
  settings: WatchSettings,
  _user: SimUser,
): SimResponse {
  let labelSel: (o: K8sObject) => boolean;
  let fieldSel: (o: K8sObject) => boolean;
  try {
    labelSel = parseLabelSelector(q.get('labelSelector'));
    fieldSel = parseFieldSelector(q.get('fieldSelector'));
  } catch (e) {
    if (e instanceof SelectorError)
      return fail(statusBody(400, 'BadRequest', e.message));
    throw e;
  }
  const rvParam = q.get('resourceVersion') ?? '';
  if (rvParam !== '' && !/^\d+$/.test(rvParam)) {
    return fail(
      statusBody(400, 'BadRequest', `invalid resource version: ${rvParam}`),
    );
  }
  const sendInitial = q.get('sendInitialEvents') === 'true';
  const bookmarks = q.get('allowWatchBookmarks') === 'true';
  if (sendInitial && !bookmarks) {
    return fail(
      statusBody(
        422,
        'Invalid',
        'ListOptions.meta.k8s.io "" is invalid: allowWatchBookmarks: Forbidden: sendInitialEvents requires setting allowWatchBookmarks to true',
      ),
    );
  }
  const timeoutSeconds = q.get('timeoutSeconds')
    ? Number(q.get('timeoutSeconds'))
    : undefined;
  const resKey = resourceKey(type);
  const inScope = (o: K8sObject | undefined): o is K8sObject =>
    !!o &&
    (!type.namespaced ||
      namespace === undefined ||
      o.metadata.namespace === namespace) &&
    labelSel(o) &&
    fieldSel(o);
  const present = (o: K8sObject) => cluster.present(type, o, version);

  return {
    status: 200,
    headers: {
      'content-type': 'application/json',
      'transfer-encoding': 'chunked',
    },
    stream: sink => {
      let closed = false;
      let lastRv = cluster.store.resourceVersion;
      const timers: Array<ReturnType<typeof setTimeout>> = [];
      let unsubscribe: () => void = () => {};
      let unregister: () => void = () => {};
      const stop = () => {
        if (closed) return;
        closed = true;
        unsubscribe();
        unregister();
        timers.forEach(t => clearTimeout(t));
      };
      const send = (evType: string, obj: unknown) => {
        if (!closed)
          sink.write(`${JSON.stringify({ type: evType, object: obj })}\n`);
      };
      const bookmark = (initialEnd = false) =>
        send('BOOKMARK', {
          kind: type.kind,
          apiVersion: apiVersionOf(type.group, version),
          metadata: {
            resourceVersion: String(lastRv),
            ...(initialEnd
              ? { annotations: { 'k8s.io/initial-events-end': 'true' } }
              : {}),
          },
        });
      const onEvent = (ev: StoreEvent) => {
        if (ev.resource !== resKey) return;
        lastRv = ev.resourceVersion;
        const now = inScope(ev.object);
        const before = inScope(ev.previous);
        if (ev.type === 'ADDED') {
          if (now) send('ADDED', present(ev.object));
        } else if (ev.type === 'MODIFIED') {
          if (now && before) send('MODIFIED', present(ev.object));
          else if (now) send('ADDED', present(ev.object));
          else if (before) send('DELETED', present(ev.object));
        } else if (before) {
          send('DELETED', present(ev.object));
        }
      };

      if (rvParam === '' || rvParam === '0' || sendInitial) {
        for (const o of cluster.store.list(
          resKey,
          type.namespaced ? namespace : undefined,
        )) {
          if (inScope(o)) send('ADDED', present(o));
        }
        lastRv = cluster.store.resourceVersion;
        if (sendInitial) bookmark(true);
      } else {
        const from = Number(rvParam);
        const events = cluster.store.eventsSince(from);
        if (!events) {
          send(
            'ERROR',
            statusBody(
              410,
              'Expired',
              `too old resource version: ${from} (${cluster.store.oldestResumableVersion})`,
            ),
          );
          stop();
          sink.end();
          return () => {};
        }
        lastRv = from;
        for (const ev of events) onEvent(ev);
        lastRv = Math.max(lastRv, from);
      }
      unsubscribe = cluster.store.subscribe(onEvent);
      unregister = faults.registerWatch(mode => {
        stop();
        if (mode === 'reset') sink.destroy();
        else sink.end();
      });
      if (bookmarks) {
        const tick = () => {
          if (closed) return;
          bookmark();
          timers.push(setTimeout(tick, settings.bookmarkIntervalMs));
        };
        timers.push(setTimeout(tick, settings.bookmarkIntervalMs));
      }
      const dropAfter = faults.current.dropWatchesAfterMs;
      const endAfter = Math.min(
        timeoutSeconds !== undefined ? timeoutSeconds * 1000 : Infinity,
        dropAfter !== undefined ? dropAfter : Infinity,
      );
      if (endAfter !== Infinity) {
        timers.push(
          setTimeout(() => {
            stop();
            sink.end();
          }, endAfter),
        );
      }
      return stop;
    },
  };
}

function podLog(
  cluster: SimulatedCluster,
  faults: ClusterFaults,
  namespace: string,
  name: string,
  q: URLSearchParams,
  settings: WatchSettings,
): SimResponse {
  const podType = cluster.typeByKind('', 'Pod')!;
  const pod = cluster.get(podType, namespace, name);
  const containers: string[] = (pod.spec?.containers ?? []).map(
    (c: any) => c.name,
  );
  const initContainers: string[] = (pod.spec?.initContainers ?? []).map(
    (c: any) => c.name,
  );
  let container = q.get('container') ?? undefined;
  if (!container) {
    const def =
      pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
    if (def) container = def;
    else if (containers.length === 1) container = containers[0];
    else {
      return fail(
        statusBody(
          400,
          'BadRequest',
          `a container name must be specified for pod ${name}, choose one of: [${containers.join(
            ' ',
          )}]${
            initContainers.length
              ? ` or one of the init containers: [${initContainers.join(' ')}]`
              : ''
          }`,
        ),
      );
    }
  }
  if (!containers.includes(container) && !initContainers.includes(container)) {
    return fail(
      statusBody(
        400,
        'BadRequest',
        `container ${container} is not valid for pod ${name}`,
      ),
    );
  }
  const status = (pod.status?.containerStatuses ?? []).find(
    (s: any) => s.name === container,
  );
  const previous = q.get('previous') === 'true';
  if (previous && !status?.lastState?.terminated) {
    return fail(
      statusBody(
        400,
        'BadRequest',
        `previous terminated container "${container}" in pod "${name}" not found`,
      ),
    );
  }
  if (
    !previous &&
    (!status ||
      (status.state?.waiting &&
        !status.lastState?.terminated &&
        !status.state?.running))
  ) {
    const reason = status?.state?.waiting?.reason ?? 'ContainerCreating';
    return fail(
      statusBody(
        400,
        'BadRequest',
        `container "${container}" in pod "${name}" is waiting to start: ${reason}`,
      ),
    );
  }
  const opts: PodLogOptions = {
    container,
    previous,
    timestamps: q.get('timestamps') === 'true',
    tailLines: q.get('tailLines') ? Number(q.get('tailLines')) : undefined,
    sinceSeconds: q.get('sinceSeconds')
      ? Number(q.get('sinceSeconds'))
      : undefined,
    sinceTime: q.get('sinceTime') ?? undefined,
    limitBytes: q.get('limitBytes') ? Number(q.get('limitBytes')) : undefined,
  };
  const first = podLogText(cluster, pod, opts, cluster.clock.now());
  if (q.get('follow') !== 'true') {
    return {
      status: 200,
      headers: { 'content-type': 'text/plain' },
      body: first.text,
    };
  }
  return {
    status: 200,
    headers: { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' },
    stream: sink => {
      let closed = false;
      let until = cluster.clock.now();
      sink.write(first.text);
      let timer: ReturnType<typeof setTimeout> | undefined;
      let unregister: () => void = () => {};
      const stop = () => {
        closed = true;
        if (timer) clearTimeout(timer);
        unregister();
      };
      unregister = faults.registerWatch(mode => {
        stop();
        if (mode === 'reset') sink.destroy();
        else sink.end();
      });
      const poll = () => {
        if (closed) return;
        const current = cluster.store.get('pods', namespace, name);
        if (!current || current.metadata.uid !== pod.metadata.uid) {
          stop();
          sink.end();
          return;
        }
        const now = cluster.clock.now();
        const next = podLogText(
          cluster,
          current,
          {
            ...opts,
            tailLines: undefined,
            sinceSeconds: undefined,
            sinceTime: undefined,
            afterMs: until,
          },
          now,
        );
        until = now;
        if (next.text) sink.write(next.text);
        if (next.terminated) {
          stop();
          sink.end();
          return;
        }
        timer = setTimeout(poll, settings.logPollMs);
      };
      timer = setTimeout(poll, settings.logPollMs);
      return stop;
    },
  };
}
