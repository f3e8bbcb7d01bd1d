/*
 * The answers of the whole plugin against the simulator's demo world are what the contract
 * (clustersRoutes in clusters-common) says: each parses with its route's response schema, and
 * parsing keeps every field (the schemas drop unknown keys, so a field the backend sends but the
 * contract does not declare fails here). The clients trust answers without parsing them; this is
 * what makes that safe.
 */
import {
  clustersRoutes as routes,
  clustersStreamEventSchema,
} from '@careplane/plugin-clusters-common';
import {
  startSimulator,
  type RunningSimulator,
} from '@careplane/cluster-simulator';
import request from 'supertest';
import type { z } from 'zod';
import {
  as,
  DEMO_SCENARIO,
  JORDAN,
  KENJI,
  openSseStream,
  PRIYA,
  startDemoBackend,
} from './__testUtils__/demoWorld';

jest.setTimeout(60_000);

const VIDEO = 'component:default/video-consultation';
const LEGACY = 'legacy-onprem';
let sim: RunningSimulator;
let backend: Awaited<ReturnType<typeof startDemoBackend>>;

beforeAll(async () => {
  sim = await startSimulator({
    scenarioFile: DEMO_SCENARIO,
    ports: 'ephemeral',
    speed: 0,
  });
  backend = await startDemoBackend(sim, {
    location: () => ({
      metrics: { url: sim.controlUrl, clusterLabel: 'cluster' },
    }),
  });
});

afterAll(async () => {
  await backend?.stop();
  await sim?.stop();
});

/** The body parses with the schema, and parsing it dropped nothing. */
function expectContract(schema: z.ZodType, body: unknown) {
  const result = schema.safeParse(body);
  expect(result.error?.issues ?? []).toEqual([]);
  expect(result.data).toEqual(body);
}

const api = (path: string) => `/api/clusters${path}`;
const get = (path: string, user: string) =>
  request(backend.server).get(api(path)).set(as(user));
const post = (path: string, body: object, user: string) =>
  request(backend.server).post(api(path)).set(as(user)).send(body);

describe('answers match the contract', () => {
  it('GET /v1/clusters and /v1/kinds', async () => {
    const clusters = await get(routes.listClusters.path, KENJI);
    expect(clusters.status).toBe(200);
    expect(clusters.body.items).toHaveLength(sim.clusters.length);
    expectContract(routes.listClusters.response, clusters.body);
    const kinds = await get(routes.listKinds.path, KENJI);
    expectContract(routes.listKinds.response, kinds.body);
  });

  it("an entity's workloads and objects", async () => {
    const workloads = await get(
      '/v1/entities/component/default/video-consultation/workloads',
      KENJI,
    );
    expect(workloads.status).toBe(200);
    const pods = workloads.body.clusters.flatMap((c: any) => c.pods);
    expect(pods.length).toBeGreaterThan(0);
    expectContract(routes.entityWorkloads.response, workloads.body);
    const objects = await post(
      routes.entityObjects.path,
      { entityRef: VIDEO, kinds: ['Deployment', 'Service'] },
      KENJI,
    );
    expect(objects.status).toBe(200);
    expectContract(routes.entityObjects.response, objects.body);
  });

  it('a metrics query', async () => {
    const res = await post(
      routes.queryMetrics.path,
      { query: 'sum by (cluster) (http_requests_total)' },
      KENJI,
    );
    expect(res.status).toBe(200);
    expect(res.body.clusters.some((c: any) => c.status === 'ok')).toBe(true);
    expectContract(routes.queryMetrics.response, res.body);
  });

  it('a dry-run write and the audit page that records it', async () => {
    const res = await post(
      routes.patch.path,
      {
        entityRef: VIDEO,
        cluster: LEGACY,
        kind: 'Deployment',
        namespace: 'video-consultation',
        name: 'video-consultation',
        patchType: 'merge',
        patch: { metadata: { labels: { tier: 'web' } } },
        dryRun: true,
        reason: 'contract test',
      },
      JORDAN,
    );
    expect(res.status).toBe(200);
    expectContract(routes.patch.response, res.body);
    const audit = await get(`${routes.audit.path}?cluster=${LEGACY}`, PRIYA);
    expect(audit.body.items.length).toBeGreaterThan(0);
    expectContract(routes.audit.response, audit.body);
  });

  it('the events of the stream', async () => {
    const stream = await openSseStream(backend.server, KENJI);
    try {
      const watch = { entityRef: VIDEO, kinds: ['Pod'], clusters: [LEGACY] };
      expect(await stream.watch('w1', watch)).toBe(204);
      while (sim.faults(LEGACY).openWatches < 1) {
        await new Promise(r => setTimeout(r, 20));
      }
      // a pod dies and its ReplicaSet replaces it: a delete and upserts on the stream
      const raw = sim.simulation.cluster(LEGACY);
      const victim = raw
        .objectsOf('', 'Pod')
        .find(p => p.metadata.namespace === 'video-consultation')!;
      raw.removeOf('', 'Pod', 'video-consultation', victim.metadata.name!);
      sim.advance(1);
      await stream.next(e => e.type === 'delete');
      await stream.next(e => e.type === 'upsert');
      for (const event of stream.events) {
        expectContract(clustersStreamEventSchema, event);
      }
    } finally {
      stream.close();
    }
  });
});
