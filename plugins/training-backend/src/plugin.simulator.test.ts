/*
 * The whole plugin against the simulator's demo world through the real hub (clusters-backend):
 * a 2-GPU run on gpu-research queues behind Kueue's quota with its reason and position, runs
 * once quota frees up, succeeds with GPU-hours; another team cannot cancel it.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  startSimulator,
  type RunningSimulator,
} from '@careplane/cluster-simulator';
import clustersPlugin from '@careplane/plugin-clusters-backend';
import { dirname, join } from 'node:path';
import request from 'supertest';
import {
  as,
  entities,
  FATIMA,
  JORDAN,
  launchBody,
  LI,
  policyMock,
  trainingConfig,
} from './__testUtils__/world';
import { clustersModuleTrainingKinds } from './modules/kindsModule';
import { trainingPlugin } from './plugin';

const DEMO_SCENARIO = join(
  dirname(require.resolve('@careplane/cluster-simulator/package.json')),
  'scenarios/demo.yaml',
);

jest.setTimeout(120_000);

let sim: RunningSimulator;
let backend: Awaited<ReturnType<typeof startTestBackend>>;

beforeAll(async () => {
  sim = await startSimulator({
    scenarioFile: DEMO_SCENARIO,
    ports: 'ephemeral',
    speed: 0,
  });
  sim.advance(120);
  backend = await startTestBackend({
    features: [
      clustersPlugin,
      clustersModuleTrainingKinds,
      trainingPlugin,
      policyMock().factory,
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({
        data: {
          clusters: {
            locations: sim.clusters.map(c => ({
              name: c.name,
              url: c.url,
              auth: { type: 'serviceAccountToken', token: c.token },
              labels:
                c.name === 'gpu-research'
                  ? { gpu: 'nvidia-a100-80gb' }
                  : { gpu: 'none' },
              metrics: { url: sim.controlUrl, clusterLabel: 'cluster' },
            })),
            timeouts: { request: '5s', firstSync: '10s' },
          },
          training: { ...trainingConfig, reconcileInterval: { hours: 1 } },
        },
      }),
    ],
  });
});

afterAll(async () => {
  await backend?.stop();
  await sim?.stop();
});

const api = () => request(backend.server);

/** Reads the run until its state matches, moving simulated time between reads. */
async function until(id: string, match: (run: any) => boolean, step = 2) {
  let run: any;
  for (let i = 0; i < 60; i++) {
    run = (await api().get(`/api/training/v1/runs/${id}`).set(as(LI))).body;
    if (match(run)) return run;
    sim.advance(step);
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error(`run ${id} stayed ${JSON.stringify(run?.state)}`);
}

describe('training runs on the simulated gpu-research cluster', () => {
  it('queues a 2-GPU run for quota, runs it when quota frees, and it succeeds', async () => {
    // fill the ClusterQueue: the demo's fine-tune holds 8 of 16 GPUs
    const big = await api()
      .post('/api/training/v1/runs')
      .set(as(LI))
      .send(
        launchBody({
          idempotencyKey: 'sim-big-0001',
          name: 'big',
          nodes: 2,
          gpu: { type: 'nvidia-a100-80gb', count: 4 },
        }),
      );
    expect(big.status).toBe(201);
    await until(big.body.run.id, r => r.state.phase === 'running');

    const small = await api()
      .post('/api/training/v1/runs')
      .set(as(LI))
      .send(launchBody({ idempotencyKey: 'sim-small-0001', name: 'small' }));
    expect(small.status).toBe(201);
    const id = small.body.run.id;
    const queued = await until(
      id,
      r => r.state.phase === 'queued' && r.state.reason === 'WaitingForQuota',
    );
    // behind the demo's 12-GPU sweep, which was queued first
    expect(queued.state.position).toBe(2);
    expect(queued.state.message).toMatch(
      /insufficient unused quota for nvidia\.com\/gpu/,
    );

    // another team may not cancel; an owner may
    const denied = await api()
      .post(`/api/training/v1/runs/${big.body.run.id}/cancel`)
      .set(as(JORDAN))
      .send({ reason: 'x' });
    expect(denied.status).toBe(403);
    const cancelled = await api()
      .post(`/api/training/v1/runs/${big.body.run.id}/cancel`)
      .set(as(FATIMA))
      .send({ reason: 'make room' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({
      cancelledBy: FATIMA,
      state: { phase: 'cancelled' },
    });

    const running = await until(id, r => r.state.phase === 'running', 1);
    expect(running.state.readyPods).toBe(1);
    const pods = await api()
      .get(`/api/training/v1/runs/${id}/pods`)
      .set(as(LI));
    expect(pods.body.items).toHaveLength(1);
    const logs = await api()
      .get(`/api/training/v1/runs/${id}/logs?pod=${pods.body.items[0].name}`)
      .set(as(LI));
    expect(logs.status).toBe(200);
    const gpu = await api().get(`/api/training/v1/runs/${id}/gpu`).set(as(LI));
    expect(gpu.status).toBe(200);
    expect(gpu.body.status).toBe('ok');

    const done = await until(id, r => r.state.phase === 'succeeded', 5);
    expect(done.history.map((h: any) => h.phase)).toEqual(
      expect.arrayContaining([
        'submitted',
        'queued',
        'starting',
        'running',
        'succeeded',
      ]),
    );
    expect(
      done.history.map((h: any) => h.phase).indexOf('running'),
    ).toBeGreaterThan(done.history.map((h: any) => h.phase).indexOf('queued'));
    expect(done.finishedAt).toBeDefined();
    expect(typeof done.gpuHours).toBe('number');

    // the created Job carries the selectors, tolerations, resources and queue label
    const [job] = sim.simulation
      .cluster('gpu-research')
      .objectsOf('batch', 'Job')
      .filter(j => j.metadata.name === done.objectName);
    expect(job.metadata.labels?.['kueue.x-k8s.io/queue-name']).toBe(
      'ml-platform',
    );
    expect(job.spec.template.spec.nodeSelector).toEqual({
      'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB',
    });
    expect(job.spec.template.spec.tolerations).toEqual(
      expect.arrayContaining([
        { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
      ]),
    );
    expect(
      job.spec.template.spec.containers[0].resources.limits['nvidia.com/gpu'],
    ).toBe('2');
  });
});
