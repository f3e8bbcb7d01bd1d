import {
  CoreV1Api,
  CustomObjectsApi,
  makeInformer,
  V1Pod,
} from '@kubernetes/client-node';
import { setupServer } from 'msw/node';
import { createSimulatorHandlers } from './msw';
import {
  eventually,
  kubeConfigFor,
  testScenario,
} from './__testUtils__/testUtils';

describe('msw handlers over the in-memory store', () => {
  const sim = createSimulatorHandlers({
    scenario: testScenario(),
    bookmarkIntervalMs: 50,
  });
  const server = setupServer(...sim.handlers);
  beforeAll(() => {
    server.listen({ onUnhandledRequest: 'error' });
    sim.simulation.advance(30);
  });
  afterAll(() => {
    server.close();
    sim.simulation.dispose();
  });

  it('serves the cluster at a fake URL with the same semantics', async () => {
    expect(sim.clusters[0].url).toBe('https://alpha.sim.local');
    const core = kubeConfigFor(sim.clusters[0]).makeApiClient(CoreV1Api);
    const pods = await core.listNamespacedPod({
      namespace: 'web',
      labelSelector: 'app=web',
    });
    expect(pods.items).toHaveLength(2);
    expect(pods.items.every(p => p.status?.phase === 'Running')).toBe(true);
    await expect(
      kubeConfigFor(sim.clusters[0], 'bad')
        .makeApiClient(CoreV1Api)
        .listNamespace(),
    ).rejects.toMatchObject({ code: 401 });
    const beta = kubeConfigFor(sim.clusters[1]).makeApiClient(CustomObjectsApi);
    await expect(
      beta.listClusterCustomObject({
        group: 'argoproj.io',
        version: 'v1alpha1',
        plural: 'rollouts',
      }),
    ).rejects.toMatchObject({ code: 404 });
  });

  it('streams watches to an informer in-process', async () => {
    const kc = kubeConfigFor(sim.clusters[0]);
    const core = kc.makeApiClient(CoreV1Api);
    const informer = makeInformer<V1Pod>(
      kc,
      '/api/v1/namespaces/web/pods',
      () => core.listNamespacedPod({ namespace: 'web' }),
    );
    await informer.start();
    expect(informer.list('web')).toHaveLength(2);
    sim.simulation
      .cluster('alpha')
      .mutate('apps', 'Deployment', 'web', 'web', d => {
        d.spec.replicas = 3;
      });
    sim.simulation.advance(10);
    await eventually(
      () => informer.list('web').length === 3,
      'third pod via watch',
    );
    await informer.stop();
  });

  it('applies faults to msw requests too', async () => {
    const core = kubeConfigFor(sim.clusters[0]).makeApiClient(CoreV1Api);
    sim.simulation
      .faults('alpha')
      .set({ throttleRate: 1, retryAfterSeconds: 2 });
    await expect(core.listNamespace()).rejects.toMatchObject({ code: 429 });
    sim.simulation.faults('alpha').clear();
  });
});
