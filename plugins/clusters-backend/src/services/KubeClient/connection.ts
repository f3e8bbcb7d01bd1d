import { ServiceUnavailableError } from '@backstage/errors';
import type { ClusterDefinition } from '@careplane/plugin-clusters-node';
import { KubeConfig } from '@kubernetes/client-node';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';

/**
 * How a {@link KubeClient} reaches one API server: base URL, agent (TLS, keep-alive, pinned
 * lookup) and auth headers from client-node's KubeConfig.
 * @internal
 */
export interface Connection {
  baseUrl: string;
  agent: http.Agent;
  headers: Record<string, string>;
  headersAt: number;
  kc: KubeConfig;
}

const HEADER_TTL_MS = 60_000;

async function headersOf(kc: KubeConfig): Promise<Record<string, string>> {
  const opts: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.headers ?? {})) {
    if (typeof v === 'string' || typeof v === 'number') headers[k] = String(v);
  }
  return headers;
}

/**
 * The connection's headers, re-read when older than a minute: tokens from files (in-cluster)
 * and exec plugins rotate.
 * @internal
 */
export async function refreshHeaders(
  connection: Connection,
): Promise<Connection> {
  if (Date.now() - connection.headersAt > HEADER_TTL_MS) {
    connection.headers = await headersOf(connection.kc);
    connection.headersAt = Date.now();
  }
  return connection;
}

/**
 * Builds the KubeConfig of a cluster (token, kubeconfig file or in-cluster) with client-node and
 * the agent that carries its TLS material.
 * @internal
 */
export async function openConnection(
  def: ClusterDefinition,
  lookup?: LookupFunction,
): Promise<Connection> {
  // client-node 1.4 is ESM; a static import works under the Backstage CLI (TOOLCHAIN.md),
  // a dynamic import() does not under jest.
  const kc = new KubeConfig();
  const auth = def.auth;
  if (auth.type === 'serviceAccountToken') {
    kc.loadFromOptions({
      clusters: [
        {
          name: def.name,
          server: def.url,
          caData: def.caData,
          caFile: def.caFile,
          skipTLSVerify: def.skipTLSVerify ?? false,
        },
      ],
      users: [{ name: def.name, token: auth.token }],
      contexts: [{ name: def.name, cluster: def.name, user: def.name }],
      currentContext: def.name,
    });
  } else if (auth.type === 'kubeconfig') {
    kc.loadFromFile(auth.path);
    if (auth.context) kc.setCurrentContext(auth.context);
  } else {
    kc.loadFromCluster();
  }
  allowPlainHttp(kc);
  const cluster = kc.getCurrentCluster();
  if (!cluster) {
    throw new ServiceUnavailableError(
      `Cluster ${def.name}: no current cluster in its kubeconfig`,
    );
  }
  const tls: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(tls);
  const baseUrl = (
    auth.type === 'serviceAccountToken' ? def.url! : cluster.server
  ).replace(/\/+$/, '');
  const agent = baseUrl.startsWith('https:')
    ? new https.Agent({
        keepAlive: true,
        ca: tls.ca,
        cert: tls.cert,
        key: tls.key,
        rejectUnauthorized: !(def.skipTLSVerify || cluster.skipTLSVerify),
        ...(lookup ? { lookup } : {}),
      })
    : new http.Agent({ keepAlive: true, ...(lookup ? { lookup } : {}) });
  return {
    baseUrl,
    agent,
    kc,
    headers: await headersOf(kc),
    headersAt: Date.now(),
  };
}

/**
 * client-node 1.4 refuses to build request options for an `http://` server unless the cluster has
 * `skipTLSVerify` ("HTTP protocol is not allowed when skipTLSVerify is not set or false"). Whether
 * plain HTTP is acceptable is decided by our config validation (refused in production unless
 * `clusters.allowInsecure`), and there is no TLS to verify on plain HTTP, so mark such clusters
 * for client-node only. The agent is ours and never sees this flag for https servers.
 */
function allowPlainHttp(kc: KubeConfig) {
  const current = kc.getCurrentCluster();
  if (!current?.server.startsWith('http:') || current.skipTLSVerify) return;
  kc.clusters = kc.clusters.map(c =>
    c === current ? { ...c, skipTLSVerify: true } : c,
  );
}
