import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { STREAM_HEARTBEAT_MS } from '@careplane/plugin-clusters-common';
import type {
  ClusterAuth,
  ClusterDefinition,
} from '@careplane/plugin-clusters-node';
import { KubeConfig } from '@kubernetes/client-node';
import {
  DEFAULT_WRITE_SCOPE,
  WriteScopeOptions,
} from './services/WriteScope/WriteScope';

/**
 * Tuning that applies to every cluster.
 * @internal
 */
export interface ClustersOptions {
  allowInsecure: boolean;
  production: boolean;
  ssrf: { allowedHosts: string[]; allowedCidrs: string[] };
  cache: {
    idleTimeoutMs: number;
    crdRecheckIntervalMs: number;
    entityTtlMs: number;
    /** Start the informers of the entity pages' kinds at backend start (default true). */
    warmOnStart: boolean;
    /** First syncs by streaming list (WatchList), paged LIST where refused (default true). */
    watchList: boolean;
  };
  retry: { maxRetries: number; baseDelayMs: number; maxDelayMs: number };
  circuitBreaker: { failureThreshold: number; cooldownMs: number };
  stream: { heartbeatMs: number };
  probe: { intervalMs: number };
  writeScope: WriteScopeOptions;
  /** Calls per person per minute, by bucket (`write`, `logs`); 0 means unlimited. */
  rateLimit: { write: number; logs: number };
  defaults: Required<NonNullable<ClusterDefinition['timeouts']>>;
}

/**
 * A cluster's Prometheus-compatible metrics source (`clusters.locations[].metrics`).
 * @internal
 */
export interface MetricsSource {
  /** Base URL; the client appends `/api/v1/query` and `/api/v1/query_range`. */
  url: string;
  auth?: { type: 'bearerToken'; token: string };
  /**
   * Set when one source serves several clusters (Thanos, Mimir, the simulator): only series whose
   * label of this name equals the cluster's name are that cluster's.
   */
  clusterLabel?: string;
  /** The cluster's request timeout. */
  timeoutMs: number;
}

/**
 * Everything the plugin reads from `clusters.*`, validated.
 * @internal
 */
export interface ClustersConfig {
  locations: ClusterDefinition[];
  /** Metrics sources by cluster name (only clusters that have one). */
  metrics: Record<string, MetricsSource>;
  options: ClustersOptions;
}

const AUTH_TYPES = ['serviceAccountToken', 'kubeconfig', 'inCluster'];
const NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function ms(config: Config, key: string, fallback: number): number {
  if (!config.has(key)) return fallback;
  return durationToMilliseconds(readDurationFromConfig(config, { key }));
}

function readAuth(location: Config, where: string): ClusterAuth {
  const type = location.getOptionalString('auth.type');
  if (!type) {
    throw new Error(
      `${where}: 'auth.type' is required (one of ${AUTH_TYPES.join(', ')})`,
    );
  }
  switch (type) {
    case 'serviceAccountToken':
      return { type, token: location.getString('auth.token') };
    case 'kubeconfig':
      return {
        type,
        path: location.getString('auth.path'),
        context: location.getOptionalString('auth.context'),
      };
    case 'inCluster':
      return { type };
    default:
      throw new Error(
        `${where}: unknown auth type '${type}'; expected one of ${AUTH_TYPES.join(
          ', ',
        )}`,
      );
  }
}

/**
 * The production check of `url` and `skipTLSVerify`, for a kubeconfig: KubeClient reads the file
 * only at the first call, so it is read here once at start, with the same context, and its
 * current cluster must be https with TLS verified.
 */
function assertSecureKubeconfig(
  auth: Extract<ClusterAuth, { type: 'kubeconfig' }>,
  where: string,
) {
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(auth.path);
  } catch (e) {
    throw new Error(
      `${where}: cannot read the kubeconfig '${
        auth.path
      }' to check it is not insecure (${
        (e as Error).message
      }); in production it must be readable at start`,
    );
  }
  if (auth.context) kc.setCurrentContext(auth.context);
  const context = auth.context ?? kc.getCurrentContext();
  const cluster = kc.getCurrentCluster();
  if (!cluster) {
    throw new Error(
      `${where}: the kubeconfig '${auth.path}' has no cluster for context '${context}'; set 'auth.context' to a context of that file`,
    );
  }
  const what = `cluster '${cluster.name}' (context '${context}') of the kubeconfig '${auth.path}'`;
  if (!/^https:/i.test(cluster.server)) {
    throw new Error(
      `${where}: ${what} has a plain http:// server, refused in production; point it at the https endpoint (with certificate-authority-data), or set clusters.allowInsecure: true`,
    );
  }
  if (cluster.skipTLSVerify) {
    throw new Error(
      `${where}: ${what} sets insecure-skip-tls-verify, refused in production; remove it and give certificate-authority(-data), or set clusters.allowInsecure: true`,
    );
  }
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function readMetrics(
  location: Config,
  where: string,
  insecureRefused: boolean,
  timeoutMs: number,
): MetricsSource | undefined {
  const metrics = location.getOptionalConfig('metrics');
  if (!metrics) return undefined;
  const url = metrics.getOptionalString('url');
  if (!url) throw new Error(`${where}: 'metrics.url' is required`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${where}: 'metrics.url' is not a valid URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new Error(`${where}: 'metrics.url' must be http(s)`);
  }
  if (parsed.username || parsed.password || parsed.search || parsed.hash) {
    throw new Error(
      `${where}: 'metrics.url' must be a plain base URL (no credentials, query or fragment); put a token in 'metrics.auth'`,
    );
  }
  if (insecureRefused && parsed.protocol === 'http:') {
    throw new Error(
      `${where}: plain http:// 'metrics.url' is refused in production; use https or set clusters.allowInsecure: true`,
    );
  }
  const type = metrics.getOptionalString('auth.type');
  let auth: MetricsSource['auth'];
  if (type === 'bearerToken') {
    auth = { type, token: metrics.getString('auth.token') };
  } else if (type !== undefined) {
    throw new Error(
      `${where}: unknown 'metrics.auth.type' '${type}'; expected bearerToken (or no 'metrics.auth')`,
    );
  }
  const clusterLabel = metrics.getOptionalString('clusterLabel');
  if (clusterLabel !== undefined && !LABEL_NAME.test(clusterLabel)) {
    throw new Error(
      `${where}: 'metrics.clusterLabel' must be a Prometheus label name`,
    );
  }
  return {
    url: url.replace(/\/+$/, ''),
    auth,
    clusterLabel,
    timeoutMs,
  };
}

function stringMap(
  config: Config | undefined,
  key: string,
  fallback: Record<string, string>,
): Record<string, string> {
  const sub = config?.getOptionalConfig(key);
  if (!sub) return fallback;
  const out: Record<string, string> = {};
  for (const k of sub.keys()) out[k] = sub.getString(k);
  return out;
}

function readWriteScope(root: Config | undefined): WriteScopeOptions {
  const scope = root?.getOptionalConfig('writeScope');
  const d = DEFAULT_WRITE_SCOPE;
  const ns = scope?.getOptionalConfig('newNamespace');
  const options: WriteScopeOptions = {
    ownerKinds: scope?.getOptionalStringArray('ownerKinds') ?? d.ownerKinds,
    systemNamespaces:
      scope?.getOptionalStringArray('systemNamespaces') ?? d.systemNamespaces,
    newNamespace: {
      labels: stringMap(ns, 'labels', d.newNamespace.labels),
      annotations: stringMap(ns, 'annotations', d.newNamespace.annotations),
      allowedLabels:
        ns?.getOptionalStringArray('allowedLabels') ??
        d.newNamespace.allowedLabels,
      allowedAnnotations:
        ns?.getOptionalStringArray('allowedAnnotations') ??
        d.newNamespace.allowedAnnotations,
    },
  };
  const secretLike = ['Secret', 'Role', 'RoleBinding', 'ClusterRole'];
  const risky = options.ownerKinds.filter(k => secretLike.includes(k));
  if (
    risky.length > 0 &&
    !(scope?.getOptionalBoolean('allowSecretsAndRbac') ?? false)
  ) {
    throw new Error(
      `clusters.writeScope.ownerKinds: ${risky.join(
        ', ',
      )} let a service owner read secrets or grant themselves access; remove them, or set clusters.writeScope.allowSecretsAndRbac: true if you mean it`,
    );
  }
  return options;
}

function readRate(root: Config | undefined, key: string, fallback: number) {
  const value = root?.getOptionalNumber(`rateLimit.${key}`) ?? fallback;
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(
      `clusters.rateLimit.${key} must be a whole number of calls per minute (0 for no limit), not ${value}`,
    );
  }
  return value;
}

/**
 * Reads and validates `clusters` config. Throws an error naming the location and the key when the
 * config is wrong, so the backend refuses to start.
 * @internal
 */
export function readClustersConfig(
  config: Config,
  env: { nodeEnv?: string } = { nodeEnv: process.env.NODE_ENV },
): ClustersConfig {
  const root = config.getOptionalConfig('clusters');
  const production = env.nodeEnv === 'production';
  const allowInsecure = root?.getOptionalBoolean('allowInsecure') ?? false;
  const defaults = {
    requestMs: root ? ms(root, 'timeouts.request', 5000) : 5000,
    firstSyncMs: root ? ms(root, 'timeouts.firstSync', 5000) : 5000,
    watchIdleMs: root ? ms(root, 'timeouts.watchIdle', 90_000) : 90_000,
  };

  const seen = new Set<string>();
  const metrics: Record<string, MetricsSource> = {};
  const locations = (root?.getOptionalConfigArray('locations') ?? []).map(
    (location, i) => {
      const name = location.getOptionalString('name');
      if (!name)
        throw new Error(`clusters.locations[${i}]: 'name' is required`);
      const where = `clusters.locations[${i}] (${name})`;
      if (!NAME.test(name)) {
        throw new Error(
          `${where}: 'name' must be a DNS label (lower-case letters, digits, '-')`,
        );
      }
      if (seen.has(name))
        throw new Error(`${where}: duplicate cluster name '${name}'`);
      seen.add(name);

      const auth = readAuth(location, where);
      if (auth.type === 'kubeconfig' && production && !allowInsecure) {
        assertSecureKubeconfig(auth, where);
      }
      const url = location.getOptionalString('url');
      if (!url && auth.type === 'serviceAccountToken') {
        throw new Error(
          `${where}: 'url' is required for auth type serviceAccountToken`,
        );
      }
      if (url) {
        let parsed: URL;
        try {
          parsed = new URL(url);
        } catch {
          throw new Error(`${where}: 'url' is not a valid URL`);
        }
        if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
          throw new Error(`${where}: 'url' must be http(s)`);
        }
        if (production && parsed.protocol === 'http:' && !allowInsecure) {
          throw new Error(
            `${where}: plain http:// API server URLs are refused in production; use https or set clusters.allowInsecure: true`,
          );
        }
      }
      const skipTLSVerify =
        location.getOptionalBoolean('skipTLSVerify') ?? false;
      if (production && skipTLSVerify && !allowInsecure) {
        throw new Error(
          `${where}: 'skipTLSVerify: true' is refused in production; configure caData / caFile, or set clusters.allowInsecure: true`,
        );
      }
      const labelsConfig = location.getOptionalConfig('labels');
      const labels: Record<string, string> = {};
      for (const key of labelsConfig?.keys() ?? []) {
        const value = labelsConfig!.get(key);
        if (typeof value === 'object') {
          throw new Error(
            `${where}: label '${key}' must be a string, number or boolean`,
          );
        }
        labels[key] = String(value);
      }
      const timeouts = {
        requestMs: ms(location, 'timeouts.request', defaults.requestMs),
        firstSyncMs: ms(location, 'timeouts.firstSync', defaults.firstSyncMs),
        watchIdleMs: ms(location, 'timeouts.watchIdle', defaults.watchIdleMs),
      };
      const source = readMetrics(
        location,
        where,
        production && !allowInsecure,
        timeouts.requestMs,
      );
      if (source) metrics[name] = source;
      return {
        name,
        title: location.getOptionalString('title'),
        url,
        auth,
        caData: location.getOptionalString('caData'),
        caFile: location.getOptionalString('caFile'),
        skipTLSVerify,
        labels,
        timeouts,
      } satisfies ClusterDefinition;
    },
  );

  const options: ClustersOptions = {
    allowInsecure,
    production,
    ssrf: {
      allowedHosts: root?.getOptionalStringArray('ssrf.allowedHosts') ?? [],
      allowedCidrs: root?.getOptionalStringArray('ssrf.allowedCidrs') ?? [],
    },
    cache: {
      idleTimeoutMs: root
        ? ms(root, 'cache.idleTimeout', 15 * 60_000)
        : 15 * 60_000,
      crdRecheckIntervalMs: root
        ? ms(root, 'cache.crdRecheckInterval', 5 * 60_000)
        : 5 * 60_000,
      entityTtlMs: root ? ms(root, 'cache.entityTtl', 30_000) : 30_000,
      warmOnStart: root?.getOptionalBoolean('cache.warmOnStart') ?? true,
      watchList: root?.getOptionalBoolean('cache.watchList') ?? true,
    },
    retry: {
      maxRetries: root?.getOptionalNumber('retry.maxRetries') ?? 3,
      baseDelayMs: root ? ms(root, 'retry.baseDelay', 200) : 200,
      maxDelayMs: root ? ms(root, 'retry.maxDelay', 10_000) : 10_000,
    },
    circuitBreaker: {
      failureThreshold:
        root?.getOptionalNumber('circuitBreaker.failureThreshold') ?? 5,
      cooldownMs: root ? ms(root, 'circuitBreaker.cooldown', 30_000) : 30_000,
    },
    stream: {
      heartbeatMs: root
        ? ms(root, 'stream.heartbeatInterval', STREAM_HEARTBEAT_MS)
        : STREAM_HEARTBEAT_MS,
    },
    probe: {
      intervalMs: Math.max(
        1000,
        root ? ms(root, 'probe.interval', 60_000) : 60_000,
      ),
    },
    writeScope: readWriteScope(root),
    rateLimit: {
      write: readRate(root, 'writesPerMinute', 60),
      logs: readRate(root, 'logReadsPerMinute', 120),
    },
    defaults,
  };
  return { locations, metrics, options };
}
