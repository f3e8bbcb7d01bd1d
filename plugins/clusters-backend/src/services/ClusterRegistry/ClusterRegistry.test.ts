import { mockServices } from '@backstage/backend-test-utils';
import dns from 'node:dns';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readClustersConfig } from '../../config';
import { ConfigReader } from '@backstage/config';
import { ClusterRegistry } from './ClusterRegistry';

describe('ClusterRegistry with supplied clusters', () => {
  it('connects to the address the SSRF guard checked, never to a second DNS answer', async () => {
    // an "internal" service on loopback that a rebinding DNS answer would point at
    let hits = 0;
    const internal = http.createServer((_req, res) => {
      hits++;
      res.end('{"kind":"PodList","items":[],"metadata":{}}');
    });
    await new Promise<void>(r => internal.listen(0, '127.0.0.1', r));
    const port = (internal.address() as AddressInfo).port;
    const answers = [['192.0.2.10'], ['127.0.0.1']]; // public first (checked), then rebound
    const resolve = jest.fn(async () => answers.shift() ?? ['127.0.0.1']);
    // and the system resolver, for any client that asks DNS again, says loopback (rebinding)
    const original = dns.lookup;
    const rebound = jest.spyOn(dns, 'lookup').mockImplementation(((
      host: string,
      opts: any,
      cb: any,
    ) => {
      const callback = typeof opts === 'function' ? opts : cb;
      if (host !== 'cluster.example.test') {
        return (original as any)(host, opts, cb);
      }
      return process.nextTick(() =>
        opts?.all
          ? callback(null, [{ address: '127.0.0.1', family: 4 }])
          : callback(null, '127.0.0.1', 4),
      );
    }) as any);
    const { options } = readClustersConfig(
      new ConfigReader({ clusters: { allowInsecure: true } }),
      { nodeEnv: 'development' },
    );
    const registry = await ClusterRegistry.create({
      configured: [],
      suppliers: [
        {
          id: 'fleet',
          getClusters: async () => [
            {
              name: 'supplied',
              url: `http://cluster.example.test:${port}`,
              auth: { type: 'serviceAccountToken', token: 't' },
              timeouts: { requestMs: 300 },
            },
          ],
        },
      ],
      clustersOptions: {
        ...options,
        ssrf: { ...options.ssrf, resolve } as typeof options.ssrf,
        retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
      },
      logger: mockServices.logger.mock(),
    });
    try {
      const client = registry.get('supplied').client;
      await expect(
        client.request({
          verb: 'list',
          method: 'GET',
          path: '/api/v1/pods',
          retry: 'idempotent',
        }),
      ).rejects.toThrow(/Cluster supplied/);
      expect(resolve).toHaveBeenCalledTimes(1);
      expect(hits).toBe(0);
    } finally {
      rebound.mockRestore();
      await registry.close();
      internal.close();
    }
  });
});
