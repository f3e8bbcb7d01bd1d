import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { Scenario } from './scenario';
import { RunningSimulator, startSimulator } from './server';
import { Simulation } from './simulation';
import { kubeConfigFor } from './__testUtils__/testUtils';

const base = (clusters: Scenario['clusters']): Scenario => ({
  seed: 3,
  startTime: '2026-03-01T09:00:00Z',
  clusters,
});

describe('scenarios come alive', () => {
  let sim: RunningSimulator | undefined;
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });

  it('rolls a Deployment out to Ready, and reports ProgressDeadlineExceeded for a stalled update', async () => {
    sim = await startSimulator({
      scenario: base([
        {
          name: 'c',
          podReadySeconds: 5,
          apps: [
            {
              name: 'api',
              replicas: 3,
              strategy: {
                type: 'RollingUpdate',
                rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
              },
            },
          ],
        },
      ]),
      ports: 'ephemeral',
      speed: 0,
    });
    const apps = kubeConfigFor(sim.clusters[0]).makeApiClient(AppsV1Api);
    const read = () =>
      apps.readNamespacedDeployment({ name: 'api', namespace: 'api' });
    expect((await read()).status?.readyReplicas ?? 0).toBe(0);
    sim.advance(20);
    const ready = await read();
    expect(ready.status).toMatchObject({
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
    });
    expect(
      ready.status?.conditions?.find(c => c.type === 'Progressing')?.reason,
    ).toBe('NewReplicaSetAvailable');

    // A new image whose pods never become ready stalls the rollout.
    await apps.patchNamespacedDeployment(
      {
        name: 'api',
        namespace: 'api',
        body: {
          spec: {
            progressDeadlineSeconds: 60,
            template: {
              metadata: {
                annotations: { 'sim.careplane.io/behavior': 'never-ready' },
              },
              spec: { containers: [{ name: 'api', image: 'api:2' }] },
            },
          },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    sim.advance(30);
    const progressing = await read();
    expect(progressing.status?.updatedReplicas).toBe(1);
    expect(progressing.status?.availableReplicas).toBe(3);
    sim.advance(90);
    const stalled = await read();
    expect(
      stalled.status?.conditions?.find(c => c.type === 'Progressing'),
    ).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
    const rs = await apps.listNamespacedReplicaSet({ namespace: 'api' });
    expect(
      rs.items
        .map(
          r => r.metadata?.annotations?.['deployment.kubernetes.io/revision'],
        )
        .sort(),
    ).toEqual(['1', '2']);
  });

  it('walks an Argo canary to its pause, obeys promote, abort and retry', async () => {
    sim = await startSimulator({
      scenario: base([
        {
          name: 'c',
          addons: ['argo-rollouts'],
          podReadySeconds: 2,
          apps: [
            {
              name: 'video',
              kind: 'Rollout',
              replicas: 5,
              strategy: {
                canary: {
                  steps: [
                    { setWeight: 20 },
                    { pause: {} },
                    { setWeight: 60 },
                    { pause: { duration: '30s' } },
                  ],
                },
              },
              update: { image: 'video:2', at: '30s' },
            },
          ],
        },
      ]),
      ports: 'ephemeral',
      speed: 0,
    });
    const custom = kubeConfigFor(sim.clusters[0]).makeApiClient(
      CustomObjectsApi,
    );
    const ref = {
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace: 'video',
      plural: 'rollouts',
      name: 'video',
    };
    const read = async () =>
      (await custom.getNamespacedCustomObject(ref)) as any;
    const patchStatus = (status: any) =>
      custom.patchNamespacedCustomObjectStatus(
        { ...ref, body: { status } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    sim.advance(25);
    expect((await read()).status.phase).toBe('Healthy');
    sim.advance(30);
    let ro = await read();
    expect(ro.status).toMatchObject({
      phase: 'Paused',
      message: 'CanaryPauseStep',
      currentStepIndex: 1,
      controllerPause: true,
    });
    expect(ro.status.pauseConditions[0].reason).toBe('CanaryPauseStep');
    expect(ro.status.stableRS).not.toBe(ro.status.currentPodHash);
    sim.advance(120);
    expect((await read()).status.currentStepIndex).toBe(1);

    await patchStatus({ pauseConditions: null });
    sim.advance(10);
    ro = await read();
    expect(ro.status.currentStepIndex).toBe(3);
    expect(ro.status.phase).toBe('Paused');

    await patchStatus({ abort: true });
    sim.advance(10);
    ro = await read();
    expect(ro.status.phase).toBe('Degraded');
    expect(ro.status.message).toMatch(
      /^RolloutAborted: Rollout aborted update to revision 2/,
    );

    await patchStatus({ abort: false });
    sim.advance(10);
    ro = await read();
    expect(ro.status.currentStepIndex).toBe(1);
    expect(ro.status.phase).toBe('Paused');
    await patchStatus({ promoteFull: true });
    sim.advance(10);
    ro = await read();
    expect(ro.status.phase).toBe('Healthy');
    expect(ro.status.stableRS).toBe(ro.status.currentPodHash);
  });

  it('runs a Job to completion and a failing one to BackoffLimitExceeded, with logs', async () => {
    sim = await startSimulator({
      scenario: base([{ name: 'c' }]),
      ports: 'ephemeral',
      speed: 0,
    });
    const kc = kubeConfigFor(sim.clusters[0]);
    const batch = kc.makeApiClient(BatchV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    const job = (name: string, exit: string) => ({
      metadata: { name },
      spec: {
        backoffLimit: 1,
        template: {
          metadata: {
            annotations: {
              'sim.careplane.io/run-seconds': '20',
              'sim.careplane.io/exit-code': exit,
            },
          },
          spec: {
            restartPolicy: 'Never',
            containers: [{ name: 'main', image: 'busybox:1.36' }],
          },
        },
      },
    });
    await batch.createNamespacedJob({
      namespace: 'default',
      body: job('ok', '0'),
    });
    await batch.createNamespacedJob({
      namespace: 'default',
      body: job('bad', '3'),
    });
    sim.advance(10);
    expect(
      (await batch.readNamespacedJob({ name: 'ok', namespace: 'default' }))
        .status?.active,
    ).toBe(1);
    sim.advance(40);
    const ok = await batch.readNamespacedJob({
      name: 'ok',
      namespace: 'default',
    });
    expect(ok.status?.succeeded).toBe(1);
    expect(
      ok.status?.conditions?.find(c => c.type === 'Complete')?.status,
    ).toBe('True');
    sim.advance(60);
    const bad = await batch.readNamespacedJob({
      name: 'bad',
      namespace: 'default',
    });
    expect(bad.status?.failed).toBe(2);
    expect(
      bad.status?.conditions?.find(c => c.type === 'Failed'),
    ).toMatchObject({ status: 'True', reason: 'BackoffLimitExceeded' });
    const pod = (
      await core.listNamespacedPod({
        namespace: 'default',
        labelSelector: 'job-name=ok',
      })
    ).items[0];
    expect(pod.status?.phase).toBe('Succeeded');
    const log = await core.readNamespacedPodLog({
      name: pod.metadata!.name!,
      namespace: 'default',
    });
    expect(log.trim().split('\n').length).toBeGreaterThan(2);
  });

  it('keeps a Kueue workload pending for GPU quota and admits it when quota frees', async () => {
    const trainJob = (name: string, nodes: number, seconds: number) => ({
      apiVersion: 'trainer.kubeflow.org/v1alpha1',
      kind: 'TrainJob',
      metadata: {
        name,
        namespace: 'ml',
        labels: { 'kueue.x-k8s.io/queue-name': 'team' },
        annotations: { 'sim.careplane.io/run-seconds': String(seconds) },
      },
      spec: {
        trainer: {
          image: 'trainer:1',
          numNodes: nodes,
          resourcesPerNode: { limits: { 'nvidia.com/gpu': 4 } },
        },
      },
    });
    sim = await startSimulator({
      scenario: base([
        {
          name: 'gpu',
          addons: ['kueue', 'kubeflow-trainer'],
          nodes: [1, 2, 3, 4].map(i => ({ name: `g${i}`, gpus: 4 })),
          objects: [
            { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ml' } },
            {
              apiVersion: 'kueue.x-k8s.io/v1beta2',
              kind: 'ResourceFlavor',
              metadata: { name: 'a100' },
              spec: {},
            },
            {
              apiVersion: 'kueue.x-k8s.io/v1beta2',
              kind: 'ClusterQueue',
              metadata: { name: 'gpu' },
              spec: {
                resourceGroups: [
                  {
                    coveredResources: ['nvidia.com/gpu'],
                    flavors: [
                      {
                        name: 'a100',
                        resources: [
                          { name: 'nvidia.com/gpu', nominalQuota: 16 },
                        ],
                      },
                    ],
                  },
                ],
              },
            },
            {
              apiVersion: 'kueue.x-k8s.io/v1beta2',
              kind: 'LocalQueue',
              metadata: { name: 'team', namespace: 'ml' },
              spec: { clusterQueue: 'gpu' },
            },
            trainJob('first', 2, 120),
          ],
        },
      ]),
      ports: 'ephemeral',
      speed: 0,
    });
    const custom = kubeConfigFor(sim.clusters[0]).makeApiClient(
      CustomObjectsApi,
    );
    await custom.createNamespacedCustomObject({
      group: 'trainer.kubeflow.org',
      version: 'v1alpha1',
      namespace: 'ml',
      plural: 'trainjobs',
      body: trainJob('second', 3, 60),
    });
    sim.advance(10);
    const workloads = async () =>
      (
        (await custom.listNamespacedCustomObject({
          group: 'kueue.x-k8s.io',
          version: 'v1beta2',
          namespace: 'ml',
          plural: 'workloads',
        })) as any
      ).items;
    const cond = (w: any, type: string) =>
      w.status.conditions.find((c: any) => c.type === type);
    let ws = await workloads();
    const second = () =>
      ws.find((w: any) => w.metadata.ownerReferences[0].name === 'second');
    expect(cond(second(), 'QuotaReserved')).toMatchObject({
      status: 'False',
      reason: 'WaitingForQuota',
    });
    expect(cond(second(), 'QuotaReserved').message).toContain(
      'insufficient unused quota for nvidia.com/gpu in flavor a100, 4 more needed',
    );
    const tj = (await custom.getNamespacedCustomObject({
      group: 'trainer.kubeflow.org',
      version: 'v1alpha1',
      namespace: 'ml',
      plural: 'trainjobs',
      name: 'second',
    })) as any;
    expect(tj.spec.suspend).toBe(true);
    const cq = (await custom.getClusterCustomObject({
      group: 'kueue.x-k8s.io',
      version: 'v1beta2',
      plural: 'clusterqueues',
      name: 'gpu',
    })) as any;
    expect(cq.status).toMatchObject({
      pendingWorkloads: 1,
      admittedWorkloads: 1,
    });
    expect(cq.status.flavorsUsage[0].resources[0]).toMatchObject({
      name: 'nvidia.com/gpu',
      total: '8',
    });

    sim.advance(150);
    ws = await workloads();
    expect(cond(second(), 'Admitted')?.status).toBe('True');
    const first = ws.find(
      (w: any) => w.metadata.ownerReferences[0].name === 'first',
    );
    expect(cond(first, 'Finished')?.status).toBe('True');
    const running = (await custom.getNamespacedCustomObject({
      group: 'trainer.kubeflow.org',
      version: 'v1alpha1',
      namespace: 'ml',
      plural: 'trainjobs',
      name: 'second',
    })) as any;
    expect(running.spec.suspend).toBe(false);
    expect(running.status.jobsStatus[0].active).toBe(1);
  });

  it('is deterministic for a given seed', () => {
    const make = () =>
      new Simulation(
        base([{ name: 'c', apps: [{ name: 'api', replicas: 3 }] }]),
        { speed: 0 },
      );
    const a = make();
    const b = make();
    a.advance(30);
    b.advance(30);
    const names = (s: Simulation) =>
      s
        .cluster('c')
        .objectsOf('', 'Pod')
        .map(
          p =>
            `${p.metadata.name}|${p.metadata.uid}|${p.metadata.resourceVersion}`,
        );
    expect(names(a)).toEqual(names(b));
    a.dispose();
    b.dispose();
  });
});
