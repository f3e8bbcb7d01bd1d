import { CoreV1Api, KubeConfig, VersionApi } from '@kubernetes/client-node';
import { request } from 'node:https';
import { RunningSimulator, startSimulator } from './server';
import { testScenario } from './__testUtils__/testUtils';
import {
  TEST_CA_PEM,
  TEST_SERVER_CERT_PEM,
  TEST_SERVER_KEY_PEM,
} from './__testUtils__/tls';

/*
 * TLS: with `tls` the clusters serve https, as kube-apiserver does, and a client trusts them
 * through the CA it is given (certificate-authority-data), never by skipping verification.
 */
describe('simulator over TLS', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({
      scenario: testScenario(),
      ports: 'ephemeral',
      speed: 0,
      tls: { cert: TEST_SERVER_CERT_PEM, key: TEST_SERVER_KEY_PEM },
    });
  });
  afterAll(() => sim.stop());

  const kubeConfig = (caData?: string) => {
    const [alpha] = sim.clusters;
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'alpha', server: alpha.url, caData }],
      users: [{ name: 'tester', token: alpha.token }],
      contexts: [{ name: 'alpha', cluster: 'alpha', user: 'tester' }],
      currentContext: 'alpha',
    });
    return kc;
  };

  it('serves the clusters on https URLs', () => {
    for (const c of sim.clusters)
      expect(c.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.controlUrl).toMatch(/^http:\/\//);
  });

  it('answers a client that trusts the CA (caData)', async () => {
    const kc = kubeConfig(Buffer.from(TEST_CA_PEM).toString('base64'));
    const version = await kc.makeApiClient(VersionApi).getCode();
    expect(version.gitVersion).toBe('v1.32.4');
    const pods = await kc
      .makeApiClient(CoreV1Api)
      .listNamespacedPod({ namespace: 'web' });
    expect(pods.items.length).toBeGreaterThan(0);
  });

  it('is refused by a client that does not trust the CA', async () => {
    const error = await new Promise<NodeJS.ErrnoException>(resolve => {
      const req = request(`${sim.clusters[0].url}/version`, () =>
        resolve(new Error('answered without a trusted CA')),
      );
      req.on('error', resolve);
      req.end();
    });
    expect(error.code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });
});
