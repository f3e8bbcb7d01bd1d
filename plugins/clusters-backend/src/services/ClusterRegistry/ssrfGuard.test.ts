import http from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import {
  assertSafeClusterUrl,
  pinnedLookup,
  resolveSafeClusterUrl,
} from './ssrfGuard';

const opts = (extra: object = {}) => ({
  allowedHosts: [],
  allowedCidrs: [],
  resolve: async (host: string) =>
    host === 'internal.example.com' ? ['10.1.2.3'] : ['93.184.216.34'],
  ...extra,
});

describe('assertSafeClusterUrl', () => {
  it.each([
    ['https://127.0.0.1:6443', 'loopback'],
    ['https://localhost:6443', 'loopback name'],
    ['https://[::1]:6443', 'IPv6 loopback'],
    ['https://169.254.169.254', 'link-local metadata'],
    ['https://10.0.0.5', 'private 10/8'],
    ['https://172.20.1.1', 'private 172.16/12'],
    ['https://192.168.1.10', 'private 192.168/16'],
    ['https://[fd00::1]', 'unique local IPv6'],
    ['https://[::ffff:127.0.0.1]', 'IPv4-mapped loopback'],
    ['https://internal.example.com', 'name resolving to a private address'],
  ])('refuses %s (%s)', async url => {
    await expect(assertSafeClusterUrl(url, opts())).rejects.toThrow(
      /loopback, link-local or private/,
    );
  });

  it('refuses plain http and embedded credentials', async () => {
    await expect(
      assertSafeClusterUrl('http://api.example.com', opts()),
    ).rejects.toThrow(/must use https/);
    await expect(
      assertSafeClusterUrl('https://u:p@api.example.com', opts()),
    ).rejects.toThrow(/credentials/);
  });

  it('accepts public https URLs', async () => {
    await expect(
      assertSafeClusterUrl('https://api.example.com:6443', opts()),
    ).resolves.toBeUndefined();
  });

  it('accepts allow-listed hosts and CIDRs', async () => {
    await expect(
      assertSafeClusterUrl(
        'https://internal.example.com',
        opts({ allowedHosts: ['internal.example.com'] }),
      ),
    ).resolves.toBeUndefined();
    await expect(
      assertSafeClusterUrl(
        'https://10.1.2.3',
        opts({ allowedCidrs: ['10.1.0.0/16'] }),
      ),
    ).resolves.toBeUndefined();
    await expect(
      assertSafeClusterUrl(
        'https://10.2.0.1',
        opts({ allowedCidrs: ['10.1.0.0/16'] }),
      ),
    ).rejects.toThrow(/private/);
  });
});

describe('resolveSafeClusterUrl and pinnedLookup (DNS rebinding)', () => {
  /** Answers a public address first, then 127.0.0.1: a rebinding DNS server. */
  function rebinding() {
    const calls: string[] = [];
    const resolve = async (host: string) => {
      calls.push(host);
      return calls.length === 1 ? ['192.0.2.10'] : ['127.0.0.1'];
    };
    return { calls, resolve };
  }

  it('resolves once and answers the addresses it checked', async () => {
    const dns = rebinding();
    await expect(
      resolveSafeClusterUrl(
        'https://Rebind.Example.com:6443',
        opts({ resolve: dns.resolve }),
      ),
    ).resolves.toEqual({
      host: 'rebind.example.com',
      addresses: ['192.0.2.10'],
    });
    expect(dns.calls).toEqual(['rebind.example.com']);
  });

  it('pins nothing for allow-listed hosts and pins IP literals to themselves', async () => {
    await expect(
      resolveSafeClusterUrl(
        'https://internal.example.com',
        opts({ allowedHosts: ['internal.example.com'] }),
      ),
    ).resolves.toEqual({ host: 'internal.example.com' });
    expect(pinnedLookup({ host: 'internal.example.com' })).toBeUndefined();
    await expect(
      resolveSafeClusterUrl('https://93.184.216.34:6443', opts()),
    ).resolves.toEqual({ host: '93.184.216.34', addresses: ['93.184.216.34'] });
  });

  it('looks up only the checked host, only to the checked addresses', async () => {
    const lookup = pinnedLookup({
      host: 'api.example.com',
      addresses: ['192.0.2.10', '2001:db8::1'],
    })!;
    const ask = (host: string, options: object) =>
      new Promise<{ err: any; address: any; family?: number }>(resolve =>
        (lookup as any)(host, options, (err: any, address: any, family: any) =>
          resolve({ err, address, family }),
        ),
      );
    expect(await ask('API.example.com', {})).toEqual({
      err: null,
      address: '192.0.2.10',
      family: 4,
    });
    expect(await ask('api.example.com', { family: 6 })).toMatchObject({
      address: '2001:db8::1',
      family: 6,
    });
    expect(await ask('api.example.com', { all: true })).toMatchObject({
      address: [
        { address: '192.0.2.10', family: 4 },
        { address: '2001:db8::1', family: 6 },
      ],
    });
    expect((await ask('localhost', {})).err).toMatchObject({
      code: 'ENOTFOUND',
    });
  });

  it('keeps a client from reaching 127.0.0.1 when DNS answers it the second time', async () => {
    // a server on loopback that the rebinding DNS would send the client to
    const reached: string[] = [];
    const server = http.createServer((req, res) => {
      reached.push(req.url!);
      res.end('{}');
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const url = `http://rebind.example.com:${port}/version`;
    try {
      const dns = rebinding();
      const checked = await resolveSafeClusterUrl(
        url,
        opts({ resolve: dns.resolve, allowInsecure: true }),
      );

      /** One GET through an agent with `lookup`; the address the socket was sent to. */
      const connect = (lookup: LookupFunction) =>
        new Promise<string>(resolve => {
          const recording = ((host: string, o: any, cb: any) =>
            (lookup as any)(host, o, (err: any, address: any, family: any) => {
              resolve(
                err
                  ? `error ${err.code}`
                  : String(
                      Array.isArray(address) ? address[0].address : address,
                    ),
              );
              cb(err, address, family);
            })) as unknown as LookupFunction;
          const req = http.get(url, {
            agent: new http.Agent({ lookup: recording } as http.AgentOptions),
            timeout: 200,
          });
          req.on('timeout', () => req.destroy());
          req.on('error', () => {});
          req.on('response', res => res.resume());
        });

      // pinned: the checked public address, and no second DNS question
      expect(await connect(pinnedLookup(checked)!)).toBe('192.0.2.10');
      expect(dns.calls).toHaveLength(1);
      expect(reached).toEqual([]);

      // what a client that resolves again would do (the rebinding this pins against)
      const again: LookupFunction = ((host: string, o: any, cb: any) =>
        dns
          .resolve(host)
          .then(([address]) =>
            o?.all ? cb(null, [{ address, family: 4 }]) : cb(null, address, 4),
          )) as unknown as LookupFunction;
      expect(await connect(again)).toBe('127.0.0.1');
      for (let i = 0; reached.length === 0 && i < 200; i++) {
        await new Promise(r => setTimeout(r, 10));
      }
      expect(reached).toEqual(['/version']);
    } finally {
      server.closeAllConnections();
      await new Promise(r => server.close(r));
    }
  });
});
