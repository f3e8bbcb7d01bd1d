import fs from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { createBackend } from '@backstage/backend-defaults';
import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { HostDiscovery } from '@backstage/backend-defaults/discovery';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import eventsBackend from '@backstage/plugin-events-backend';
import scaffolderBackend from '@backstage/plugin-scaffolder-backend';
import request from 'supertest';
import { configureRootHttpRouter } from './rootHttpRouter';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

// A valid template for a dry-run, with values nested `depth` levels deep. Without the guard the
// scaffolder answers 500 (RangeError: Template value nesting cannot exceed 256 levels) at 1,000.
const dryRunBody = (depth: number) =>
  `{"template": ${JSON.stringify({
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name: 'deep' },
    spec: { type: 'service', steps: [] },
  })}, "values": {"a": ${nested(depth - 2)}}, "directoryContents": []}`;

// A plugin route that reads the raw request stream, as a proxy does, and says what it got.
const streamEchoPlugin = createBackendPlugin({
  pluginId: 'echo',
  register(reg) {
    reg.registerInit({
      deps: { httpRouter: coreServices.httpRouter },
      async init({ httpRouter }) {
        httpRouter.use(async (req, res) => {
          const chunks: Buffer[] = [];
          for await (const chunk of req) {
            chunks.push(chunk as Buffer);
          }
          res.json({ text: Buffer.concat(chunks).toString('utf8') });
        });
        httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
      },
    });
  },
});

// The real root router factory with the Careplane configure function; its server is captured here,
// and discovery is pointed at its port (it listens on a free one).
let server: Server | undefined;
const rootHttpRouter = rootHttpRouterServiceFactory({
  configure(context) {
    server = context.server;
    configureRootHttpRouter(context);
  },
});
const discovery = createServiceFactory({
  service: coreServices.discovery,
  deps: { rootHttpRouter: coreServices.rootHttpRouter },
  async factory() {
    const { port } = server!.address() as AddressInfo;
    return HostDiscovery.fromConfig(
      new ConfigReader({
        backend: { baseUrl: `http://127.0.0.1:${port}`, listen: { port } },
      }),
    );
  },
});

describe('the Careplane root HTTP router', () => {
  jest.setTimeout(60_000);

  let app: Server;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    // startTestBackend cannot be used: it insists on its own root HTTP router (it fails to return
    // when another one replaces it). This is the real backend with the mocks it would use.
    const backend = createBackend();
    for (const feature of [
      rootHttpRouter,
      discovery,
      mockServices.rootConfig.factory({
        data: {
          backend: {
            baseUrl: 'http://127.0.0.1',
            listen: { host: '127.0.0.1', port: 0 },
            cors: { origin: 'http://localhost:3000' },
            // Smaller than the scaffolder's own 10MB, to show that the guard answers first.
            careplane: { maxJsonBody: '256kb' },
            server: { requestTimeout: '90s' },
          },
          events: { http: { topics: ['webhook'] } },
        },
      }),
      mockServices.rootLogger.factory(),
      mockServices.database.factory(),
      mockServices.auth.factory(),
      mockServices.httpAuth.factory(),
      mockServices.userInfo.factory(),
      mockServices.permissions.factory(),
      mockServices.scheduler.factory(),
      mockServices.events.factory(),
      scaffolderBackend,
      eventsBackend,
      streamEchoPlugin,
    ]) {
      backend.add(feature);
    }
    await backend.start();
    app = server!;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
  });

  const dryRun = () =>
    request(app)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', mockCredentials.user.header())
      .set('Content-Type', 'application/json');

  it('answers 400, not 500, to a scaffolder dry-run nested 1,000 levels deep', async () => {
    const res = await dryRun().send(dryRunBody(1000));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: {
        name: 'InputError',
        message: 'Request body is nested deeper than 64 levels',
      },
      request: { method: 'POST', url: '/api/scaffolder/v2/dry-run' },
      response: { statusCode: 400 },
    });
  });

  it('refuses deep bodies before authentication', async () => {
    const res = await request(app)
      .post('/api/scaffolder/v2/dry-run')
      .set('Content-Type', 'application/json')
      .send(dryRunBody(1000));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'Request body is nested deeper than 64 levels',
    );
  });

  it('answers after CORS, so that the browser can read the refusal', async () => {
    const res = await dryRun()
      .set('Origin', 'http://localhost:3000')
      .send(dryRunBody(1000));
    expect(res.status).toBe(400);
    expect(res.headers['access-control-allow-origin']).toBe(
      'http://localhost:3000',
    );
  });

  it('answers 413 to a body past backend.careplane.maxJsonBody', async () => {
    const res = await dryRun().send({
      template: {},
      values: { big: 'x'.repeat(300 * 1024) },
      directoryContents: [],
    });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({
      error: {
        name: 'PayloadTooLargeError',
        message: `Request body is larger than ${256 * 1024} bytes`,
      },
      request: { method: 'POST', url: '/api/scaffolder/v2/dry-run' },
      response: { statusCode: 413 },
    });
  });

  it('lets a normal body reach the plugin, which parses it itself', async () => {
    // 64 levels in all: the scaffolder's own express.json() parses it and the dry-run runs.
    const res = await dryRun().send(dryRunBody(64));
    expect(res.status).toBe(200);
    expect(res.body).toEqual(
      expect.objectContaining({ steps: [], output: {}, directoryContents: [] }),
    );
  });

  it('refuses 65 levels', async () => {
    const res = await dryRun().send(dryRunBody(65));
    expect(res.status).toBe(400);
  });

  it("leaves malformed JSON to the plugin's own parser", async () => {
    const res = await dryRun().send('{"template": ');
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      name: 'InputError',
      message: 'Unexpected end of JSON input',
    });
  });

  it('hands the raw bytes on to routes that read the stream', async () => {
    const body = '{"a": [1, "]]"], "b": {}}';
    const res = await request(app)
      .post('/api/echo/anything')
      .set('Content-Type', 'application/merge-patch+json')
      .send(body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ text: body });
  });

  it('leaves non-JSON bodies alone', async () => {
    const body = '['.repeat(1000);
    const res = await request(app)
      .post('/api/echo/anything')
      .set('Content-Type', 'text/plain')
      .send(body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ text: body });
  });

  it('keeps the raw body for the events HTTP ingress (express.raw)', async () => {
    const ok = await request(app)
      .post('/api/events/http/webhook')
      .set('Content-Type', 'application/json')
      .send('{"action": "opened", "n": [[1]]}');
    expect(ok.status).toBe(202);

    const deep = await request(app)
      .post('/api/events/http/webhook')
      .set('Content-Type', 'application/json')
      .send(nested(10_000));
    expect(deep.status).toBe(400);
  });

  it('still serves the health checks and unknown paths as before', async () => {
    expect(
      (await request(app).get('/.backstage/health/v1/liveness')).status,
    ).toBe(200);
    expect((await request(app).get('/nowhere')).status).toBe(404);
  });

  it('applies backend.server settings as the default router does', () => {
    expect(app.requestTimeout).toBe(90_000);
  });
});

// configureRootHttpRouter mirrors applyDefaults of @backstage/backend-defaults, because that offers
// no slot between the health router and the plugin routes. This fails when an upgrade changes what
// applyDefaults does, so that the mirror is updated with it.
describe('the mirror of applyDefaults', () => {
  const statements = (source: string) =>
    source
      .split('\n')
      .map(line => line.trim())
      .filter(line =>
        /^(app\.(use|set)\(|server\.\w+ = |const \w+ = readDurationValue\()/.test(
          line,
        ),
      )
      .map(line => line.replace(/;$/, ''));

  it('matches the installed @backstage/backend-defaults', () => {
    const installed = fs.readFileSync(
      path.join(
        path.dirname(
          require.resolve('@backstage/backend-defaults/package.json'),
        ),
        'dist/entrypoints/rootHttpRouter/rootHttpRouterServiceFactory.cjs.js',
      ),
      'utf8',
    );
    const upstream = installed.slice(
      installed.indexOf('applyDefaults()'),
      installed.indexOf('app.use(middleware.error())'),
    );
    expect(statements(upstream)).toEqual([
      'app.set("json spaces", 2)',
      'app.set("trust proxy", trustProxy)',
      'const headersTimeout = readDurationValue("headersTimeout")',
      'server.headersTimeout = headersTimeout',
      'const requestTimeout = readDurationValue("requestTimeout")',
      'server.requestTimeout = requestTimeout',
      'const keepAliveTimeout = readDurationValue("keepAliveTimeout")',
      'server.keepAliveTimeout = keepAliveTimeout',
      'const timeout = readDurationValue("timeout")',
      'server.timeout = timeout',
      'server.maxHeadersCount = maxHeadersCount',
      'server.maxRequestsPerSocket = maxRequestsPerSocket',
      'app.use(middleware.helmet())',
      'app.use(middleware.cors())',
      'app.use(middleware.compression())',
      'app.use(middleware.logging())',
      'app.use(middleware.rateLimit())',
      'app.use(healthRouter)',
      'app.use(routes)',
      'app.use(middleware.notFound())',
    ]);
  });
});
