import { ApiError } from './cluster';
import { FaultConfig } from './faults';
import {
  instantQuery,
  parsePromDuration,
  PromQLError,
  rangeQuery,
} from './metrics/promql';
import { SimulationSeries } from './metrics/series';
import { mergePatch } from './patch';
import { pendingWorkloads } from './controllers/kueue';
import type { Simulation } from './simulation';

/** A request to the control / Prometheus server. */
export interface ControlRequest {
  method: string;
  url: URL;
  body?: string;
  contentType?: string;
}

const seriesCache = new WeakMap<Simulation, SimulationSeries>();

function promTime(v: string | null | undefined, dflt: number): number {
  if (v === null || v === undefined || v === '') return dflt;
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  const ms = Date.parse(v);
  if (Number.isNaN(ms))
    throw new PromQLError(`cannot parse "${v}" to a valid timestamp`);
  return ms / 1000;
}

function promStep(v: string | null): number {
  if (!v) throw new PromQLError('cannot parse "" to a valid duration');
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v);
  return parsePromDuration(v);
}

function parseJson(body: string | undefined): any {
  if (!body) return {};
  try {
    return JSON.parse(body);
  } catch {
    throw new ApiError({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'body is not JSON',
      reason: 'BadRequest',
      code: 400,
    });
  }
}

/**
 * Serves the control API (`/_sim/...`) and the Prometheus HTTP API subset
 * (`/api/v1/query`, `/api/v1/query_range`, label values, build info).
 */
export function handleControlRequest(
  sim: Simulation,
  endpoints: Array<{ name: string; url: string; token: string }>,
  req: ControlRequest,
): { status: number; body: unknown } {
  const path = req.url.pathname.replace(/\/+$/, '');
  const method = req.method.toUpperCase();
  let params = req.url.searchParams;
  if (
    method === 'POST' &&
    (req.contentType ?? '').includes('application/x-www-form-urlencoded')
  ) {
    params = new URLSearchParams(req.body ?? '');
  }
  try {
    if (path.startsWith('/api/v1/')) {
      let series = seriesCache.get(sim);
      if (!series) {
        series = new SimulationSeries(sim);
        seriesCache.set(sim, series);
      }
      const now = sim.now() / 1000;
      if (path === '/api/v1/query') {
        const q = params.get('query');
        if (!q)
          throw new PromQLError(
            '1:1: parse error: no expression found in input',
          );
        return {
          status: 200,
          body: {
            status: 'success',
            data: instantQuery(q, promTime(params.get('time'), now), series),
          },
        };
      }
      if (path === '/api/v1/query_range') {
        const q = params.get('query');
        if (!q)
          throw new PromQLError(
            '1:1: parse error: no expression found in input',
          );
        const start = promTime(params.get('start'), NaN);
        const end = promTime(params.get('end'), NaN);
        if (Number.isNaN(start) || Number.isNaN(end))
          throw new PromQLError('start and end are required');
        if (end < start)
          throw new PromQLError('end timestamp must not be before start time');
        return {
          status: 200,
          body: {
            status: 'success',
            data: rangeQuery(
              q,
              start,
              end,
              promStep(params.get('step')),
              series,
            ),
          },
        };
      }
      if (path === '/api/v1/label/__name__/values')
        return {
          status: 200,
          body: { status: 'success', data: series.names() },
        };
      if (path === '/api/v1/status/buildinfo')
        return {
          status: 200,
          body: {
            status: 'success',
            data: {
              version: '2.53.0',
              revision: 'careplane-cluster-simulator',
              branch: 'sim',
            },
          },
        };
      return {
        status: 404,
        body: {
          status: 'error',
          errorType: 'not_found',
          error: 'unknown endpoint',
        },
      };
    }

    if (path === '/_sim/healthz') return { status: 200, body: { ok: true } };
    if (path === '/_sim/clusters' && method === 'GET') {
      return {
        status: 200,
        body: endpoints.map(e => ({
          ...e,
          faults: sim.faults(e.name).current,
          openWatches: sim.faults(e.name).openWatches,
          resourceVersion: sim.cluster(e.name).store.resourceVersion,
        })),
      };
    }
    if (path === '/_sim/time') {
      if (method === 'GET')
        return {
          status: 200,
          body: {
            now: sim.now(),
            iso: new Date(sim.now()).toISOString(),
            speed: sim.speed,
          },
        };
    }
    if (path === '/_sim/advance' && method === 'POST') {
      const seconds = Number(
        parseJson(req.body).seconds ?? params.get('seconds'),
      );
      if (!Number.isFinite(seconds) || seconds < 0)
        return {
          status: 400,
          body: { error: 'seconds must be a non-negative number' },
        };
      sim.advance(seconds);
      return {
        status: 200,
        body: { now: sim.now(), iso: new Date(sim.now()).toISOString() },
      };
    }
    if (path === '/_sim/speed' && (method === 'POST' || method === 'PUT')) {
      const speed = Number(parseJson(req.body).speed ?? params.get('speed'));
      if (!Number.isFinite(speed) || speed < 0)
        return {
          status: 400,
          body: { error: 'speed must be a non-negative number' },
        };
      sim.setSpeed(speed);
      if (speed > 0) sim.startTicking();
      return { status: 200, body: { speed: sim.speed } };
    }
    const m = /^\/_sim\/clusters\/([^/]+)\/([a-z-]+)$/.exec(path);
    if (m) {
      const name = decodeURIComponent(m[1]);
      if (!sim.clusters.has(name))
        return { status: 404, body: { error: `unknown cluster "${name}"` } };
      const faults = sim.faults(name);
      const cluster = sim.cluster(name);
      switch (m[2]) {
        case 'faults':
          if (method === 'GET') return { status: 200, body: faults.current };
          if (method === 'PUT') faults.set(parseJson(req.body) as FaultConfig);
          else if (method === 'PATCH' || method === 'POST')
            faults.update(parseJson(req.body) as FaultConfig);
          else if (method === 'DELETE') faults.clear();
          return { status: 200, body: faults.current };
        case 'drop-watches': {
          const mode = parseJson(req.body).mode === 'reset' ? 'reset' : 'close';
          return { status: 200, body: { dropped: faults.dropWatches(mode) } };
        }
        case 'compact':
          cluster.store.compact();
          return {
            status: 200,
            body: {
              oldestResumableVersion: cluster.store.oldestResumableVersion,
            },
          };
        case 'controllers':
          return { status: 200, body: sim.handle(name).controllers.describe() };
        case 'objects': {
          if (method === 'GET') {
            const apiVersion = params.get('apiVersion') ?? 'v1';
            const kind = params.get('kind') ?? 'Pod';
            const type = cluster.typeFor(apiVersion, kind);
            if (!type)
              return {
                status: 404,
                body: {
                  error: `${kind} (${apiVersion}) is not served by ${name}`,
                },
              };
            return {
              status: 200,
              body: {
                items: cluster.objectsOf(
                  type.group,
                  type.kind,
                  params.get('namespace') ?? undefined,
                ),
              },
            };
          }
          if (method === 'POST' || method === 'PUT') {
            const obj = parseJson(req.body);
            if (!cluster.typeFor(obj.apiVersion ?? '', obj.kind ?? ''))
              return {
                status: 400,
                body: {
                  error: `${obj.kind} (${obj.apiVersion}) is not served by ${name}`,
                },
              };
            return {
              status: 200,
              body: cluster.writeInternal(obj, 'careplane-sim-control'),
            };
          }
          return { status: 405, body: { error: 'use GET, POST or PUT' } };
        }
        case 'mutate': {
          const b = parseJson(req.body);
          const type = cluster.typeFor(b.apiVersion ?? '', b.kind ?? '');
          if (!type)
            return {
              status: 400,
              body: {
                error: `${b.kind} (${b.apiVersion}) is not served by ${name}`,
              },
            };
          if (b.delete) {
            cluster.removeOf(type.group, type.kind, b.namespace ?? '', b.name);
            return { status: 200, body: { deleted: true } };
          }
          const out = cluster.mutate(
            type.group,
            type.kind,
            b.namespace ?? '',
            b.name,
            draft => {
              const next = mergePatch(draft, b.merge ?? {});
              for (const k of Object.keys(draft)) delete (draft as any)[k];
              Object.assign(draft, next);
            },
          );
          if (!out)
            return {
              status: 404,
              body: {
                error: `${b.kind} ${b.namespace ?? ''}/${b.name} not found`,
              },
            };
          return { status: 200, body: out };
        }
        case 'pendingworkloads': {
          const cq = params.get('clusterQueue') ?? '';
          return {
            status: 200,
            body: pendingWorkloads(cluster, cq).map(p => ({
              name: p.workload.metadata.name,
              namespace: p.workload.metadata.namespace,
              localQueueName: p.workload.spec?.queueName,
              positionInClusterQueue: p.positionInClusterQueue,
              positionInLocalQueue: p.positionInLocalQueue,
            })),
          };
        }
        default:
          break;
      }
    }
    return {
      status: 404,
      body: { error: `no control route ${method} ${path}` },
    };
  } catch (e) {
    if (e instanceof PromQLError)
      return {
        status: 400,
        body: { status: 'error', errorType: 'bad_data', error: e.message },
      };
    if (e instanceof ApiError) return { status: e.body.code, body: e.body };
    throw e;
  }
}
