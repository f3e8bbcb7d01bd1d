import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { setupServer } from 'msw/node';
import { FakeApiServer, pod } from '../../__testUtils__/FakeApiServer';
import { KubeClient } from './KubeClient';

const server = setupServer();
registerMswTestHooks(server);

function setup(
  extra: { requestMs?: number; failureThreshold?: number; url?: string } = {},
) {
  const api = new FakeApiServer(extra.url ?? 'https://k.test', 'tok');
  server.use(...api.handlers());
  const sleeps: number[] = [];
  const client = KubeClient.create(
    {
      name: 'k',
      url: api.baseUrl,
      auth: { type: 'serviceAccountToken', token: 'tok' },
      timeouts: { requestMs: extra.requestMs ?? 2000 },
    },
    {
      retry: { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 10_000 },
      circuitBreaker: {
        failureThreshold: extra.failureThreshold ?? 5,
        cooldownMs: 60_000,
      },
      logger: mockServices.logger.mock(),
      sleep: async ms => {
        sleeps.push(ms);
      },
    },
  );
  return { api, client, sleeps };
}

const get = {
  verb: 'get',
  method: 'GET',
  path: '/api/v1/namespaces/a/pods/a-1',
  retry: 'idempotent',
} as const;

describe('KubeClient', () => {
  it('sends the bearer token and parses the answer', async () => {
    const { api, client } = setup();
    api.add('/api/v1/pods', pod('a-1', 'a'));
    await expect(client.request(get)).resolves.toMatchObject({
      metadata: { name: 'a-1' },
    });
    expect(api.requests[0].headers.get('authorization')).toBe('Bearer tok');
    expect(client.health()).toMatchObject({
      status: 'healthy',
      circuit: 'closed',
    });
    expect(client.requests.get).toBe(1);
  });

  it('talks to a plain-http API server (allowed outside production by config validation)', async () => {
    // client-node refuses http:// servers without skipTLSVerify; found against the simulator
    const { api, client } = setup({ url: 'http://k.test' });
    api.add('/api/v1/pods', pod('a-1', 'a'));
    await expect(client.request(get)).resolves.toMatchObject({
      metadata: { name: 'a-1' },
    });
    expect(api.requests[0].headers.get('authorization')).toBe('Bearer tok');
  });

  it('backs off on 429 honouring Retry-After, then succeeds', async () => {
    const { api, client, sleeps } = setup();
    api.add('/api/v1/pods', pod('a-1', 'a'));
    api.throttle = { remaining: 2, retryAfter: '3' };
    await expect(client.request(get)).resolves.toMatchObject({
      metadata: { name: 'a-1' },
    });
    expect(sleeps).toEqual([3000, 3000]);
    expect(client.throttled).toBe(2);
    expect(client.requests.get).toBe(3);
  });

  it('gives up after the retries with a clear error', async () => {
    const { api, client, sleeps } = setup();
    api.throttle = { remaining: 10, retryAfter: '1' };
    await expect(client.request(get)).rejects.toThrow(
      'Cluster k is throttling requests (429)',
    );
    expect(sleeps).toEqual([1000, 1000, 1000]);
  });

  it('bounds a hanging API server by the request timeout', async () => {
    const { api, client } = setup({ requestMs: 50 });
    api.hang = true;
    await expect(
      client.request({ ...get, retry: 'throttled-only' }),
    ).rejects.toThrow('Cluster k did not answer within 50 ms');
    expect(client.health()).toMatchObject({ status: 'unavailable' });
  });

  it('opens the circuit after repeated failures and fails fast', async () => {
    const { api, client } = setup({ requestMs: 30, failureThreshold: 2 });
    api.hang = true;
    await expect(client.request(get)).rejects.toThrow(/did not answer/);
    const before = api.requests.length;
    await expect(client.request(get)).rejects.toThrow(
      /circuit open; next probe in \d+ s; last error: Cluster k did not answer within 30 ms/,
    );
    expect(api.requests.length).toBe(before);
    expect(client.health().circuit).toBe('open');
  });

  it('maps Kubernetes Status failures to Backstage errors', async () => {
    const { client } = setup();
    await expect(client.request(get)).rejects.toMatchObject({
      name: 'NotFoundError',
      message: 'Cluster k: a/a-1 not found',
    });
  });
});
