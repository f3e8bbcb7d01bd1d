import { NotAllowedError } from '@backstage/errors';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP, LookupFunction } from 'node:net';

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
 * What {@link resolveSafeClusterUrl} checked: the host and the addresses it resolved to, the only
 * ones a connection may use (`undefined` for an allow-listed host, which is not resolved here).
 * @internal
 */
export interface CheckedClusterUrl {
  host: string;
  addresses?: string[];
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
  await resolveSafeClusterUrl(url, options);
}

/**
 * {@link assertSafeClusterUrl}, answering what it checked. The host is resolved once; a client
 * that connects through {@link pinnedLookup} of the answer uses exactly the checked addresses, so
 * a second DNS answer (rebinding to 127.0.0.1) is never asked for.
 * @internal
 */
export async function resolveSafeClusterUrl(
  url: string,
  options: SsrfGuardOptions,
): Promise<CheckedClusterUrl> {
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
  if (options.allowedHosts.map(h => h.toLowerCase()).includes(host)) {
    return { host };
  }

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

  const addresses: string[] = isIP(host)
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
  if (addresses.length === 0) {
    throw new NotAllowedError(
      `Cluster URL host '${host}' resolves to no address`,
    );
  }
  return { host, addresses: [...new Set(addresses)] };
}

const FAMILIES: Record<string, number> = { IPv4: 4, IPv6: 6, 4: 4, 6: 6 };

/**
 * A `lookup` for an http(s) agent that answers the addresses {@link resolveSafeClusterUrl}
 * checked, and only for the host it checked: no second DNS query, so no rebinding. TLS still
 * verifies the certificate against the host name, since the URL keeps it. Undefined when nothing
 * was pinned (allow-listed hosts resolve as usual).
 * @internal
 */
export function pinnedLookup(
  checked: CheckedClusterUrl,
): LookupFunction | undefined {
  const pinned = checked.addresses;
  if (!pinned) return undefined;
  const answer = (
    hostname: string,
    options: LookupOptions,
    callback: (
      err: NodeJS.ErrnoException | null,
      address: string | LookupAddress[],
      family?: number,
    ) => void,
  ) => {
    const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const family = FAMILIES[String(options?.family ?? 0)] ?? 0;
    const candidates = pinned
      .map(address => ({ address, family: isIP(address) }))
      .filter(a => host === checked.host && (!family || a.family === family));
    // like dns.lookup, always answer asynchronously (net emits 'lookup' from the callback)
    process.nextTick(() => {
      if (candidates.length === 0) {
        const error: NodeJS.ErrnoException = new Error(
          `${hostname} is not the checked cluster host`,
        );
        error.code = 'ENOTFOUND';
        callback(error, '', undefined);
      } else if (options?.all) {
        callback(null, candidates);
      } else {
        callback(null, candidates[0].address, candidates[0].family);
      }
    });
  };
  return answer as unknown as LookupFunction;
}
