import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import {
  handleApiRequest,
  resourceOfPath,
  SimResponse,
  verbOfRequest,
  WatchSettings,
} from './api/handler';
import { statusBody } from './cluster';
import { handleControlRequest } from './control';
import { ClusterFaults } from './faults';
import { loadScenarioFileWithPositions, Scenario } from './scenario';
import { ClusterHandle, Simulation } from './simulation';
import { K8sObject } from './util';

/** Options of startSimulator. */
export interface StartSimulatorOptions {
  /** A scenario object (see Scenario). */
  scenario?: Scenario;
  /** A scenario YAML file (used when `scenario` is not given). */
  scenarioFile?: string;
  seed?: number;
  /** Simulated seconds per real second; 0 = time moves only with advance(). */
  speed?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** `scenario`: the ports in the scenario; `ephemeral`: port 0 everywhere (tests). */
  ports?: 'scenario' | 'ephemeral';
  /** Real milliseconds between watch bookmarks (default 10000). */
  bookmarkIntervalMs?: number;
  /** Fixed simulated start time (deterministic tests). */
  startTime?: number | string;
  /**
   * Serve every cluster's API over TLS with this certificate and key (PEM), as a real API server
   * does; the cluster URLs are then `https://`. The control / metrics port stays plain HTTP.
   */
  tls?: SimulatorTls;
}

/** A serving certificate (PEM), e.g. one signed by a CA generated for the run. */
export interface SimulatorTls {
  cert: string;
  key: string;
}

/** A cluster endpoint as a client would configure it. */
export interface SimulatedClusterEndpoint {
  name: string;
  url: string;
  token: string;
}

/** A running simulator. */
export interface RunningSimulator {
  clusters: SimulatedClusterEndpoint[];
  /** Base URL of the Prometheus-compatible API and the /_sim control API. */
  controlUrl: string;
  /** The in-memory world (stores, clock, controllers). */
  simulation: Simulation;
  /** Fault state of a cluster (latency, errors, 429, dropped watches, down, hang). */
  faults(cluster: string): ClusterFaults;
  /** Moves simulated time forward and runs the controllers. */
  advance(seconds: number): void;
  /** Creates or replaces an object directly in a cluster's store (no auth, no validation). */
  upsert(cluster: string, object: K8sObject): K8sObject;
  stop(): Promise<void>;
}

function sleep(ms: number) {
  return new Promise(r => setTimeout(r, ms));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(
  res: ServerResponse,
  req: IncomingMessage,
  response: SimResponse,
) {
  if ('body' in response) {
    res.writeHead(response.status, response.headers);
    res.end(response.body);
    return;
  }
  const { 'transfer-encoding': _te, ...headers } = response.headers;
  res.writeHead(response.status, headers);
  res.flushHeaders();
  const stop = response.stream({
    write: chunk => {
      res.write(chunk);
    },
    end: () => res.end(),
    destroy: () => {
      req.socket.destroy();
    },
  });
  res.on('close', stop);
}

class ClusterServer {
  private server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly hung = new Set<ServerResponse>();
  private listening = false;
  port = 0;
  private readonly unwatch: () => void;

  constructor(
    private readonly handle: ClusterHandle,
    private readonly host: string,
    private readonly settings: WatchSettings,
    private readonly tls?: SimulatorTls,
  ) {
    this.server = this.create();
    this.unwatch = handle.faults.onChange(cfg => {
      if (cfg.down && this.listening) void this.goDown();
      if (!cfg.down && !this.listening && this.port)
        void this.listen(this.port);
    });
  }

  private create(): Server {
    const listener = (req: IncomingMessage, res: ServerResponse) => {
      this.serve(req, res).catch(e => {
        // Never leave a client hanging on a simulator bug: answer like an apiserver would.
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify(
              statusBody(
                500,
                'InternalError',
                `an error on the server ("${String(
                  (e as Error)?.message ?? e,
                )}") has prevented the request from succeeding`,
              ),
            ),
          );
        } else {
          res.destroy();
        }
      });
    };
    const server: Server = this.tls
      ? createTlsServer({ cert: this.tls.cert, key: this.tls.key }, listener)
      : createServer(listener);
    // Long keep-alive, as API servers behind load balancers use: avoids clients reusing a socket the server is closing.
    server.keepAliveTimeout = 65000;
    server.headersTimeout = 66000;
    // A TLS server emits 'connection' with the TCP socket too: destroying it ends the TLS session.
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    return server;
  }

  private async serve(req: IncomingMessage, res: ServerResponse) {
    const { cluster, faults } = this.handle;
    const url = new URL(
      req.url ?? '/',
      `http://${req.headers.host ?? `${this.host}:${this.port}`}`,
    );
    const body = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(req.method ?? '')
      ? await readBody(req)
      : undefined;
    const decision = faults.decide(
      verbOfRequest(req.method ?? 'GET', url),
      resourceOfPath(url.pathname).resource,
      url.pathname,
    );
    if (decision.hang) {
      // Hold the request until the hang is lifted (then serve it late) or the client gives up.
      const gaveUp = await new Promise<boolean>(resolveHang => {
        this.hung.add(res);
        const off = faults.onChange(cfg => {
          if (!cfg.hang) {
            off();
            this.hung.delete(res);
            resolveHang(false);
          }
        });
        res.on('close', () => {
          off();
          this.hung.delete(res);
          resolveHang(true);
        });
      });
      if (gaveUp) return;
    }
    if (decision.delayMs > 0) await sleep(decision.delayMs);
    if (decision.error) {
      const e = decision.error;
      const extra: Record<string, string> =
        e.retryAfterSeconds !== undefined
          ? { 'retry-after': String(e.retryAfterSeconds) }
          : {};
      const sb = statusBody(
        e.code,
        e.reason,
        e.message,
        e.retryAfterSeconds !== undefined
          ? { retryAfterSeconds: e.retryAfterSeconds }
          : {},
      );
      res.writeHead(e.code, { 'content-type': 'application/json', ...extra });
      res.end(JSON.stringify(sb));
      return;
    }
    const response = await handleApiRequest(
      cluster,
      faults,
      {
        method: req.method ?? 'GET',
        url,
        header: name => {
          const v = req.headers[name.toLowerCase()];
          return Array.isArray(v) ? v[0] : v;
        },
        body,
      },
      this.settings,
    );
    send(res, req, response);
  }

  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      if (this.listening) {
        resolve(this.port);
        return;
      }
      this.server = this.create();
      this.server.once('error', reject);
      this.server.listen(port, this.host, () => {
        this.listening = true;
        this.port = (this.server.address() as AddressInfo).port;
        resolve(this.port);
      });
    });
  }

  /** Closes the listener and drops every connection, like an outage. */
  goDown(): Promise<void> {
    this.listening = false;
    const server = this.server;
    this.handle.faults.dropWatches('reset');
    for (const s of this.sockets) s.destroy();
    return new Promise(r => server.close(() => r()));
  }

  async stop(): Promise<void> {
    this.unwatch();
    for (const r of this.hung) r.socket?.destroy();
    if (this.listening) await this.goDown();
  }
}

/** Starts the simulated clusters and the control/metrics server. */
export async function startSimulator(
  options: StartSimulatorOptions = {},
): Promise<RunningSimulator> {
  let scenario = options.scenario;
  let locate;
  if (!scenario) {
    if (!options.scenarioFile)
      throw new Error('startSimulator needs a scenario or a scenarioFile');
    const loaded = loadScenarioFileWithPositions(options.scenarioFile);
    scenario = loaded.scenario;
    locate = loaded.locate;
  }
  const simulation = new Simulation(scenario, {
    seed: options.seed,
    speed: options.speed,
    startTime: options.startTime,
    locate,
  });
  const host = options.host ?? scenario.host ?? '127.0.0.1';
  const ephemeral = options.ports === 'ephemeral';
  const settings: WatchSettings = {
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 10000,
    logPollMs: 500,
  };
  const servers: ClusterServer[] = [];
  const endpoints: SimulatedClusterEndpoint[] = [];
  try {
    for (const [name, handle] of simulation.clusters) {
      const server = new ClusterServer(handle, host, settings, options.tls);
      servers.push(server);
      const wantDown = !!handle.faults.current.down;
      const port = await server.listen(ephemeral ? 0 : handle.spec.port ?? 0);
      if (wantDown) await server.goDown();
      endpoints.push({
        name,
        url: `${options.tls ? 'https' : 'http'}://${host}:${port}`,
        token: handle.cluster.token,
      });
    }
  } catch (e) {
    await Promise.all(servers.map(s => s.stop()));
    simulation.dispose();
    throw e;
  }
  const control = createServer((req, res) => {
    void (async () => {
      const body = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(req.method ?? '')
        ? await readBody(req)
        : undefined;
      const url = new URL(req.url ?? '/', `http://${req.headers.host ?? host}`);
      const out = handleControlRequest(simulation, endpoints, {
        method: req.method ?? 'GET',
        url,
        body,
        contentType: req.headers['content-type'],
      });
      res.writeHead(out.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(out.body));
    })().catch(e => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          status: 'error',
          errorType: 'internal',
          error: String(e),
        }),
      );
    });
  });
  const controlPort = await new Promise<number>((resolve, reject) => {
    control.once('error', reject);
    control.listen(ephemeral ? 0 : scenario!.controlPort ?? 0, host, () =>
      resolve((control.address() as AddressInfo).port),
    );
  }).catch(async e => {
    await Promise.all(servers.map(s => s.stop()));
    simulation.dispose();
    throw e;
  });
  if (simulation.speed > 0) simulation.startTicking();
  let stopped = false;
  return {
    clusters: endpoints,
    controlUrl: `http://${host}:${controlPort}`,
    simulation,
    faults: name => simulation.faults(name),
    advance: seconds => simulation.advance(seconds),
    upsert: (cluster, object) =>
      simulation
        .cluster(cluster)
        .writeInternal(object, 'careplane-sim-control'),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      simulation.dispose();
      await Promise.all(servers.map(s => s.stop()));
      await new Promise<void>(r => {
        control.close(() => r());
        control.closeAllConnections?.();
      });
    },
  };
}
