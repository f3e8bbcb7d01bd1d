import http from 'node:http';
import { log } from './log';

const port = Number(process.env.PORT ?? 8080);
let ready = false;
let shuttingDown = false;

const routes: Record<string, (res: http.ServerResponse) => void> = {
  // Liveness and startup: the process answers.
  '/healthz': res => send(res, 200, { status: 'ok' }),
  // Readiness: dependencies are reachable and we are not draining.
  '/readyz': res =>
    send(res, ready && !shuttingDown ? 200 : 503, {
      status: ready && !shuttingDown ? 'ready' : 'not ready',
    }),
};

function send(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = http.createServer((req, res) => {
  const started = process.hrtime.bigint();
  const path = (req.url ?? '/').split('?')[0];
  const route = routes[path] ? path : 'unmatched';
  res.on('finish', () => {
    if (route === '/healthz' || route === '/readyz') return;
    log('info', 'request', {
      method: req.method ?? 'GET',
      route,
      status: res.statusCode,
      durationMs: Number(process.hrtime.bigint() - started) / 1e6,
    });
  });
  const handler = routes[path];
  if (handler) handler(res);
  else send(res, 404, { error: 'not found' });
});

server.listen(port, () => {
  ready = true;
  log('info', 'listening', { port });
});

// Drain on SIGTERM: fail readiness first so the Service stops sending traffic, then close.
process.on('SIGTERM', () => {
  shuttingDown = true;
  log('info', 'shutting down', { event: 'sigterm' });
  setTimeout(() => server.close(() => process.exit(0)), 5000).unref();
});
