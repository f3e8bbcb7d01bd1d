/*
 * The harness of the plugin*.test.ts suites: the whole plugin (startTestBackend) against two fake
 * API servers on msw (c1 seeded with video-consultation's objects and canary values, c2 hanging),
 * with a permission policy in which only Jordan owns video-consultation.
 */
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import type { ServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  registerMswTestHooks,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { CANARY, FakeApiServer, pod } from './FakeApiServer';
import { policyMock } from './demoWorld';
import { clustersPlugin } from '../plugin';

export const server = setupServer();
registerMswTestHooks(server);

export const JORDAN = 'user:default/jordan.lee'; // owner of video-consultation
export const KENJI = 'user:default/kenji.watanabe'; // not an owner
export const PRIYA = 'user:default/priya.shah'; // platform admin
export const VIDEO = 'component:default/video-consultation';
export const owners: Record<string, string[]> = { [VIDEO]: [JORDAN] };

export const permissions = policyMock(ref => owners[ref] ?? []);

export const entity = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': name },
  },
  spec: {
    type: 'service',
    owner: 'group:default/telehealth-video',
    lifecycle: 'production',
  },
});

export function seed(api: FakeApiServer) {
  const id = 'video-consultation';
  for (let i = 0; i < 3; i++) api.add('/api/v1/pods', pod(`${id}-${i}`, id));
  api.add('/api/v1/pods', pod('other-0', 'other'));
  api.add(
    '/api/v1/pods',
    pod('stray-0', 'other', { metadata: { name: 'stray-0', namespace: id } }),
  );
  // the platform's grants: each namespace labelled with the id of the entity that owns it
  for (const ns of [id, 'other']) {
    api.add('/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns, labels: { 'backstage.io/kubernetes-id': ns } },
    });
  }
  const labels = { 'backstage.io/kubernetes-id': id };
  api.add('/apis/apps/v1/deployments', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: id, namespace: id, labels, generation: 2 },
    spec: {
      replicas: 3,
      template: {
        spec: {
          containers: [
            { name: 'app', env: [{ name: 'TOKEN', value: CANARY.env }] },
          ],
        },
      },
    },
    status: {
      observedGeneration: 2,
      readyReplicas: 3,
      updatedReplicas: 3,
      availableReplicas: 3,
    },
  });
  api.add('/api/v1/secrets', {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db', namespace: id, labels },
    data: { password: Buffer.from(CANARY.secret).toString('base64') },
    stringData: { plain: CANARY.secret },
  });
  api.add('/api/v1/configmaps', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cfg', namespace: id, labels },
    data: { 'app.properties': CANARY.configMap },
  });
}

export function expectNoCanary(text: string) {
  for (const canary of Object.values(CANARY))
    expect(text).not.toContain(canary);
  expect(text).not.toContain(Buffer.from(CANARY.secret).toString('base64'));
  expect(text).not.toContain('tok-1');
}

export async function startBackend(
  options: { probeInterval?: string; scheduler?: ServiceFactory } = {},
) {
  const c1 = new FakeApiServer('https://c1.test', 'tok-1');
  const c2 = new FakeApiServer('https://c2.test', 'tok-2');
  c2.hang = true;
  seed(c1);
  // optional CRDs served by c1: Argo Rollouts and Kueue (no objects of them)
  c1.groupVersions.add('argoproj.io/v1alpha1');
  c1.groupVersions.add('kueue.x-k8s.io/v1beta2');
  server.use(
    ...c1.handlers(),
    ...c2.handlers(),
    http.all(/^http:\/\/(localhost|127\.0\.0\.1):\d+\//, () => passthrough()),
  );
  const backend = await startTestBackend({
    features: [
      clustersPlugin,
      permissions.factory,
      // the real scheduler: the mock one runs a task once at startup, and the probe repeats
      options.scheduler ?? schedulerServiceFactory,
      catalogServiceMock.factory({
        entities: [entity('video-consultation'), entity('other')],
      }),
      mockServices.rootConfig.factory({
        data: {
          clusters: {
            locations: [
              {
                name: 'c1',
                url: c1.baseUrl,
                auth: { type: 'serviceAccountToken', token: 'tok-1' },
                labels: { environment: 'production', phi: true },
              },
              {
                name: 'c2',
                url: c2.baseUrl,
                auth: { type: 'serviceAccountToken', token: 'tok-2' },
                timeouts: { request: '100ms', firstSync: '150ms' },
              },
            ],
            retry: { maxRetries: 0 },
            // these tests count LISTs from the first read on (FakeApiServer is 1.30: no WatchList)
            cache: { warmOnStart: false, watchList: false },
            ...(options.probeInterval
              ? { probe: { interval: options.probeInterval } }
              : {}),
          },
        },
      }),
    ],
  });
  return Object.assign(backend, { c1, c2 });
}

export const as = (user: string) => ({
  Authorization: mockCredentials.user.header(user),
});

/** Polls `GET /v1/clusters` until `predicate` holds (bounded by attempts, not by time). */
export async function clustersWhen(
  backendUnderTest: { server: any },
  predicate: (items: any[]) => boolean,
  attempts = 400,
): Promise<any[]> {
  for (let i = 0; i < attempts; i++) {
    const res = await request(backendUnderTest.server)
      .get('/api/clusters/v1/clusters')
      .set(as(KENJI));
    expect(res.status).toBe(200);
    if (predicate(res.body.items)) return res.body.items;
    await new Promise(r => setTimeout(r, 10));
  }
  throw new Error('condition not reached');
}

export let backend: Awaited<ReturnType<typeof startBackend>>;

/** A fresh backend (and fake API servers) per test of the calling describe block. */
export function useBackendPerTest() {
  beforeEach(async () => {
    permissions.authorize.mockClear();
    backend = await startBackend();
  });
  afterEach(async () => {
    backend.c2.hang = false;
    await backend.stop();
  });
}
