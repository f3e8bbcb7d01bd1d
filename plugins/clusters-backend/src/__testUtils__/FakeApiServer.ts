import { http, HttpResponse, delay } from 'msw';

type Obj = {
  apiVersion?: string;
  kind?: string;
  metadata: any;
  [k: string]: any;
};

interface Watcher {
  path: string;
  controller: ReadableStreamDefaultController<Uint8Array>;
}

/**
 * A tiny, controllable Kubernetes API server for msw: LIST (with pagination), WATCH (chunked JSON
 * lines), GET, PATCH (apply / merge), DELETE and pod logs, bearer-token checked, with switches
 * for the faults the tests need. Every request is logged.
 */
export class FakeApiServer {
  rv = 100;
  readonly requests: Array<{
    method: string;
    path: string;
    query: URLSearchParams;
    headers: Headers;
    body?: string;
  }> = [];
  readonly collections = new Map<string, Map<string, Obj>>();
  private readonly watchers = new Set<Watcher>();
  /** Paths (collection paths) answering 404, like a missing CRD. */
  readonly missing = new Set<string>();
  /** Every request hangs (until aborted). */
  hang = false;
  /** The next n requests answer 429 with this Retry-After. */
  throttle = { remaining: 0, retryAfter: '1' };
  /** Watches from these resourceVersions get a 410 ERROR event. */
  readonly goneFor = new Set<string>();
  logs = 'line 1\nline 2\n';
  /** What `GET /version` answers. */
  version = {
    major: '1',
    minor: '30',
    gitVersion: 'v1.30.2',
    platform: 'linux/amd64',
  };
  /**
   * `group/version` pairs `GET /apis` lists besides those of the collections holding objects
   * (optional CRDs are absent unless added here or seeded).
   */
  readonly groupVersions = new Set<string>([
    'apps/v1',
    'batch/v1',
    'autoscaling/v2',
    'policy/v1',
    'networking.k8s.io/v1',
  ]);

  constructor(readonly baseUrl: string, readonly token: string) {}

  private collectionOf(path: string): string {
    // /api/v1/namespaces/ns/pods[/name[/status|/log]] -> /api/v1/pods
    const m = path.match(
      /^(.*)\/namespaces\/[^/]+\/([^/]+)(\/[^/]+)?(\/(status|log))?$/,
    );
    if (m) return `${m[1]}/${m[2]}`;
    // /api/v1/namespaces/ns -> /api/v1/namespaces (a cluster-scoped object)
    const ns = path.match(/^(.*\/namespaces)\/[^/]+$/);
    return ns ? ns[1] : path;
  }

  add(collection: string, obj: Obj, type: 'ADDED' | 'MODIFIED' = 'ADDED') {
    let c = this.collections.get(collection);
    if (!c) this.collections.set(collection, (c = new Map()));
    this.rv++;
    obj.metadata.resourceVersion = String(this.rv);
    obj.metadata.uid ??= `uid-${obj.metadata.name}`;
    c.set(`${obj.metadata.namespace ?? ''}/${obj.metadata.name}`, obj);
    this.emit(collection, { type, object: obj });
  }

  remove(collection: string, namespace: string | undefined, name: string) {
    const c = this.collections.get(collection);
    const obj = c?.get(`${namespace ?? ''}/${name}`);
    if (!obj) return;
    c!.delete(`${namespace ?? ''}/${name}`);
    this.rv++;
    this.emit(collection, {
      type: 'DELETED',
      object: {
        ...obj,
        metadata: { ...obj.metadata, resourceVersion: String(this.rv) },
      },
    });
  }

  emit(collection: string, event: unknown) {
    for (const w of this.watchers) {
      if (w.path === collection) {
        w.controller.enqueue(
          new TextEncoder().encode(`${JSON.stringify(event)}\n`),
        );
      }
    }
  }

  /** Closes every open watch (a dropped connection from the client's point of view). */
  dropWatches() {
    for (const w of this.watchers) {
      try {
        w.controller.close();
      } catch {
        // already closed
      }
    }
    this.watchers.clear();
  }

  count(
    method: string,
    predicate: (r: FakeApiServer['requests'][number]) => boolean = () => true,
  ) {
    return this.requests.filter(r => r.method === method && predicate(r))
      .length;
  }

  lists(path?: string) {
    return this.requests.filter(
      r =>
        r.method === 'GET' &&
        !r.query.get('watch') &&
        (!path || r.path === path) &&
        !isDiscoveryPath(r.path) &&
        !r.path.match(/\/[^/]+\/[^/]+\/(log)$/),
    );
  }

  /** The `APIGroupList` of `GET /apis`. */
  apiGroupList() {
    const served = new Set(this.groupVersions);
    for (const path of this.collections.keys()) {
      const m = path.match(/^\/apis\/([^/]+)\/([^/]+)\//);
      if (m && !this.missing.has(path)) served.add(`${m[1]}/${m[2]}`);
    }
    const groups = new Map<string, string[]>();
    for (const gv of served) {
      const [group, version] = gv.split('/');
      groups.set(group, [...(groups.get(group) ?? []), version]);
    }
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [...groups].map(([name, versions]) => {
        const vs = versions.map(v => ({
          groupVersion: `${name}/${v}`,
          version: v,
        }));
        return { name, versions: vs, preferredVersion: vs[0] };
      }),
    };
  }

  watches(path?: string) {
    return this.requests.filter(
      r => r.query.get('watch') && (!path || r.path === path),
    );
  }

  handlers() {
    return [
      http.all(`${this.baseUrl}/*`, async ({ request }) => {
        const url = new URL(request.url);
        const body = ['PATCH', 'POST', 'PUT', 'DELETE'].includes(request.method)
          ? await request.text()
          : undefined;
        this.requests.push({
          method: request.method,
          path: url.pathname,
          query: url.searchParams,
          headers: request.headers,
          body,
        });
        if (request.headers.get('authorization') !== `Bearer ${this.token}`) {
          return HttpResponse.json(
            { kind: 'Status', code: 401, message: 'Unauthorized' },
            { status: 401 },
          );
        }
        if (this.hang) {
          await delay('infinite');
        }
        if (this.throttle.remaining > 0) {
          this.throttle.remaining--;
          return HttpResponse.json(
            {
              kind: 'Status',
              code: 429,
              reason: 'TooManyRequests',
              message: 'slow down',
            },
            {
              status: 429,
              headers: { 'retry-after': this.throttle.retryAfter },
            },
          );
        }
        if (request.method === 'GET' && url.pathname === '/version') {
          return HttpResponse.json(this.version);
        }
        if (request.method === 'GET' && url.pathname === '/apis') {
          return HttpResponse.json(this.apiGroupList());
        }
        const collection = this.collectionOf(url.pathname);
        if (this.missing.has(collection)) {
          return HttpResponse.json(
            {
              kind: 'Status',
              code: 404,
              reason: 'NotFound',
              message: 'the server could not find the requested resource',
            },
            { status: 404 },
          );
        }
        const items =
          this.collections.get(collection) ?? new Map<string, Obj>();
        const isCollection =
          collection === url.pathname ||
          /^.*\/namespaces\/[^/]+\/[^/]+$/.test(url.pathname);
        const nsName = url.pathname.match(
          /\/namespaces\/([^/]+)\/[^/]+\/([^/]+)/,
        );
        const key = nsName
          ? `${nsName[1]}/${nsName[2]}`
          : `/${url.pathname.split('/').pop()}`;

        if (request.method === 'GET' && url.pathname.endsWith('/log')) {
          return new HttpResponse(this.logs, {
            headers: { 'content-type': 'text/plain' },
          });
        }
        if (request.method === 'GET' && url.searchParams.get('watch')) {
          const from = url.searchParams.get('resourceVersion') ?? '';
          let watcher: Watcher;
          const stream = new ReadableStream<Uint8Array>({
            start: controller => {
              watcher = { path: collection, controller };
              if (this.goneFor.has(from)) {
                controller.enqueue(
                  new TextEncoder().encode(
                    `${JSON.stringify({
                      type: 'ERROR',
                      object: {
                        kind: 'Status',
                        code: 410,
                        reason: 'Expired',
                        message: `too old resource version: ${from}`,
                      },
                    })}\n`,
                  ),
                );
                controller.close();
                return;
              }
              this.watchers.add(watcher);
            },
            cancel: () => {
              this.watchers.delete(watcher);
            },
          });
          return new HttpResponse(stream, {
            headers: { 'content-type': 'application/json' },
          });
        }
        if (request.method === 'GET' && isCollection) {
          const all = [...items.values()];
          const limit =
            Number(url.searchParams.get('limit') ?? 0) || all.length;
          const start = Number(url.searchParams.get('continue') ?? 0);
          const page = all.slice(start, start + limit);
          const next =
            start + limit < all.length ? String(start + limit) : undefined;
          return HttpResponse.json({
            kind: 'List',
            metadata: { resourceVersion: String(this.rv), continue: next },
            items: JSON.parse(JSON.stringify(page)),
          });
        }
        const existing = items.get(key);
        if (request.method === 'GET') {
          return existing
            ? HttpResponse.json(existing)
            : HttpResponse.json(
                {
                  kind: 'Status',
                  code: 404,
                  reason: 'NotFound',
                  message: `${key} not found`,
                },
                { status: 404 },
              );
        }
        if (request.method === 'PATCH') {
          const patch = JSON.parse(body ?? '{}');
          const merged = request.headers
            .get('content-type')
            ?.startsWith('application/apply-patch')
            ? patch
            : {
                ...(existing ?? {}),
                ...patch,
                metadata: {
                  ...(existing?.metadata ?? {}),
                  ...(patch.metadata ?? {}),
                },
              };
          if (
            !existing &&
            !request.headers
              .get('content-type')
              ?.startsWith('application/apply-patch')
          ) {
            return HttpResponse.json(
              { kind: 'Status', code: 404, message: 'not found' },
              { status: 404 },
            );
          }
          merged.metadata = {
            ...merged.metadata,
            managedFields: [{ manager: 'careplane' }],
          };
          if (url.searchParams.get('dryRun') !== 'All')
            this.add(
              collection,
              JSON.parse(JSON.stringify(merged)),
              existing ? 'MODIFIED' : 'ADDED',
            );
          return HttpResponse.json(merged);
        }
        if (request.method === 'DELETE') {
          if (!existing)
            return HttpResponse.json(
              { kind: 'Status', code: 404, message: 'not found' },
              { status: 404 },
            );
          if (url.searchParams.get('dryRun') !== 'All')
            this.remove(
              collection,
              existing.metadata.namespace,
              existing.metadata.name,
            );
          return HttpResponse.json({
            kind: 'Status',
            apiVersion: 'v1',
            status: 'Success',
          });
        }
        return HttpResponse.json(
          { kind: 'Status', code: 405, message: 'method not allowed' },
          { status: 405 },
        );
      }),
    ];
  }
}

/**
 * Discovery and version paths (`/version`, `/api`, `/api/v1`, `/apis`, `/apis/<group>`,
 * `/apis/<group>/<version>`): GETs of these are not LISTs.
 */
export function isDiscoveryPath(path: string): boolean {
  return /^\/(version|api(\/[^/]+)?|apis(\/[^/]+){0,2})\/?$/.test(path);
}

/** Polls until `predicate` holds (bounded by attempts, not by a timed assertion). */
export async function eventually(
  predicate: () => boolean,
  attempts = 400,
): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (predicate()) return;
    await new Promise(r => setTimeout(r, 10));
  }
  throw new Error('condition not reached');
}

export const CANARY = {
  secret: 'CANARY-SECRET-c4f1e2',
  env: 'CANARY-ENV-9a7b3d',
  configMap: 'CANARY-CONFIGMAP-55e0aa',
  lastApplied: 'CANARY-LASTAPPLIED-0b1c2d',
};

export function pod(name: string, id: string, extra: Partial<Obj> = {}): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: id,
      labels: { 'backstage.io/kubernetes-id': id, app: id },
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': CANARY.lastApplied,
      },
      managedFields: [
        { manager: 'kubectl', fieldsV1: { secretish: CANARY.lastApplied } },
      ],
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: `${id}-rs`,
          uid: 'rs1',
          controller: true,
        },
      ],
    },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'app:1',
          env: [
            { name: 'DB_PASSWORD', value: CANARY.env },
            {
              name: 'FROM_SECRET',
              valueFrom: { secretKeyRef: { name: 's', key: 'k' } },
            },
          ],
        },
      ],
    },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [
        { name: 'app', ready: true, restartCount: 2, state: { running: {} } },
      ],
    },
    ...extra,
  };
}
