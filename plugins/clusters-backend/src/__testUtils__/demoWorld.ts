/*
 * The demo world (catalog/*.yaml and the simulator's demo scenario) for whole-plugin tests: the
 * catalog as the catalog mock's entities, who owns what, and the Careplane policy in miniature.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { BackendFeature } from '@backstage/backend-plugin-api';
import type { RunningSimulator } from '@careplane/cluster-simulator';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { clustersPlugin } from '../plugin';

export const DEMO_SCENARIO = join(
  dirname(require.resolve('@careplane/cluster-simulator/package.json')),
  'scenarios/demo.yaml',
);
const CATALOG = resolve(__dirname, '../../../../catalog');

export const JORDAN = 'user:default/jordan.lee'; // telehealth-video, owns video-consultation
export const KENJI = 'user:default/kenji.watanabe'; // scheduling: not an owner
export const PRIYA = 'user:default/priya.shah'; // platform-admins
export const ID = 'backstage.io/kubernetes-id';

function loadCatalog(): any[] {
  return ['org', 'users', 'system', 'clusters', 'components', 'apis'].flatMap(
    file =>
      parseAllDocuments(readFileSync(join(CATALOG, `${file}.yaml`), 'utf8'))
        .map(d => d.toJS())
        .filter(Boolean)
        .map(e => ({
          ...e,
          metadata: { namespace: 'default', ...e.metadata },
        })),
  );
}

/** The demo catalog's entities. */
export const entities = loadCatalog();

export const ref = (kind: string, name: string) =>
  stringifyEntityRef({ kind, namespace: 'default', name });

/** Members of the group that owns the entity. */
export const ownersOf = (entityRef: string): string[] => {
  const entity = entities.find(e => ref(e.kind, e.metadata.name) === entityRef);
  const group = entities.find(
    e => e.kind === 'Group' && e.metadata.name === entity?.spec?.owner,
  );
  return (group?.spec?.members ?? []).map((m: string) => ref('User', m));
};

/**
 * The lead's policy in miniature, for any owner map: reads open except logs and audit;
 * entity-scoped permissions for the entity's owners and admins; everything else (the scope
 * override among them) for admins.
 */
export function policyMock(ownersOfRef: (entityRef: string) => string[]) {
  return mockServices.permissions.mock({
    async authorize(requests, options) {
      const user = (options.credentials.principal as any).userEntityRef as
        | string
        | undefined;
      return requests.map(r => {
        const p = r.permission;
        const admin = user === PRIYA;
        let allow: boolean;
        if (
          p.attributes.action === 'read' &&
          !['clusters.pod.logs', 'clusters.audit.read'].includes(p.name)
        ) {
          allow = true;
        } else if ('resourceType' in p && p.resourceType === 'catalog-entity') {
          allow = admin || ownersOfRef((r as any).resourceRef).includes(user!);
        } else {
          allow = admin;
        }
        return {
          result: allow ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
        } as any;
      });
    },
  });
}

/** {@link policyMock} over the demo catalog's owners. */
export const demoPermissions = policyMock(ownersOf);

export const as = (user: string) => ({
  Authorization: mockCredentials.user.header(user),
});

/**
 * The clusters plugin on the demo catalog, pointed at every cluster of a running simulator.
 * `location` adds to (or replaces keys of) a cluster's location; `clusters` to `clusters.*`.
 */
export function startDemoBackend(
  sim: RunningSimulator,
  options: {
    location?: (c: { name: string; url: string; token: string }) => object;
    clusters?: object;
    features?: BackendFeature[];
  } = {},
) {
  return startTestBackend({
    features: [
      clustersPlugin,
      demoPermissions.factory,
      catalogServiceMock.factory({ entities }),
      ...(options.features ?? []),
      mockServices.rootConfig.factory({
        data: {
          clusters: {
            locations: sim.clusters.map(c => ({
              name: c.name,
              url: c.url,
              auth: { type: 'serviceAccountToken', token: c.token },
              ...options.location?.(c),
            })),
            timeouts: { request: '5s', firstSync: '10s' },
            retry: { maxRetries: 2, baseDelay: '1ms', maxDelay: '10s' },
            // informers start on first read and sync by LIST, as these tests count LISTs (see
            // coldStart.simulator.test.ts for the defaults)
            cache: { warmOnStart: false, watchList: false },
            ...options.clusters,
          },
        },
      }),
    ],
  });
}

/**
 * An SSE client of `GET /v1/stream` over real HTTP (the browser's fetch API): the events so far,
 * `next` to read until one matches, `watch` to add a watch (expects 204), and the abort
 * controller. Every chunk read is handed to `onChunk` (for canary checks).
 */
export async function openSseStream(
  server: { address(): unknown },
  user: string,
  onChunk: (text: string) => void = () => {},
) {
  const { port } = server.address() as { port: number };
  const base = `http://localhost:${port}/api/clusters/v1`;
  const controller = new AbortController();
  const res = await fetch(`${base}/stream`, {
    headers: as(user),
    signal: controller.signal,
  });
  if (res.status !== 200) throw new Error(`stream answered ${res.status}`);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: any[] = [];
  let buffer = '';
  const pump = async () => {
    const { value, done } = await reader.read();
    if (done) throw new Error('stream ended');
    const text = decoder.decode(value, { stream: true });
    onChunk(text);
    buffer += text;
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const data = buffer
        .slice(0, end)
        .split('\n')
        .filter(l => l.startsWith('data: '))
        .map(l => l.slice(6))
        .join('\n');
      buffer = buffer.slice(end + 2);
      if (data) events.push(JSON.parse(data));
      end = buffer.indexOf('\n\n');
    }
  };
  /** Reads until an event (from `from` on) matches. */
  const next = async (match: (e: any) => boolean, from = 0) => {
    for (;;) {
      const hit = events.slice(from).find(match);
      if (hit) return hit;
      await pump();
    }
  };
  const ready = await next(e => e.type === 'ready');
  return {
    events,
    next,
    streamId: ready.streamId as string,
    controller,
    /** PUTs a watch; answers the HTTP status. */
    async watch(watchId: string, body: object) {
      const put = await fetch(
        `${base}/stream/${ready.streamId}/watches/${watchId}`,
        {
          method: 'PUT',
          headers: { ...as(user), 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        },
      );
      return put.status;
    },
    close: () => controller.abort(),
  };
}
