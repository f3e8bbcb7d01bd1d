/*
 * Metrics queries through the whole plugin against the simulator's Prometheus-compatible API
 * (one source for every cluster, series labelled `cluster`, as in app-config.yaml): the demo's
 * request counters and the DCGM GPU utilisation of the training pods.
 */
import {
  startSimulator,
  type RunningSimulator,
} from '@careplane/cluster-simulator';
import request from 'supertest';
import {
  as,
  DEMO_SCENARIO,
  KENJI,
  startDemoBackend,
} from './__testUtils__/demoWorld';

jest.setTimeout(60_000);

let sim: RunningSimulator;
let backend: Awaited<ReturnType<typeof startDemoBackend>>;

beforeAll(async () => {
  sim = await startSimulator({
    scenarioFile: DEMO_SCENARIO,
    ports: 'ephemeral',
    speed: 0,
  });
  // the training pods start running after scheduling and image pull
  sim.advance(120);
  backend = await startDemoBackend(sim, {
    location: c =>
      c.name === 'cloud-west'
        ? {}
        : { metrics: { url: sim.controlUrl, clusterLabel: 'cluster' } },
  });
});

afterAll(async () => {
  await backend?.stop();
  await sim?.stop();
});

const query = (body: object) =>
  request(backend.server)
    .post('/api/clusters/v1/metrics/query')
    .set(as(KENJI))
    .send(body);

describe('POST /v1/metrics/query against the simulator', () => {
  it("answers the demo's http_requests_total per cluster, only that cluster's series", async () => {
    const res = await query({
      query: 'sum by (cluster, service) (http_requests_total)',
    });
    expect(res.status).toBe(200);
    const byCluster = Object.fromEntries(
      res.body.clusters.map((c: any) => [c.cluster, c]),
    );
    expect(byCluster['cloud-west']).toEqual({
      cluster: 'cloud-west',
      status: 'not-configured',
      resultType: 'vector',
      result: [],
    });
    const east = byCluster['cloud-east'];
    expect(east).toMatchObject({ status: 'ok', resultType: 'vector' });
    expect(east.result.length).toBeGreaterThan(0);
    for (const s of east.result) {
      expect(s.metric.cluster).toBe('cloud-east');
      expect(Number(s.value[1])).toBeGreaterThan(0);
    }
  });

  it('answers the DCGM GPU utilisation of the training pods over a range', async () => {
    const end = Math.floor(sim.simulation.now() / 1000);
    const res = await query({
      query: 'DCGM_FI_DEV_GPU_UTIL',
      clusters: ['gpu-research'],
      range: { start: String(end - 60), end: String(end), stepSeconds: 15 },
    });
    expect(res.status).toBe(200);
    const [gpu] = res.body.clusters;
    expect(gpu).toMatchObject({
      cluster: 'gpu-research',
      status: 'ok',
      resultType: 'matrix',
    });
    expect(gpu.result.length).toBeGreaterThan(0);
    expect(gpu.result[0].metric).toMatchObject({
      cluster: 'gpu-research',
      modelName: 'NVIDIA A100-SXM4-80GB',
    });
    for (const [, v] of gpu.result[0].values) {
      expect(Number(v)).toBeGreaterThanOrEqual(0);
      expect(Number(v)).toBeLessThanOrEqual(100);
    }
  });

  it("turns the source's PromQL error into that cluster's unavailable", async () => {
    const res = await query({ query: 'sum(', clusters: ['cloud-east'] });
    expect(res.status).toBe(200);
    expect(res.body.clusters[0]).toMatchObject({
      cluster: 'cloud-east',
      status: 'unavailable',
      error: expect.stringMatching(/^bad_data: /),
    });
    expect(res.body.clusters[0].error).not.toContain('127.0.0.1');
  });

  it('refuses an empty or too long query with 400', async () => {
    expect((await query({ query: '' })).status).toBe(400);
    expect((await query({ query: 'x'.repeat(2001) })).status).toBe(400);
  });
});
