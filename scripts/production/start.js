#!/usr/bin/env node
/*
 * `npm run start:production`: the production bundle, started for real on this machine.
 *
 * 1. builds the frontend and the backend bundle (scripts/production/build.js; `--skip-build`
 *    reuses packages/backend/dist) and unpacks the bundle (bundle.js);
 * 2. generates a CA for the run and a serving certificate (certificates.js);
 * 3. starts the simulated clusters (packages/cluster-simulator, demo scenario) serving TLS with it;
 * 4. connects to PostgreSQL from the environment (postgres.js; TLS verified against the CA);
 * 5. starts the bundled backend with NODE_ENV=production, app-config.yaml +
 *    app-config.production.yaml, and every value app-config.production.yaml asks for from the
 *    environment: the cluster `cloud-east` is the simulated one, over https, with the run's CA as
 *    its `caData`, and a token of the `careplane` ServiceAccount bound to the generated
 *    deploy/rbac/careplane-cluster.yaml (clusterRbac.js). Production's refusal of plain-HTTP
 *    clusters stays on.
 *
 * The backend serves the app and the API on http://localhost:<port> (CAREPLANE_PRODUCTION_PORT,
 * default 7007). There is no sign-in without an identity provider (production installs no guest
 * provider); set CAREPLANE_EXTERNAL_ACCESS_TOKEN to call the API with a static external-access
 * token (backend.auth.externalAccess, restricted to the clusters and catalog plugins).
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { buildProduction } = require('./build');
const { unpackBundle } = require('./bundle');
const { generateRunCertificates } = require('./certificates');
const { leastPrivilegeToken } = require('./clusterRbac');
const { postgresFromEnv, ensurePostgresTls } = require('./postgres');
const {
  root,
  log,
  spawnLogged,
  waitForLine,
  waitForHttp,
  freePort,
} = require('./processes');

const SIM_BIN = path.join(
  root,
  'packages/cluster-simulator/bin/careplane-cluster-sim',
);
const SCENARIO = path.join(
  root,
  'packages/cluster-simulator/scenarios/demo.yaml',
);
const RUN_DIR = path.join(root, '.careplane/production');
const READY_TIMEOUT_MS = 180_000;

/** Starts the simulated clusters over TLS; resolves with their https URLs by name. */
async function startClusters(certs, echo) {
  const tlsDir = fs.mkdtempSync(path.join(RUN_DIR, 'tls-'));
  fs.writeFileSync(path.join(tlsDir, 'server.crt'), certs.certPem);
  fs.writeFileSync(path.join(tlsDir, 'server.key'), certs.keyPem, {
    mode: 0o600,
  });
  const sim = spawnLogged({
    args: [
      SIM_BIN,
      '--scenario',
      SCENARIO,
      '--ephemeral-ports',
      '--tls-cert',
      path.join(tlsDir, 'server.crt'),
      '--tls-key',
      path.join(tlsDir, 'server.key'),
    ],
    env: process.env,
    prefix: '[clusters]',
    logFile: path.join(RUN_DIR, 'logs/clusters.log'),
    echo,
  });
  const ready = await waitForLine(
    sim,
    /careplane-cluster-sim ready/,
    READY_TIMEOUT_MS,
    'the simulated clusters',
  ).finally(() => fs.rmSync(tlsDir, { recursive: true, force: true }));
  const urls = {};
  for (const [, name, url] of ready.matchAll(/ ([a-z0-9-]+)=(\S+)/g))
    urls[name] = url;
  if (!urls['cloud-east']?.startsWith('https://')) {
    throw new Error(
      `the simulator did not serve cloud-east over TLS: ${ready}`,
    );
  }
  return { sim, urls };
}

/**
 * The environment of one backend instance: everything app-config.production.yaml reads, plus
 * APP_CONFIG_* overrides for what differs per run (port, database prefix, CA of the database).
 */
function backendEnv({
  tokenPlugins = ['clusters', 'catalog'],
  port,
  pg,
  pgCa,
  clusters,
  certs,
  secret,
  token,
  dbPrefix,
  extra,
}) {
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    CAREPLANE_BASE_URL: `http://localhost:${port}`,
    BACKEND_SECRET: secret,
    POSTGRES_HOST: pg.host,
    POSTGRES_PORT: String(pg.port),
    POSTGRES_USER: pg.user,
    POSTGRES_PASSWORD: pg.password,
    CLUSTER_CLOUD_EAST_URL: clusters.urls['cloud-east'],
    CLUSTER_CLOUD_EAST_TOKEN: clusters.token,
    CLUSTER_CLOUD_EAST_CA_DATA: certs.caData,
    SCM_HOST: process.env.SCM_HOST ?? 'github.com',
    SCM_TOKEN: process.env.SCM_TOKEN ?? 'not-used-by-the-check',
    SCM_OWNER: process.env.SCM_OWNER ?? 'careplane-example',
    APP_CONFIG_backend_listen: `:${port}`,
    APP_CONFIG_backend_database_prefix: dbPrefix,
    ...extra,
  };
  if (pgCa) env.APP_CONFIG_backend_database_connection_ssl_ca = pgCa;
  if (token) {
    env.APP_CONFIG_backend_auth_externalAccess = JSON.stringify([
      {
        type: 'static',
        options: { token, subject: 'careplane-production-check' },
        accessRestrictions: tokenPlugins.map(plugin => ({ plugin })),
      },
    ]);
  }
  return env;
}

/**
 * Starts the simulated clusters and `instances` backend instances of the bundle on one PostgreSQL.
 * @param {object} options
 * @param {boolean} [options.build] build the bundle first (default true)
 * @param {number} [options.instances] backend instances (default 1)
 * @param {number[]} [options.ports] their ports (default CAREPLANE_PRODUCTION_PORT / free ports)
 * @param {string} [options.token] a static external-access token for API calls
 * @param {string[]} [options.tokenPlugins] the plugins it may call (default clusters, catalog)
 * @param {string} [options.dbPrefix] database name prefix (default careplane_production_)
 * @param {Record<string,string>} [options.env] extra environment of every instance
 * @param {boolean} [options.echo] echo child output (default true)
 * @param {boolean} [options.stagger] start each instance once the previous one is ready
 */
async function startProduction(options = {}) {
  const echo = options.echo ?? true;
  const pg = postgresFromEnv();
  if (!pg) {
    throw new Error(
      'no PostgreSQL: set POSTGRES_HOST/POSTGRES_PORT/POSTGRES_USER/POSTGRES_PASSWORD, CAREPLANE_POSTGRES_URL or BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING (.ci/run exports the latter)',
    );
  }
  fs.mkdirSync(path.join(RUN_DIR, 'logs'), { recursive: true });
  if (options.build ?? true) await buildProduction();
  const backendDir = await unpackBundle();
  log(`bundle unpacked in ${path.relative(root, backendDir)}`);
  const certs = generateRunCertificates();
  const stops = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(e => log(`stop: ${e}`));
    stops.length = 0;
  };
  try {
    const clusters = await startClusters(certs, echo);
    stops.push(() => clusters.sim.stop());
    log(`simulated clusters over TLS: ${JSON.stringify(clusters.urls)}`);
    // the generated least-privilege RBAC, and a token of its ServiceAccount (not the admin's)
    clusters.token =
      process.env.CAREPLANE_CLUSTER_TOKEN ??
      (await leastPrivilegeToken({
        controlUrl: clusters.urls.control,
        cluster: 'cloud-east',
        url: clusters.urls['cloud-east'],
        adminToken: 'sim-token-cloud-east',
        caPem: certs.caPem,
      }));
    log(
      'cloud-east: deploy/rbac/careplane-cluster.yaml applied; the backend uses its ServiceAccount',
    );
    const pgTls = await ensurePostgresTls(pg, certs, log);
    stops.push(pgTls.restore);
    const count = options.instances ?? 1;
    const ports = [];
    for (let i = 0; i < count; i++) {
      ports.push(
        options.ports?.[i] ??
          (count === 1 && process.env.CAREPLANE_PRODUCTION_PORT
            ? Number(process.env.CAREPLANE_PRODUCTION_PORT)
            : await freePort()),
      );
    }
    const secret = crypto.randomBytes(24).toString('base64url');
    /** Spawns one backend instance of the bundle; `env` overrides its environment. */
    const spawnBackend = (port, name, env = {}) => {
      const proc = spawnLogged({
        args: [
          backendDir,
          '--config',
          path.join(root, 'app-config.yaml'),
          '--config',
          path.join(root, 'app-config.production.yaml'),
        ],
        env: backendEnv({
          port,
          pg,
          pgCa: pgTls.ca,
          clusters,
          certs,
          secret,
          token: options.token,
          tokenPlugins: options.tokenPlugins,
          dbPrefix: options.dbPrefix ?? 'careplane_production_',
          extra: { ...options.env, ...env },
        }),
        prefix: `[${name}]`,
        logFile: path.join(RUN_DIR, `logs/${name}.log`),
        echo,
      });
      stops.push(() => proc.stop());
      return proc;
    };
    const startOne = async (port, i) => {
      const b = {
        proc: spawnBackend(port, `backend-${i + 1}`),
        port,
        baseUrl: `http://localhost:${port}`,
        startedAt: Date.now(),
      };
      await waitForHttp(`${b.baseUrl}/.backstage/health/v1/readiness`, {
        timeoutMs: READY_TIMEOUT_MS,
        what: `backend on :${b.port}`,
        proc: b.proc,
      });
      b.readyMs = Date.now() - b.startedAt;
      log(`backend ready on ${b.baseUrl} after ${b.readyMs} ms`);
      return b;
    };
    // `stagger`: one after the other, as a Deployment's rolling update starts them; two instances
    // creating the same fresh database at once race on its migrations (see the README).
    const backends = [];
    if (options.stagger) {
      for (const [i, port] of ports.entries())
        backends.push(await startOne(port, i));
    } else {
      backends.push(...(await Promise.all(ports.map(startOne))));
    }
    return { backends, clusters, certs, pg, spawnBackend, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

module.exports = { startProduction };

if (require.main === module) {
  const build = !process.argv.includes('--skip-build');
  startProduction({
    build,
    token: process.env.CAREPLANE_EXTERNAL_ACCESS_TOKEN,
  }).then(
    running => {
      log(
        `Careplane (production bundle) serves ${running.backends[0].baseUrl}; Ctrl-C stops it`,
      );
      let stopping = false;
      const shutdown = () => {
        if (stopping) return;
        stopping = true;
        running.stop().then(() => process.exit(0));
      };
      process.on('SIGINT', shutdown);
      process.on('SIGTERM', shutdown);
      running.backends[0].proc.exited.then(code => {
        if (!stopping) {
          log(`the backend exited with code ${code}`);
          running.stop().then(() => process.exit(1));
        }
      });
    },
    error => {
      process.stderr.write(`[production] ${error.message}\n`);
      process.exit(1);
    },
  );
}
