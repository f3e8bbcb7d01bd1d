import { AppsV1Api, BatchV1Api, CoreV1Api } from '@kubernetes/client-node';
import { failureOf, Harness, startHarness } from '../__testUtils__/conformance';

/*
 * Conformance: pod logs, and the kinds a Kubernetes plugin commonly reads
 * (DaemonSet, ControllerRevision, CronJob, PersistentVolumeClaim).
 */
describe('conformance: logs and commonly read kinds', () => {
  let h: Harness;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  beforeAll(async () => {
    h = await startHarness();
    core = h.kc().makeApiClient(CoreV1Api);
    apps = h.kc().makeApiClient(AppsV1Api);
  });
  afterAll(() => h.sim.stop());

  const pod = (
    name: string,
    containers: string[],
    nodeSelector?: Record<string, string>,
  ) => ({
    metadata: { name },
    spec: {
      ...(nodeSelector ? { nodeSelector } : {}),
      containers: containers.map(c => ({ name: c, image: `${c}:1` })),
    },
  });

  it('answers 204 No Content with no body for the logs of a pod that has no node', async () => {
    // kubernetes pkg/registry/core/pod/strategy.go LogLocation ("If pod has not been assigned a
    // host, return an empty location"), staging/src/k8s.io/apiserver/pkg/registry/generic/rest/
    // streamer.go:68-71 (null stream) and endpoints/handlers/responsewriters/writers.go:58-61.
    await core.createNamespacedPod({
      namespace: 'web',
      body: pod('stuck', ['app'], { 'no-such-node': 'true' }),
    });
    h.sim.advance(5);
    const res = await h.raw('GET', '/api/v1/namespaces/web/pods/stuck/log');
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
  });

  it('checks the container name before the node (400 for a multi-container pod without one)', async () => {
    // strategy.go validateContainer runs first; containers are listed init containers first.
    await core.createNamespacedPod({
      namespace: 'web',
      body: pod('two', ['app', 'sidecar']),
    });
    const res = await h.raw('GET', '/api/v1/namespaces/web/pods/two/log');
    expect(res.status).toBe(400);
    expect(res.json.message).toBe(
      'a container name must be specified for pod two, choose one of: [app sidecar]',
    );
    const unknown = await failureOf(
      core.readNamespacedPodLog({
        name: 'two',
        namespace: 'web',
        container: 'nope',
      }),
    );
    expect(unknown?.code).toBe(400);
  });

  it('serves DaemonSets with one pod per fitting node and ControllerRevisions', async () => {
    await apps.createNamespacedDaemonSet({
      namespace: 'web',
      body: {
        metadata: { name: 'agent' },
        spec: {
          selector: { matchLabels: { app: 'agent' } },
          template: {
            metadata: { labels: { app: 'agent' } },
            spec: { containers: [{ name: 'agent', image: 'agent:1' }] },
          },
        },
      },
    });
    h.sim.advance(10);
    const ds = await apps.readNamespacedDaemonSet({
      name: 'agent',
      namespace: 'web',
    });
    expect(ds.status).toMatchObject({
      desiredNumberScheduled: 2,
      currentNumberScheduled: 2,
      numberReady: 2,
      updatedNumberScheduled: 2,
    });
    const pods = await core.listNamespacedPod({
      namespace: 'web',
      labelSelector: 'app=agent',
    });
    expect(pods.items.map(p => p.spec?.nodeName).sort()).toEqual([
      'node-a',
      'node-b',
    ]);
    const revisions = await apps.listNamespacedControllerRevision({
      namespace: 'web',
      labelSelector: 'app=agent',
    });
    expect(revisions.items).toHaveLength(1);
    expect(revisions.items[0].revision).toBe(1);
  });

  it('rejects a DaemonSet template that may restart (422)', async () => {
    // kubernetes pkg/apis/apps/validation: DaemonSet pods must have restartPolicy Always.
    const res = await h.raw('POST', '/apis/apps/v1/namespaces/web/daemonsets', {
      body: {
        metadata: { name: 'bad' },
        spec: {
          selector: { matchLabels: { app: 'bad' } },
          template: {
            metadata: { labels: { app: 'bad' } },
            spec: {
              restartPolicy: 'Never',
              containers: [{ name: 'c', image: 'c:1' }],
            },
          },
        },
      },
    });
    expect(res.status).toBe(422);
    expect(res.json.details.causes[0]).toEqual({
      reason: 'FieldValueNotSupported',
      message: 'Unsupported value: "Never": supported values: "Always"',
      field: 'spec.template.spec.restartPolicy',
    });
  });

  it('serves CronJobs that create Jobs on the simulated clock', async () => {
    const batch = h.kc().makeApiClient(BatchV1Api);
    await batch.createNamespacedCronJob({
      namespace: 'web',
      body: {
        metadata: { name: 'nightly' },
        spec: {
          schedule: '*/5 * * * *',
          jobTemplate: {
            spec: {
              template: {
                spec: {
                  restartPolicy: 'Never',
                  containers: [{ name: 'job', image: 'job:1' }],
                },
              },
            },
          },
        },
      },
    });
    h.sim.advance(300);
    const cj = await batch.readNamespacedCronJob({
      name: 'nightly',
      namespace: 'web',
    });
    expect(cj.status?.lastScheduleTime).toBeDefined();
    const jobs = await batch.listNamespacedJob({ namespace: 'web' });
    const owned = jobs.items.filter(j =>
      j.metadata?.ownerReferences?.some(r => r.name === 'nightly'),
    );
    expect(owned.length).toBeGreaterThanOrEqual(1);
    expect(owned[0].metadata?.name).toMatch(/^nightly-\d+$/);
  });

  it('serves PersistentVolumeClaims that bind', async () => {
    await core.createNamespacedPersistentVolumeClaim({
      namespace: 'web',
      body: {
        metadata: { name: 'data' },
        spec: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: '1Gi' } },
        },
      },
    });
    const pending = await core.readNamespacedPersistentVolumeClaim({
      name: 'data',
      namespace: 'web',
    });
    expect(pending.status?.phase).toBe('Pending');
    h.sim.advance(1);
    const bound = await core.readNamespacedPersistentVolumeClaim({
      name: 'data',
      namespace: 'web',
    });
    expect(bound.status).toMatchObject({
      phase: 'Bound',
      capacity: { storage: '1Gi' },
    });
    expect(bound.spec?.volumeName).toBe(`pvc-${bound.metadata?.uid}`);
  });
});
