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
import {
  CANARY,
  eventually,
  FakeApiServer,
  pod,
} from './__testUtils__/FakeApiServer';
import { policyMock } from './__testUtils__/demoWorld';
import { clustersPlugin } from './plugin';

const server = setupServer();
registerMswTestHooks(server);

const JORDAN = 'user:default/jordan.lee'; // owner of video-consultation
const KENJI = 'user:default/kenji.watanabe'; // not an owner
const PRIYA = 'user:default/priya.shah'; // platform admin
const VIDEO = 'component:default/video-consultation';
const owners: Record<string, string[]> = { [VIDEO]: [JORDAN] };

const permissions = policyMock(ref => owners[ref] ?? []);

const entity = (name: string) => ({
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

function seed(api: FakeApiServer) {
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

function expectNoCanary(text: string) {
  for (const canary of Object.values(CANARY))
    expect(text).not.toContain(canary);
  expect(text).not.toContain(Buffer.from(CANARY.secret).toString('base64'));
  expect(text).not.toContain('tok-1');
}

async function startBackend(
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

const as = (user: string) => ({
  Authorization: mockCredentials.user.header(user),
});

/** Polls `GET /v1/clusters` until `predicate` holds (bounded by attempts, not by time). */
async function clustersWhen(
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

describe('clusters plugin', () => {
  let backend: Awaited<ReturnType<typeof startBackend>>;
  beforeEach(async () => {
    permissions.authorize.mockClear();
    backend = await startBackend();
  });
  afterEach(async () => {
    backend.c2.hang = false;
    await backend.stop();
  });

  it('lists clusters with labels and health, without secrets', async () => {
    const res = await request(backend.server)
      .get('/api/clusters/v1/clusters')
      .set(as(KENJI));
    expect(res.status).toBe(200);
    expect(
      res.body.items.map((c: any) => [c.name, c.source, c.environment, c.phi]),
    ).toEqual([
      ['c1', 'config', 'production', true],
      ['c2', 'config', undefined, false],
    ]);
    expectNoCanary(res.text);
    expect(res.text).not.toContain('tok-2');
  });

  it('probes every cluster at start: version, optional kinds and health, with no LIST', async () => {
    const [c1, c2] = await clustersWhen(
      backend,
      items => Boolean(items[0].version) && items[1].health.error,
    );
    expect(c1.version).toEqual({
      gitVersion: 'v1.30.2',
      major: '1',
      minor: '30',
      platform: 'linux/amd64',
    });
    expect(c1.health).toMatchObject({ status: 'healthy', circuit: 'closed' });
    expect(c1.probedAt).toEqual(expect.any(String));
    expect(
      Object.fromEntries(c1.kinds.map((k: any) => [k.kind, k.status])),
    ).toEqual({
      Rollout: 'installed',
      AnalysisRun: 'installed',
      Canary: 'not-installed',
      TrainJob: 'not-installed',
      PyTorchJob: 'not-installed',
      Workload: 'installed',
      LocalQueue: 'installed',
      ClusterQueue: 'installed',
      PolicyReport: 'not-installed',
      Subscription: 'not-installed',
    });
    expect(c1.kinds.find((k: any) => k.kind === 'Rollout')).toEqual({
      kind: 'Rollout',
      apiVersion: 'argoproj.io/v1alpha1',
      status: 'installed',
    });

    // c2 does not answer: unavailable with the error; nothing about it is guessed
    expect(c2.health.status).toBe('unavailable');
    expect(c2.health.error.message).toBe(
      'Cluster c2 did not answer within 100 ms',
    );
    expect(c2.version).toBeUndefined();
    expect(c2.probedAt).toBeUndefined();
    expect(c2.kinds).toHaveLength(10);
    expect(c2.kinds.every((k: any) => k.status === 'unknown')).toBe(true);

    // the probe is GET /version and GET /apis, through the client's counters; never a LIST
    expect(backend.c1.requests.map(r => `${r.method} ${r.path}`)).toEqual([
      'GET /version',
      'GET /apis',
    ]);
    expect(backend.c1.lists()).toHaveLength(0);
    expect(backend.c1.watches()).toHaveLength(0);
    expect(c1.stats.requests).toMatchObject({ list: 0, watch: 0, get: 2 });
    expect(backend.c2.requests.map(r => `${r.method} ${r.path}`)).toEqual([
      'GET /version',
    ]);
    expect(c2.stats.requests).toMatchObject({ list: 0, get: 1 });
  });

  it('an informer that found a CRD absent refines the probe to not-installed', async () => {
    backend.c1.missing.add('/apis/argoproj.io/v1alpha1/rollouts');
    const res = await request(backend.server)
      .post('/api/clusters/v1/objects/by-entity')
      .set(as(KENJI))
      .send({ entityRef: VIDEO, kinds: ['Rollout'], clusters: ['c1'] });
    expect(res.status).toBe(200);
    expect(res.body.clusters[0].kinds[0].status).toBe('not-installed');
    const [c1] = await clustersWhen(backend, items =>
      Boolean(items[0].version),
    );
    const status = (kind: string) =>
      c1.kinds.find((k: any) => k.kind === kind).status;
    expect(status('Rollout')).toBe('not-installed');
    expect(status('AnalysisRun')).toBe('installed');
  });

  it('answers entity workloads from the cache; a hanging cluster is bounded by its timeout', async () => {
    const res = await request(backend.server)
      .get(
        '/api/clusters/v1/entities/component/default/video-consultation/workloads',
      )
      .set(as(KENJI));
    expect(res.status).toBe(200);
    const [c1, c2] = res.body.clusters;
    expect(c1).toMatchObject({ cluster: 'c1', status: 'ok' });
    expect(c1.pods.map((p: any) => p.name).sort()).toEqual([
      'video-consultation-0',
      'video-consultation-1',
      'video-consultation-2',
    ]);
    expect(c1.pods[0].summary).toMatchObject({
      ready: true,
      restarts: 2,
      owner: { kind: 'ReplicaSet' },
    });
    expect(c1.deployments[0].replicas).toEqual({
      desired: 3,
      ready: 3,
      updated: 3,
      available: 3,
      observed: true,
    });
    expect(c2).toMatchObject({
      cluster: 'c2',
      status: 'unavailable',
      pods: [],
    });
    expect(c2.error.message).toMatch(/c2/);
    expectNoCanary(res.text);

    // a second page view is an in-memory look-up: no further LIST
    const lists = backend.c1.lists().length;
    await request(backend.server)
      .get(
        '/api/clusters/v1/entities/component/default/video-consultation/workloads',
      )
      .set(as(KENJI));
    expect(backend.c1.lists()).toHaveLength(lists);
  });

  it('never returns Secret data, ConfigMap values or env values', async () => {
    const res = await request(backend.server)
      .post('/api/clusters/v1/objects/by-entity')
      .set(as(KENJI))
      .send({
        entityRef: VIDEO,
        kinds: ['Secret', 'ConfigMap', 'Pod', 'Deployment'],
        clusters: ['c1'],
      });
    expect(res.status).toBe(200);
    expectNoCanary(res.text);
    const items = res.body.clusters[0].items;
    expect(items.find((i: any) => i.kind === 'Secret').object.dataKeys).toEqual(
      ['password', 'plain'],
    );
    expect(
      items.find((i: any) => i.kind === 'ConfigMap').object.dataKeys,
    ).toEqual(['app.properties']);
  });

  const writes: Array<[string, string, object]> = [
    [
      'apply',
      '/api/clusters/v1/apply',
      {
        entityRef: VIDEO,
        cluster: 'c1',
        reason: 'scale up',
        manifest: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: {
            name: 'video-consultation',
            namespace: 'video-consultation',
            labels: { 'backstage.io/kubernetes-id': 'video-consultation' },
          },
          spec: {
            replicas: 4,
            template: {
              spec: {
                containers: [
                  { name: 'app', env: [{ name: 'X', value: CANARY.env }] },
                ],
              },
            },
          },
        },
      },
    ],
    [
      'patch',
      '/api/clusters/v1/patch',
      {
        entityRef: VIDEO,
        cluster: 'c1',
        kind: 'Deployment',
        namespace: 'video-consultation',
        name: 'video-consultation',
        patchType: 'merge',
        patch: { spec: { paused: true } },
        reason: 'pause',
      },
    ],
    [
      'delete',
      '/api/clusters/v1/delete',
      {
        entityRef: VIDEO,
        cluster: 'c1',
        kind: 'Pod',
        namespace: 'video-consultation',
        name: 'video-consultation-0',
        reason: 'stuck pod',
      },
    ],
  ];

  it.each(writes)(
    'denies %s to non-owners and records it',
    async (action, path, body) => {
      const res = await request(backend.server)
        .post(path)
        .set(as(KENJI))
        .send(body);
      expect(res.status).toBe(403);
      const audit = await request(backend.server)
        .get('/api/clusters/v1/audit')
        .set(as(PRIYA));
      expect(audit.body.items).toEqual([
        expect.objectContaining({
          action,
          actor: KENJI,
          actorType: 'user',
          outcome: 'denied',
          cluster: 'c1',
          entityRef: VIDEO,
        }),
      ]);
      expect(backend.c1.requests.filter(r => r.method !== 'GET')).toHaveLength(
        0,
      );
    },
  );

  it.each(writes)(
    'allows %s to owners, strips the answer and audits it',
    async (action, path, body) => {
      const res = await request(backend.server)
        .post(path)
        .set(as(JORDAN))
        .send(body);
      expect(res.status).toBe(200);
      expectNoCanary(res.text);
      const audit = await request(backend.server)
        .get('/api/clusters/v1/audit')
        .set(as(PRIYA));
      expect(audit.body.items).toEqual([
        expect.objectContaining({
          id: res.body.auditId,
          action,
          actor: JORDAN,
          outcome: 'success',
          dryRun: false,
        }),
      ]);
      expect(/^[0-9a-f]{64}$/.test(audit.body.items[0].patchSha256 ?? '')).toBe(
        action !== 'delete',
      );
    },
  );

  it('applies server-side with the careplane field manager', async () => {
    await request(backend.server)
      .post(writes[0][1])
      .set(as(JORDAN))
      .send({ ...writes[0][2], dryRun: true });
    const sent = backend.c1.requests.find(r => r.method === 'PATCH')!;
    expect(sent.query.get('fieldManager')).toBe('careplane');
    expect(sent.query.get('dryRun')).toBe('All');
    expect(sent.headers.get('content-type')).toBe(
      'application/apply-patch+yaml',
    );
  });

  it('refuses writes to objects that do not belong to the entity', async () => {
    const res = await request(backend.server)
      .post('/api/clusters/v1/delete')
      .set(as(JORDAN))
      .send({
        entityRef: VIDEO,
        cluster: 'c1',
        kind: 'Pod',
        namespace: 'other',
        name: 'other-0',
        reason: 'x',
      });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(
      /namespace 'other' on cluster c1 is not granted to component:default\/video-consultation/,
    );
    // in the entity's own namespace, an object without its label is not its either
    const stray = await request(backend.server)
      .post('/api/clusters/v1/delete')
      .set(as(JORDAN))
      .send({
        entityRef: VIDEO,
        cluster: 'c1',
        kind: 'Pod',
        namespace: 'video-consultation',
        name: 'stray-0',
        reason: 'x',
      });
    expect(stray.status).toBe(403);
    expect(stray.body.error.message).toMatch(
      /Pod stray-0 does not belong to component:default\/video-consultation/,
    );
  });

  it('gates and audits pod logs', async () => {
    const q = `entityRef=${encodeURIComponent(
      VIDEO,
    )}&cluster=c1&namespace=video-consultation&pod=video-consultation-1&previous=true&tailLines=50`;
    expect(
      (
        await request(backend.server)
          .get(`/api/clusters/v1/logs?${q}`)
          .set(as(KENJI))
      ).status,
    ).toBe(403);
    const res = await request(backend.server)
      .get(`/api/clusters/v1/logs?${q}`)
      .set(as(JORDAN));
    expect(res.status).toBe(200);
    expect(res.text).toBe('line 1\nline 2\n');
    const sent = backend.c1.requests.find(r => r.path.endsWith('/log'))!;
    expect(sent.query.get('previous')).toBe('true');
    expect(sent.query.get('tailLines')).toBe('50');
    const audit = await request(backend.server)
      .get('/api/clusters/v1/audit?action=logs')
      .set(as(PRIYA));
    expect(audit.body.items.map((i: any) => [i.actor, i.outcome])).toEqual([
      [JORDAN, 'success'],
      [KENJI, 'denied'],
    ]);
  });

  it('keeps the audit log for admins and exports it', async () => {
    await request(backend.server)
      .post('/api/clusters/v1/patch')
      .set(as(JORDAN))
      .send(writes[1][2]);
    expect(
      (
        await request(backend.server)
          .get('/api/clusters/v1/audit')
          .set(as(JORDAN))
      ).status,
    ).toBe(403);
    const csv = await request(backend.server)
      .get('/api/clusters/v1/audit?format=csv')
      .set(as(PRIYA));
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe(
      'id,occurredAt,actor,actorType,action,cluster,namespace,kind,name,entityRef,reason,dryRun,outcome,error,patchSha256',
    );
    expect(lines).toHaveLength(2);
    const json = await request(backend.server)
      .get('/api/clusters/v1/audit?format=json')
      .set(as(PRIYA));
    expect(JSON.parse(json.text)).toEqual([
      expect.objectContaining({ action: 'patch', reason: 'pause' }),
    ]);
  });

  it('streams changes of what a tab watches over SSE, stripped', async () => {
    const { port } = backend.server.address() as { port: number };
    const base = `http://localhost:${port}/api/clusters/v1`;
    const controller = new AbortController();
    const res = await fetch(`${base}/stream`, {
      headers: as(KENJI),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    let text = '';
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        text += new TextDecoder().decode(value);
      }
    };
    await readUntil('event: ready');
    const streamId = JSON.parse(text.match(/data: (.*)\n/)![1]).streamId;
    const put = await fetch(`${base}/stream/${streamId}/watches/w1`, {
      method: 'PUT',
      headers: { ...as(KENJI), 'Content-Type': 'application/json' },
      body: JSON.stringify({
        entityRef: VIDEO,
        kinds: ['Pod'],
        clusters: ['c1'],
      }),
    });
    expect(put.status).toBe(204);
    await eventually(() => backend.c1.watches('/api/v1/pods').length === 1);
    backend.c1.add(
      '/api/v1/pods',
      pod('video-consultation-9', 'video-consultation'),
    );
    backend.c1.add('/api/v1/pods', pod('other-9', 'other'));
    await readUntil('video-consultation-9');
    controller.abort();
    expect(text).not.toContain('other-9');
    expectNoCanary(text);
  });
});

describe('clusters plugin probe schedule', () => {
  it('probes again every probe.interval: a cluster that comes back is reported', async () => {
    const backend = await startBackend({ probeInterval: '1s' });
    try {
      const first = await clustersWhen(backend, items => items[1].health.error);
      expect(first[1].health.status).toBe('unavailable');
      backend.c2.hang = false;
      const [, c2] = await clustersWhen(
        backend,
        items => items[1].health.status === 'healthy',
        400,
      );
      expect(c2.version.gitVersion).toBe('v1.30.2');
      expect(c2.health.error).toBeUndefined();
      expect(c2.kinds.find((k: any) => k.kind === 'Rollout').status).toBe(
        'not-installed',
      );
      expect(backend.c2.lists()).toHaveLength(0);
      expect(backend.c2.watches()).toHaveLength(0);
    } finally {
      backend.c2.hang = false;
      await backend.stop();
    }
  });

  it('runs the probe and the idle sweeper as local scheduler tasks, stopped on shutdown', async () => {
    const scheduler = mockServices.scheduler.mock();
    const backend = await startBackend({
      probeInterval: '30s',
      scheduler: scheduler.factory,
    });
    backend.c2.hang = false;
    const tasks = scheduler.scheduleTask.mock.calls.map(([task]) => task);
    expect(
      tasks.map(t => [t.id, t.scope, t.frequency, t.initialDelay]),
    ).toEqual([
      ['clusters-probe', 'local', { milliseconds: 30_000 }, undefined],
      [
        'clusters-informer-sweep',
        'local',
        { milliseconds: 60_000 },
        { milliseconds: 60_000 },
      ],
    ]);
    expect(tasks.map(t => t.signal?.aborted)).toEqual([false, false]);
    await backend.stop();
    expect(tasks.map(t => t.signal?.aborted)).toEqual([true, true]);
  });
});
