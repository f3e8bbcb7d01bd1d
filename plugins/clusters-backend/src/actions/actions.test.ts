import { createServiceFactory } from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import {
  mockCredentials,
  mockServices,
  registerMswTestHooks,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import { CANARY, FakeApiServer, pod } from '../__testUtils__/FakeApiServer';
import { clustersPlugin } from '../plugin';

const server = setupServer();
registerMswTestHooks(server);

const JORDAN = 'user:default/jordan.lee'; // owner of video-consultation
const KENJI = 'user:default/kenji.watanabe'; // not an owner
const VIDEO = 'component:default/video-consultation';

// Cluster reads are open to users; entity reads only to the entity's owner.
const permissions = mockServices.permissions.mock({
  async authorize(requests, options) {
    const user = (options.credentials.principal as any).userEntityRef;
    return requests.map(r => {
      const allow =
        'resourceType' in r.permission
          ? (r as any).resourceRef === VIDEO && user === JORDAN
          : r.permission.name === 'clusters.cluster.read' && Boolean(user);
      return {
        result: allow ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
      } as any;
    });
  },
});

const entity = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': name },
  },
  spec: { type: 'service', owner: 'group:default/x', lifecycle: 'production' },
});

function seed(api: FakeApiServer) {
  const id = 'video-consultation';
  const labels = { 'backstage.io/kubernetes-id': id };
  for (let i = 0; i < 2; i++) api.add('/api/v1/pods', pod(`${id}-${i}`, id));
  api.add('/apis/apps/v1/deployments', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: id, namespace: id, labels, generation: 1 },
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
    status: { observedGeneration: 1, readyReplicas: 2, updatedReplicas: 3 },
  });
  api.add('/api/v1/secrets', {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db', namespace: id, labels },
    data: { password: Buffer.from(CANARY.secret).toString('base64') },
  });
}

async function startBackend() {
  const c1 = new FakeApiServer('https://c1.test', 'tok-1');
  const c2 = new FakeApiServer('https://c2.test', 'tok-2');
  c2.hang = true;
  seed(c1);
  server.use(
    ...c1.handlers(),
    ...c2.handlers(),
    http.all(/^http:\/\/(localhost|127\.0\.0\.1):\d+\//, () => passthrough()),
  );
  const actions = actionsRegistryServiceMock();
  const backend = await startTestBackend({
    features: [
      clustersPlugin,
      permissions.factory,
      createServiceFactory({
        service: actionsRegistryServiceRef,
        deps: {},
        factory: () => actions,
      }),
      catalogServiceMock.factory({ entities: [entity('video-consultation')] }),
      mockServices.rootConfig.factory({
        data: {
          clusters: {
            locations: [
              {
                name: 'c1',
                url: c1.baseUrl,
                auth: { type: 'serviceAccountToken', token: 'tok-1' },
                labels: { environment: 'production', region: 'eu', phi: true },
              },
              {
                name: 'c2',
                url: c2.baseUrl,
                auth: { type: 'serviceAccountToken', token: 'tok-2' },
                timeouts: { request: '100ms', firstSync: '150ms' },
              },
            ],
            retry: { maxRetries: 0 },
            cache: { warmOnStart: false, watchList: false }, // no LIST before the first read
          },
        },
      }),
    ],
  });
  const invoke = (id: string, user: string, input: object = {}) =>
    actions.invoke({
      id: `test:${id}`,
      input: input as any,
      credentials: mockCredentials.user(user),
    });
  return Object.assign(backend, { c1, c2, actions, invoke });
}

function expectNoCanary(text: string) {
  for (const canary of Object.values(CANARY))
    expect(text).not.toContain(canary);
  expect(text).not.toContain(Buffer.from(CANARY.secret).toString('base64'));
  expect(text).not.toContain('tok-1');
}

describe('clusters actions', () => {
  it('registers both read actions as read-only', async () => {
    const backend = await startBackend();
    try {
      const { actions } = await backend.actions.list();
      expect(actions.map(a => [a.name, a.attributes.readOnly])).toEqual([
        ['list-clusters', true],
        ['get-entity-workloads', true],
      ]);
    } finally {
      backend.c2.hang = false;
      await backend.stop();
    }
  });

  it('list-clusters names every cluster with its health in words', async () => {
    const backend = await startBackend();
    try {
      const { output } = (await backend.invoke('list-clusters', KENJI)) as any;
      expect(output.clusters.map((c: any) => c.name)).toEqual(['c1', 'c2']);
      expect(output.clusters[0]).toMatchObject({
        environment: 'production',
        region: 'eu',
        phi: true,
      });
      expect(typeof output.clusters[0].healthDescription).toBe('string');
      expectNoCanary(JSON.stringify(output));
    } finally {
      backend.c2.hang = false;
      await backend.stop();
    }
  });

  it('list-clusters is refused without clusters.cluster.read', async () => {
    const backend = await startBackend();
    try {
      await expect(
        backend.actions.invoke({
          id: 'test:list-clusters',
          input: {},
          credentials: mockCredentials.service(),
        }),
      ).rejects.toThrow('Not allowed: clusters.cluster.read');
    } finally {
      backend.c2.hang = false;
      await backend.stop();
    }
  });

  it('get-entity-workloads gives the owner summaries per cluster, without secrets', async () => {
    const backend = await startBackend();
    try {
      const { output } = (await backend.invoke('get-entity-workloads', JORDAN, {
        entityRef: VIDEO,
      })) as any;
      expect(output.entityRef).toBe(VIDEO);
      const [c1, c2] = output.clusters;
      expect(c1).toMatchObject({
        cluster: 'c1',
        status: 'ok',
        deployments: [
          {
            namespace: 'video-consultation',
            name: 'video-consultation',
            ready: 2,
            desired: 3,
          },
        ],
      });
      expect(c1.reason).toBeUndefined();
      expect(c1.pods.map((p: any) => p.name).sort()).toEqual([
        'video-consultation-0',
        'video-consultation-1',
      ]);
      expect(c1.pods[0]).toEqual(
        expect.objectContaining({
          phase: expect.any(String),
          ready: expect.any(Boolean),
          restarts: expect.any(Number),
        }),
      );
      expect(c2.cluster).toBe('c2');
      expect(c2.status).toBe('unavailable');
      expect(c2.reason).toEqual(expect.any(String));
      expectNoCanary(JSON.stringify(output));
    } finally {
      backend.c2.hang = false;
      await backend.stop();
    }
  });

  it('get-entity-workloads refuses a non-owner', async () => {
    const backend = await startBackend();
    try {
      await expect(
        backend.invoke('get-entity-workloads', KENJI, { entityRef: VIDEO }),
      ).rejects.toThrow('Not allowed: clusters.resource.read');
      expect(backend.c1.lists()).toHaveLength(0);
    } finally {
      backend.c2.hang = false;
      await backend.stop();
    }
  });

  it('get-entity-workloads rejects a malformed entity ref', async () => {
    const backend = await startBackend();
    try {
      await expect(
        backend.invoke('get-entity-workloads', JORDAN, { entityRef: 'a:b:c/' }),
      ).rejects.toThrow(/Invalid entity ref/);
    } finally {
      backend.c2.hang = false;
      await backend.stop();
    }
  });
});
