/*
 * The whole plugin against fake API servers (msw): reads, probe results, redaction and the SSE
 * stream. Writes are in plugin.writes.test.ts, the probe schedule in plugin.schedule.test.ts.
 */
import request from 'supertest';
import { eventually, pod } from './__testUtils__/FakeApiServer';
import {
  as,
  backend,
  clustersWhen,
  expectNoCanary,
  KENJI,
  useBackendPerTest,
  VIDEO,
} from './__testUtils__/pluginWorld';

describe('clusters plugin', () => {
  useBackendPerTest();

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
