import { http, HttpResponse, RequestHandler } from 'msw';
import {
  handleApiRequest,
  resourceOfPath,
  verbOfRequest,
  WatchSettings,
} from './api/handler';
import { statusBody } from './cluster';
import { Scenario } from './scenario';
import { Simulation, SimulationOptions } from './simulation';

/** Options of createSimulatorHandlers. */
export interface SimulatorHandlerOptions {
  /** The in-process world to serve; alternatively give `scenario`. */
  simulation?: Simulation;
  scenario?: Scenario;
  simulationOptions?: SimulationOptions;
  /** Base URL per cluster name; default `https://<cluster>.sim.local`. */
  baseUrls?: Record<string, string>;
  /** Real milliseconds between watch bookmarks (default 10000). */
  bookmarkIntervalMs?: number;
}

/** Handlers plus the simulation behind them. */
export interface SimulatorHandlers {
  handlers: RequestHandler[];
  simulation: Simulation;
  /** Cluster endpoints as a client would configure them. */
  clusters: Array<{ name: string; url: string; token: string }>;
}

function sleep(ms: number) {
  return new Promise(r => setTimeout(r, ms));
}

/**
 * msw 2 handlers that serve each simulated cluster's in-memory store at a
 * fake URL, with the same API semantics (and faults) as the HTTP server, so
 * plugin unit tests can run the real @kubernetes/client-node in-process.
 */
export function createSimulatorHandlers(
  options: SimulatorHandlerOptions,
): SimulatorHandlers {
  const simulation =
    options.simulation ??
    new Simulation(
      options.scenario ??
        (() => {
          throw new Error(
            'createSimulatorHandlers needs a simulation or a scenario',
          );
        })(),
      { speed: 0, ...options.simulationOptions },
    );
  const settings: WatchSettings = {
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 10000,
    logPollMs: 200,
  };
  const handlers: RequestHandler[] = [];
  const clusters: SimulatorHandlers['clusters'] = [];
  for (const [name, handle] of simulation.clusters) {
    const base = (
      options.baseUrls?.[name] ?? `https://${name}.sim.local`
    ).replace(/\/+$/, '');
    clusters.push({ name, url: base, token: handle.cluster.token });
    handlers.push(
      http.all(`${base}/*`, async ({ request }) => {
        const url = new URL(request.url);
        const decision = handle.faults.decide(
          verbOfRequest(request.method, url),
          resourceOfPath(url.pathname).resource,
          url.pathname,
        );
        if (handle.faults.current.down) return HttpResponse.error();
        if (decision.hang) {
          await new Promise<void>(resolve => {
            const off = handle.faults.onChange(cfg => {
              if (!cfg.hang) {
                off();
                resolve();
              }
            });
            request.signal.addEventListener('abort', () => {
              off();
              resolve();
            });
          });
          if (request.signal.aborted) return HttpResponse.error();
        }
        if (decision.delayMs > 0) await sleep(decision.delayMs);
        if (decision.error) {
          const e = decision.error;
          return HttpResponse.json(
            statusBody(
              e.code,
              e.reason,
              e.message,
              e.retryAfterSeconds !== undefined
                ? { retryAfterSeconds: e.retryAfterSeconds }
                : {},
            ),
            {
              status: e.code,
              headers:
                e.retryAfterSeconds !== undefined
                  ? { 'retry-after': String(e.retryAfterSeconds) }
                  : {},
            },
          );
        }
        const body = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(request.method)
          ? await request.text()
          : undefined;
        const response = await handleApiRequest(
          handle.cluster,
          handle.faults,
          {
            method: request.method,
            url,
            header: h => request.headers.get(h),
            body,
          },
          settings,
        );
        if ('body' in response) {
          // A 204 (logs of an unscheduled pod) must not carry a body at all.
          const nullBody = response.status === 204 || response.status === 304;
          return new HttpResponse(nullBody ? null : response.body, {
            status: response.status,
            headers: response.headers,
          });
        }
        const encoder = new TextEncoder();
        let stop: () => void = () => {};
        const stream = new ReadableStream<Uint8Array>({
          start(controller) {
            let open = true;
            stop = response.stream({
              write: chunk => {
                if (open) controller.enqueue(encoder.encode(chunk));
              },
              end: () => {
                if (open) controller.close();
                open = false;
              },
              destroy: () => {
                if (open)
                  controller.error(
                    new Error('connection reset by simulated fault'),
                  );
                open = false;
              },
            });
            request.signal.addEventListener('abort', () => stop());
            // msw's Node interceptor only delivers response headers with the first body
            // chunk; a watch with nothing to replay would otherwise never "connect".
            // An empty line is ignored by line-oriented watch clients (client-node skips it).
            if (open && response.headers['content-type'] === 'application/json')
              controller.enqueue(encoder.encode('\n'));
          },
          cancel() {
            stop();
          },
        });
        const { 'transfer-encoding': _te, ...headers } = response.headers;
        return new HttpResponse(stream, { status: response.status, headers });
      }),
    );
  }
  return { handlers, simulation, clusters };
}
