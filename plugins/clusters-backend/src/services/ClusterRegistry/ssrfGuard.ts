import { NotAllowedError } from '@backstage/errors';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

const blocked = new BlockList();
// loopback, "this network", private (RFC 1918), CGNAT, link-local (incl. cloud metadata),
// benchmarking, multicast / reserved
blocked.addSubnet('127.0.0.0', 8, 'ipv4');
blocked.addSubnet('0.0.0.0', 8, 'ipv4');
blocked.addSubnet('10.0.0.0', 8, 'ipv4');
blocked.addSubnet('172.16.0.0', 12, 'ipv4');
blocked.addSubnet('192.168.0.0', 16, 'ipv4');
blocked.addSubnet('100.64.0.0', 10, 'ipv4');
blocked.addSubnet('169.254.0.0', 16, 'ipv4');
blocked.addSubnet('198.18.0.0', 15, 'ipv4');
blocked.addSubnet('224.0.0.0', 3, 'ipv4');
blocked.addAddress('::1', 'ipv6');
blocked.addAddress('::', 'ipv6');
blocked.addSubnet('fc00::', 7, 'ipv6');
blocked.addSubnet('fe80::', 10, 'ipv6');
blocked.addSubnet('ff00::', 8, 'ipv6');

/**
 * Options of {@link assertSafeClusterUrl}.
 * @internal
 */
export interface SsrfGuardOptions {
  /** Host names allowed even if they resolve to a blocked range. */
  allowedHosts: string[];
  /** CIDRs (`10.20.0.0/16`, `fd00::/8`) allowed even though they are private. */
  allowedCidrs: string[];
  /** Allow plain http (explicit escape hatch). */
  allowInsecure?: boolean;
  /** DNS resolution, injectable for tests. */
  resolve?: (host: string) => Promise<string[]>;
}

function unmapIPv4(address: string): string {
  const m = address.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i);
  return m ? m[1] : address;
}

function isBlocked(address: string, allowed: BlockList): boolean {
  const a = unmapIPv4(address);
  const family = isIP(a) === 6 ? 'ipv6' : 'ipv4';
  if (allowed.check(a, family)) return false;
  return blocked.check(a, family);
}

/**
 * Refuses API server URLs that came from outside config (catalog, suppliers) when they point at
 * loopback, link-local or private addresses (directly or through DNS), unless allow-listed, and
 * plain http unless `allowInsecure`. Config URLs are the operator's and are not checked.
 * @internal
 */
export async function assertSafeClusterUrl(
  url: string,
  options: SsrfGuardOptions,
): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new NotAllowedError(`Cluster URL '${url}' is not a valid URL`);
  }
  if (
    parsed.protocol !== 'https:' &&
    !(parsed.protocol === 'http:' && options.allowInsecure)
  ) {
    throw new NotAllowedError(`Cluster URL '${parsed.origin}' must use https`);
  }
  if (parsed.username || parsed.password) {
    throw new NotAllowedError(
      `Cluster URL '${parsed.host}' must not carry credentials`,
    );
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (options.allowedHosts.map(h => h.toLowerCase()).includes(host)) return;

  const allowed = new BlockList();
  for (const cidr of options.allowedCidrs) {
    const [base, bits] = cidr.split('/');
    const family = isIP(base) === 6 ? 'ipv6' : 'ipv4';
    allowed.addSubnet(
      base,
      Number(bits ?? (family === 'ipv6' ? 128 : 32)),
      family,
    );
  }

  const addresses = isIP(host)
    ? [host]
    : await (
        options.resolve ??
        (async (h: string) =>
          (await lookup(h, { all: true })).map(r => r.address))
      )(host);
  if (host === 'localhost' || host.endsWith('.localhost'))
    addresses.push('127.0.0.1');
  for (const address of addresses) {
    if (isBlocked(address, allowed)) {
      throw new NotAllowedError(
        `Cluster URL host '${host}' resolves to a loopback, link-local or private address (${address}); allow-list it in clusters.ssrf.allowedHosts or clusters.ssrf.allowedCidrs`,
      );
    }
  }
}
