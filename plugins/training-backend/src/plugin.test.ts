import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { clustersServiceRef } from '@careplane/plugin-clusters-node';
import request from 'supertest';
import { fakeClusters } from './__testUtils__/fakeClusters';
import {
  as,
  entities,
  FATIMA,
  JORDAN,
  launchBody,
  LI,
  policyMock,
  PRIYA,
  TRAINING,
  trainingConfig,
} from './__testUtils__/world';
import { trainingPlugin } from './plugin';

jest.setTimeout(30_000);

async function start(maxPerRun = 8) {
  const clusters = fakeClusters();
  const auditor = mockServices.auditor.mock();
  const events: Array<{ eventId: string; outcome: string; meta?: object }> = [];
  auditor.createEvent.mockImplementation(async options => ({
    success: async o => {
      events.push({
        eventId: options.eventId,
        outcome: 'success',
        meta: { ...options.meta, ...o?.meta },
      });
    },
    fail: async o => {
      events.push({
        eventId: options.eventId,
        outcome: 'fail',
        meta: { ...options.meta, error: o.error.message },
      });
    },
  }));
  const { server } = await startTestBackend({
    features: [
      trainingPlugin,
      policyMock().factory,
      auditor.factory,
      catalogServiceMock.factory({ entities }),
      createServiceFactory({
        service: clustersServiceRef,
        deps: {},
        factory: () => clusters.service,
      }),
      mockServices.rootConfig.factory({
        data: {
          training: {
            ...trainingConfig,
            gpuTypes: trainingConfig.gpuTypes.map(t => ({ ...t, maxPerRun })),
          },
        },
      }),
    ],
  });
  return { server, clusters, events };
}

describe('training plugin', () => {
  it('launches a run once per idempotency key, with the manifest the cluster needs', async () => {
    const { server, clusters, events } = await start();
    const first = await request(server)
      .post('/api/training/v1/runs')
      .set(as(LI))
      .send(launchBody());
    expect(first.status).toBe(201);
    expect(first.body.created).toBe(true);
    expect(first.body.run).toMatchObject({
      entityRef: TRAINING,
      team: 'group:default/ml-platform',
      createdBy: LI,
      cluster: 'gpu-research',
      namespace: 'ml-platform',
      kind: 'Job',
      totalGpus: 2,
      state: { phase: 'queued', reason: 'WaitingForWorkload' },
      parameters: {
        secretEnv: [{ name: 'HF_TOKEN', secretName: 'hf-token', key: 'token' }],
        hyperParameters: { LEARNING_RATE: '0.0003' },
        queue: 'ml-platform',
        pricePerGpuHour: 3.67,
      },
    });
    // a dry run first, then the create, both as the person
    expect(clusters.calls.apply.map(a => Boolean(a.dryRun))).toEqual([
      true,
      false,
    ]);
    const manifest = clusters.calls.apply[1].manifest;
    expect(manifest.metadata.labels).toEqual({
      'backstage.io/kubernetes-id': 'triage-model-training',
      'careplane.io/training-run': first.body.run.id,
      'kueue.x-k8s.io/queue-name': 'ml-platform',
    });
    expect(manifest.spec.template.spec.nodeSelector).toEqual({
      'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB',
    });
    expect(
      manifest.spec.template.spec.containers[0].resources.limits[
        'nvidia.com/gpu'
      ],
    ).toBe('2');

    const again = await request(server)
      .post('/api/training/v1/runs')
      .set(as(LI))
      .send(launchBody());
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      created: false,
      run: { id: first.body.run.id },
    });
    expect(clusters.calls.apply.filter(a => !a.dryRun)).toHaveLength(1);
    expect(
      events.filter(e => e.eventId === 'run-launch').map(e => e.outcome),
    ).toEqual(['success', 'success']);

    const list = await request(server)
      .get('/api/training/v1/runs?phase=queued')
      .set(as(JORDAN));
    expect(list.status).toBe(200);
    expect(list.body.items.map((r: { id: string }) => r.id)).toEqual([
      first.body.run.id,
    ]);
    const run = await request(server)
      .get(`/api/training/v1/runs/${first.body.run.id}`)
      .set(as(JORDAN));
    expect(run.body.history.map((h: { phase: string }) => h.phase)).toEqual([
      'submitted',
      'queued',
    ]);
  });

  it.each([
    [
      { gpu: { type: 'nvidia-a100-80gb', count: 0 } },
      'gpu.count: gpu.count must be a whole number of at least 1',
    ],
    [
      { gpu: { type: 'nvidia-a100-80gb', count: 9 } },
      'gpu.count: 9 nvidia-a100-80gb GPUs is more than one run may use (8)',
    ],
    [
      { gpu: { type: 'h100', count: 1 } },
      "gpu.type: GPU type 'h100' is not configured; choose one of: nvidia-a100-80gb",
    ],
    [
      { image: 'not an image' },
      "image: 'not an image' is not a valid image reference",
    ],
    [
      { hyperParameters: { WANDB_API_KEY: 'abc' } },
      'hyperParameters.WANDB_API_KEY: WANDB_API_KEY looks like a secret',
    ],
    [
      { cluster: 'cloud-east' },
      'cluster: Cluster cloud-east does not offer nvidia-a100-80gb; clusters that do: gpu-research',
    ],
  ])(
    'refuses bad input before anything is created: %j',
    async (change, message) => {
      const { server, clusters } = await start();
      const res = await request(server)
        .post('/api/training/v1/runs')
        .set(as(LI))
        .send(launchBody(change));
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(message);
      expect(clusters.calls.apply).toEqual([]);
    },
  );

  it('refuses a malformed body naming the field', async () => {
    const { server } = await start();
    const res = await request(server)
      .post('/api/training/v1/runs')
      .set(as(LI))
      .send({ ...launchBody(), gpu: 'two' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^gpu: /);
  });

  it('refuses a run that can never fit the queue', async () => {
    const { server, clusters } = await start(32);
    const res = await request(server)
      .post('/api/training/v1/runs')
      .set(as(LI))
      .send(
        launchBody({ nodes: 5, gpu: { type: 'nvidia-a100-80gb', count: 4 } }),
      );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'gpu.count: 20 nvidia.com/gpu can never fit in ClusterQueue ml-gpu: its most is 16; ask for fewer GPUs or a larger quota',
    );
    expect(clusters.calls.apply).toEqual([]);
  });

  it('lets only owners launch, and audits the refusal', async () => {
    const { server, clusters, events } = await start();
    const res = await request(server)
      .post('/api/training/v1/runs')
      .set(as(JORDAN))
      .send(launchBody());
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      `You may not launch training runs for ${TRAINING}: only its owners and platform admins may`,
    );
    expect(clusters.calls.apply).toEqual([]);
    expect(events).toEqual([
      expect.objectContaining({ eventId: 'run-launch', outcome: 'fail' }),
    ]);
  });

  it('cancels for an owner or an admin, records who, refuses another team', async () => {
    const { server, clusters, events } = await start();
    const launched = await request(server)
      .post('/api/training/v1/runs')
      .set(as(LI))
      .send(launchBody());
    const id = launched.body.run.id;
    const denied = await request(server)
      .post(`/api/training/v1/runs/${id}/cancel`)
      .set(as(JORDAN))
      .send({ reason: 'mine now' });
    expect(denied.status).toBe(403);
    expect(clusters.calls.delete).toEqual([]);

    const ok = await request(server)
      .post(`/api/training/v1/runs/${id}/cancel`)
      .set(as(FATIMA))
      .send({ reason: 'wrong learning rate' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      cancelledBy: FATIMA,
      cancelReason: 'wrong learning rate',
      state: {
        phase: 'cancelled',
        message: `Cancelled by ${FATIMA}: wrong learning rate`,
      },
    });
    expect(clusters.calls.delete).toEqual([
      expect.objectContaining({
        entityRef: TRAINING,
        cluster: 'gpu-research',
        kind: 'Job',
        namespace: 'ml-platform',
        name: launched.body.run.objectName,
      }),
    ]);
    const again = await request(server)
      .post(`/api/training/v1/runs/${id}/cancel`)
      .set(as(PRIYA))
      .send({ reason: 'again' });
    expect(again.status).toBe(409);
    expect(
      events.filter(e => e.eventId === 'run-cancel').map(e => e.outcome),
    ).toEqual(['fail', 'success', 'fail']);
  });

  it('answers 404 for an unknown run and 400 for a bad query', async () => {
    const { server } = await start();
    expect(
      (await request(server).get('/api/training/v1/runs/nope').set(as(LI)))
        .status,
    ).toBe(404);
    expect(
      (await request(server).get('/api/training/v1/runs?limit=0').set(as(LI)))
        .status,
    ).toBe(400);
    expect(
      (
        await request(server)
          .get('/api/training/v1/runs?phase=flying')
          .set(as(LI))
      ).status,
    ).toBe(400);
  });

  it('shows GPU types with the clusters offering them, and the Kueue quota', async () => {
    const { server } = await start();
    const types = await request(server)
      .get('/api/training/v1/gpu-types')
      .set(as(JORDAN));
    expect(types.body).toMatchObject({
      currency: 'USD',
      items: [
        {
          name: 'nvidia-a100-80gb',
          clusters: ['gpu-research'],
          pricePerGpuHour: 3.67,
        },
      ],
    });
    const quota = await request(server)
      .get('/api/training/v1/quota')
      .set(as(JORDAN));
    expect(quota.body).toEqual({
      items: [
        {
          cluster: 'gpu-research',
          source: 'kueue',
          queue: 'ml-gpu',
          flavor: 'a100-80gb',
          resource: 'nvidia.com/gpu',
          nominal: 16,
          used: 8,
          pendingWorkloads: 1,
        },
      ],
      unavailable: [],
    });
  });

  it('reads logs of the run pods only, through the hub', async () => {
    const { server, clusters } = await start();
    const launched = await request(server)
      .post('/api/training/v1/runs')
      .set(as(LI))
      .send(launchBody());
    const run = launched.body.run;
    clusters.objects.push({
      cluster: 'gpu-research',
      kind: 'Pod',
      namespace: 'ml-platform',
      name: `${run.objectName}-abcde`,
      object: {
        metadata: {
          name: `${run.objectName}-abcde`,
          namespace: 'ml-platform',
          labels: { 'careplane.io/training-run': run.id },
        },
        spec: {
          containers: [{ name: 'trainer' }],
          nodeName: 'gpu-a100-node-3',
        },
        status: { phase: 'Running' },
      },
    });
    const pods = await request(server)
      .get(`/api/training/v1/runs/${run.id}/pods`)
      .set(as(LI));
    expect(pods.body.items).toEqual([
      {
        name: `${run.objectName}-abcde`,
        phase: 'Running',
        containers: ['trainer'],
        restarts: 0,
        nodeName: 'gpu-a100-node-3',
      },
    ]);
    const logs = await request(server)
      .get(
        `/api/training/v1/runs/${run.id}/logs?pod=${run.objectName}-abcde&previous=true`,
      )
      .set(as(LI));
    expect(logs.text).toBe('epoch 1 loss 0.42\n');
    expect(clusters.calls.logs).toEqual([
      expect.objectContaining({
        pod: `${run.objectName}-abcde`,
        previous: true,
        entityRef: TRAINING,
      }),
    ]);
    const other = await request(server)
      .get(`/api/training/v1/runs/${run.id}/logs?pod=patient-records-0`)
      .set(as(LI));
    expect(other.status).toBe(400);
  });
});
