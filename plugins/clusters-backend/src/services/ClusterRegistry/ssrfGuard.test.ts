import { assertSafeClusterUrl } from './ssrfGuard';

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
