import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { setupServer } from 'msw/node';
import { createSimulatorHandlers } from '../msw';
import { conformanceScenario } from '../__testUtils__/conformance';
import { kubeConfigFor } from '../__testUtils__/testUtils';

/*
 * Conformance through msw: the handlers share the request handler with the
 * HTTP server (src/api/handler.ts), so the same answers come back in-process.
 */
describe('conformance: msw handlers answer like the HTTP server', () => {
  const sim = createSimulatorHandlers({ scenario: conformanceScenario() });
  const server = setupServer(...sim.handlers);
  const url = sim.clusters[0].url;
  const token = sim.clusters[0].token;
  beforeAll(() => {
    server.listen({ onUnhandledRequest: 'error' });
    sim.simulation.advance(30);
  });
  afterAll(() => {
    server.close();
    sim.simulation.dispose();
  });
  const get = (path: string, auth: string | null = token) =>
    fetch(`${url}${path}`, {
      headers: auth === null ? {} : { authorization: `Bearer ${auth}` },
    });

  it('lists built-in items without kind', async () => {
    const body = await (await get('/api/v1/namespaces/web/pods')).json();
    expect(body.kind).toBe('PodList');
    expect(body.items[0].kind).toBeUndefined();
  });

  it('answers plain-text 404 past the CRD handler', async () => {
    const res = await fetch(
      `${sim.clusters[1].url}/apis/argoproj.io/v1alpha1/rollouts`,
      { headers: { authorization: `Bearer ${sim.clusters[1].token}` } },
    );
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toBe('404 page not found\n');
  });

  it('answers 403 for anonymous and 401 for a bad token', async () => {
    expect((await get('/api/v1/namespaces', null)).status).toBe(403);
    expect((await get('/api/v1/namespaces', 'bad')).status).toBe(401);
    const kc: KubeConfig = kubeConfigFor(sim.clusters[0], 'bad');
    await expect(
      kc.makeApiClient(CoreV1Api).listNamespace(),
    ).rejects.toMatchObject({
      code: 401,
    });
  });

  it('answers 204 with no body for the logs of an unscheduled pod', async () => {
    await fetch(`${url}/api/v1/namespaces/web/pods`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        metadata: { name: 'pending' },
        spec: { containers: [{ name: 'c', image: 'c:1' }] },
      }),
    });
    const res = await get('/api/v1/namespaces/web/pods/pending/log');
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
  });

  it('passes the Warning header of a pruned custom resource field', async () => {
    const res = await fetch(
      `${url}/apis/argoproj.io/v1alpha1/namespaces/web/analysisruns`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'AnalysisRun',
          metadata: { name: 'ar', bogus: true },
          spec: {},
        }),
      },
    );
    expect(res.status).toBe(201);
    expect(res.headers.get('warning')).toBe(
      '299 - "unknown field \\"metadata.bogus\\""',
    );
  });
});
