import type { SimulatedCluster } from '../cluster';
import {
  apiVersionOf,
  BUILTIN_TYPES,
  subresourceVerbs,
  verbsOf,
} from '../resources';
import { json, pageNotFound, SimRequest, SimResponse } from './http';
import { genericServerResponse } from './status';

/**
 * Discovery and the non-resource paths. Built-in groups are go-restful web
 * services in kube-apiserver: an unknown version or resource under them is a
 * JSON `Status` 404 with the generic message (apiserver/pkg/server/handler.go
 * serviceErrorHandler + NewGenericServerResponse). Everything else falls
 * through the delegation chain (kube-aggregator, kube-apiserver,
 * apiextensions-apiserver's crdHandler) to the final NotFound handler, which
 * answers Go's plain-text `404 page not found`
 * (apiserver/pkg/util/notfoundhandler/not_found_handler.go;
 * apiextensions-apiserver/pkg/apiserver/customresource_handler.go ServeHTTP).
 */

/** Groups compiled into kube-apiserver (served by go-restful), incl. core "". */
export const BUILTIN_GROUPS = new Set(BUILTIN_TYPES.map(t => t.group));

/** Served groups and their versions, preferred first. */
export function groupsOf(cluster: SimulatedCluster): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const t of cluster.types()) {
    if (t.group === '') continue;
    const vs = groups.get(t.group) ?? [];
    for (const v of t.versions) if (!vs.includes(v)) vs.push(v);
    groups.set(t.group, vs);
  }
  return groups;
}

function groupDoc(group: string, versions: string[]) {
  const vs = versions.map(v => ({ groupVersion: `${group}/${v}`, version: v }));
  return { name: group, versions: vs, preferredVersion: vs[0] };
}

function resourceList(
  cluster: SimulatedCluster,
  group: string,
  version: string,
) {
  const types = cluster
    .types()
    .filter(t => t.group === group && t.versions.includes(version));
  if (types.length === 0) return undefined;
  const resources: unknown[] = [];
  for (const t of types) {
    resources.push({
      name: t.plural,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: verbsOf(t),
      ...(t.shortNames ? { shortNames: t.shortNames } : {}),
      ...(t.categories ? { categories: t.categories } : {}),
      ...(t.virtual ? {} : { storageVersionHash: '' }),
    });
    for (const sub of t.subresources) {
      resources.push({
        name: `${t.plural}/${sub}`,
        singularName: '',
        namespaced: t.namespaced,
        ...(sub === 'scale' ? { group: 'autoscaling', version: 'v1' } : {}),
        ...(sub === 'token'
          ? { group: 'authentication.k8s.io', version: 'v1' }
          : {}),
        kind:
          sub === 'scale' ? 'Scale' : sub === 'token' ? 'TokenRequest' : t.kind,
        verbs: subresourceVerbs(sub),
      });
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf(group, version),
    resources,
  };
}

/** Answers a GET of a non-resource path (discovery, version, health, root). */
export function nonResourceResponse(
  cluster: SimulatedCluster,
  req: SimRequest,
): SimResponse {
  const segs = req.url.pathname.split('/').filter(s => s !== '');
  const method = req.method.toUpperCase();
  const path = `/${segs.join('/')}`;
  if (['/healthz', '/livez', '/readyz'].includes(path) && method === 'GET')
    return {
      status: 200,
      headers: { 'content-type': 'text/plain' },
      body: 'ok',
    };
  if (path === '/version' && method === 'GET')
    return json(200, {
      major: '1',
      minor: cluster.version.split('.')[1] ?? '32',
      gitVersion: cluster.version,
      gitCommit: 'careplane-cluster-simulator',
      gitTreeState: 'clean',
      buildDate: '2026-01-01T00:00:00Z',
      goVersion: 'go1.23.0',
      compiler: 'gc',
      platform: 'linux/amd64',
    });
  if (path === '/' && method === 'GET')
    return json(200, {
      paths: [
        '/api',
        '/api/v1',
        '/apis',
        '/healthz',
        '/livez',
        '/readyz',
        '/version',
        ...[...groupsOf(cluster).keys()].map(g => `/apis/${g}`),
      ].sort(),
    });
  if (segs[0] === 'api') {
    // The core group's web services are /api and /api/v1.
    if (method !== 'GET') throw genericServerResponse(405);
    if (segs.length === 1)
      return json(200, {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [
          { clientCIDR: '0.0.0.0/0', serverAddress: req.url.host },
        ],
      });
    const doc =
      segs.length === 2 ? resourceList(cluster, '', segs[1]) : undefined;
    if (doc) return json(200, doc);
    throw genericServerResponse(404);
  }
  if (segs[0] === 'apis') {
    const groups = groupsOf(cluster);
    if (segs.length === 1 && method === 'GET')
      return json(200, {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: [...groups.entries()].map(([g, vs]) => groupDoc(g, vs)),
      });
    const group = segs[1];
    const builtin = BUILTIN_GROUPS.has(group);
    const versions = groups.get(group);
    if (segs.length === 2 && versions && method === 'GET')
      return json(200, {
        kind: 'APIGroup',
        apiVersion: 'v1',
        ...groupDoc(group, versions),
      });
    if (segs.length === 3 && method === 'GET') {
      const doc = resourceList(cluster, group, segs[2]);
      if (doc) return json(200, doc);
    }
    if (builtin) throw genericServerResponse(method === 'GET' ? 404 : 405);
  }
  return pageNotFound();
}
