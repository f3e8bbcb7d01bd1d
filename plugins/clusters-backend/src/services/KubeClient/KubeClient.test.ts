import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { http, HttpResponse, passthrough } from 'msw';
import { createServer } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
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
    // a timed-out attempt used the whole budget: it is not retried, each call is one failure
    await expect(client.request(get)).rejects.toThrow(/did not answer/);
    await expect(client.request(get)).rejects.toThrow(/did not answer/);
    const before = api.requests.length;
    await expect(client.request(get)).rejects.toThrow(
      /circuit open; next probe in \d+ s; last error: Cluster k did not answer within 30 ms/,
    );
    expect(api.requests.length).toBe(before);
    expect(client.health().circuit).toBe('open');
  });

  it('does not retry a timed-out read: one request timeout bounds the call', async () => {
    const { api, client, sleeps } = setup({ requestMs: 50 });
    api.hang = true;
    await expect(client.request(get)).rejects.toThrow(
      'Cluster k did not answer within 50 ms',
    );
    expect(api.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('still retries a read that failed fast (5xx) within the budget', async () => {
    const { api, client } = setup();
    api.add('/api/v1/pods', pod('a-1', 'a'));
    server.use(
      http.get(
        'https://k.test/api/v1/namespaces/a/pods/a-1',
        () =>
          HttpResponse.json(
            { kind: 'Status', code: 503, message: 'busy' },
            { status: 503 },
          ),
        { once: true },
      ),
    );
    await expect(client.request(get)).resolves.toMatchObject({
      metadata: { name: 'a-1' },
    });
    expect(client.requests.get).toBe(2);
  });

  it.each([
    [401, 'Unauthorized'],
    [
      403,
      'pods "a-1" is forbidden: User "system:anonymous" cannot get resource',
    ],
  ])(
    "says a %s on a read is Careplane's credentials, with the fix",
    async (code, message) => {
      const { client } = setup();
      server.use(
        http.get('https://k.test/api/v1/namespaces/a/pods/a-1', () =>
          HttpResponse.json(
            { kind: 'Status', code, message },
            { status: code },
          ),
        ),
      );
      await expect(client.request(get)).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: `Cluster k refused Careplane's credentials (HTTP ${code}: ${message}); check clusters.locations[].auth (token, kubeconfig) and the RBAC of Careplane's service account`,
      });
      expect(client.health().error?.message).toMatch(
        /refused Careplane's credentials/,
      );
    },
  );

  it('keeps the server message of a 403 on a write (admission, quota)', async () => {
    const { client } = setup();
    server.use(
      http.patch('https://k.test/api/v1/namespaces/a/pods/a-1', () =>
        HttpResponse.json(
          { kind: 'Status', code: 403, message: 'exceeded quota: q' },
          { status: 403 },
        ),
      ),
    );
    await expect(
      client.request({
        ...get,
        method: 'PATCH',
        verb: 'patch',
        body: {},
        retry: 'throttled-only',
      }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: 'Cluster k: exceeded quota: q',
    });
  });

  it('lets the probe through an open circuit, and its success closes it', async () => {
    const { api, client } = setup({ requestMs: 30, failureThreshold: 1 });
    api.hang = true;
    await expect(client.request(get)).rejects.toThrow(/did not answer/);
    expect(client.health().circuit).toBe('open');
    await expect(client.request(get)).rejects.toThrow(/circuit open/);
    api.hang = false;
    await expect(
      client.request({
        verb: 'get',
        method: 'GET',
        path: '/version',
        retry: 'throttled-only',
        probe: true,
      }),
    ).resolves.toMatchObject({ gitVersion: expect.any(String) });
    expect(client.health()).toMatchObject({
      status: 'healthy',
      circuit: 'closed',
    });
  });

  it("connects to the addresses its lookup answers, not DNS's", async () => {
    const api = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ gitVersion: 'v1.30.2' }));
    });
    await new Promise<void>(r => api.listen(0, '127.0.0.1', () => r()));
    try {
      const { port } = api.address() as AddressInfo;
      server.use(http.all(/^http:\/\/pinned\.invalid:/, () => passthrough()));
      const asked: string[] = [];
      const lookup = ((hostname, options, callback) => {
        asked.push(hostname);
        process.nextTick(() =>
          (options as { all?: boolean }).all
            ? callback(null, [{ address: '127.0.0.1', family: 4 }])
            : (callback as any)(null, '127.0.0.1', 4),
        );
      }) as LookupFunction;
      const client = KubeClient.create(
        {
          name: 'k',
          url: `http://pinned.invalid:${port}`,
          auth: { type: 'serviceAccountToken', token: 'tok' },
        },
        {
          retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
          circuitBreaker: { failureThreshold: 5, cooldownMs: 1000 },
          logger: mockServices.logger.mock(),
          lookup,
        },
      );
      await expect(
        client.request({
          verb: 'get',
          method: 'GET',
          path: '/version',
          retry: 'throttled-only',
        }),
      ).resolves.toEqual({ gitVersion: 'v1.30.2' });
      expect(asked).toEqual(['pinned.invalid']);
      await client.close();
    } finally {
      await new Promise(r => api.close(r));
    }
  });

  it('maps Kubernetes Status failures to Backstage errors', async () => {
    const { client } = setup();
    await expect(client.request(get)).rejects.toMatchObject({
      name: 'NotFoundError',
      message: 'Cluster k: a/a-1 not found',
    });
  });
});
