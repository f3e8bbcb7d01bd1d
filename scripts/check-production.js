#!/usr/bin/env node
/*
 * The production check (a CI step of .ci/run): builds the production bundle, starts it as
 * `npm run start:production` does (NODE_ENV=production, app-config.yaml + app-config.production.yaml,
 * PostgreSQL from the environment, the simulated cluster cloud-east over TLS with the run's CA as
 * caData) and checks that:
 *   - it serves the app (index.html and the script it loads);
 *   - GET /api/clusters/v1/clusters refuses a call without credentials (401) and answers a static
 *     external-access token with cloud-east, reached over TLS (its version probed);
 *   - guest sign-in is refused (the guest provider is not installed in production);
 *   - plain-HTTP cluster URLs are still refused in production (a second start with http:// fails);
 *   - the backend logged no error.
 * `--skip-build` reuses packages/backend/dist. Exits 1 on the first failed check.
 */
const crypto = require('node:crypto');
const { startProduction } = require('./production/start');
const {
  get,
  log,
  sleep,
  freePort,
  waitForLine,
} = require('./production/processes');

const results = [];

function check(name, ok, detail) {
  results.push({ name, ok });
  log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
  if (!ok)
    throw new Error(`check failed: ${name}${detail ? ` (${detail})` : ''}`);
}

/** Polls /api/clusters/v1/clusters until cloud-east answered its probe (or gives up). */
async function clustersAnswer(baseUrl, token) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await get(`${baseUrl}/api/clusters/v1/clusters`, {
      authorization: `Bearer ${token}`,
    });
    const body = res.status === 200 ? JSON.parse(res.body) : undefined;
    const east = body?.items?.find(c => c.name === 'cloud-east');
    if (east?.version || Date.now() > deadline) return { res, east };
    await sleep(1000);
  }
}

/** JSON log lines of level error (the production logger writes one JSON object per line). */
function errorLines(lines) {
  return lines.filter(line => {
    try {
      return JSON.parse(line).level === 'error';
    } catch {
      return /\berror\b/i.test(line) && !/^\s*at /.test(line);
    }
  });
}

async function main() {
  const build = !process.argv.includes('--skip-build');
  const token = crypto.randomBytes(24).toString('base64url');
  const started = Date.now();
  const running = await startProduction({ build, token, echo: false });
  const [backend] = running.backends;
  const { baseUrl } = backend;
  try {
    log(
      `started in ${Math.round(
        (Date.now() - started) / 1000,
      )} s (backend ready after ${backend.readyMs} ms)`,
    );

    const index = await get(`${baseUrl}/`);
    check(
      'serves the app',
      index.status === 200 && /<div id="root">/.test(index.body),
      `GET / -> ${index.status}`,
    );
    const script = index.body.match(/<script[^>]+src="([^"]+\.js)"/)?.[1];
    const asset = script
      ? await get(new URL(script, `${baseUrl}/`).href)
      : undefined;
    check(
      'serves the app script',
      asset?.status === 200,
      `${script} -> ${asset?.status}`,
    );

    const anonymous = await get(`${baseUrl}/api/clusters/v1/clusters`);
    check(
      'refuses the clusters API without credentials',
      anonymous.status === 401,
      `-> ${anonymous.status}`,
    );
    const { res, east } = await clustersAnswer(baseUrl, token);
    check(
      'serves /api/clusters/v1/clusters to an external-access token',
      res.status === 200,
      `-> ${res.status}`,
    );
    check(
      'reaches cloud-east over TLS with the run CA as caData',
      !!east?.version && east.health?.status !== 'unavailable',
      `version ${east?.version?.gitVersion}, health ${east?.health?.status}`,
    );

    const guest = await get(
      `${baseUrl}/api/auth/guest/refresh?optional&env=production`,
      {
        'x-requested-with': 'XMLHttpRequest',
      },
    );
    check(
      'refuses guest sign-in',
      guest.status >= 400 && !/backstageIdentity/.test(guest.body),
      `GET /api/auth/guest/refresh -> ${guest.status}`,
    );

    await sleep(2000); // let the first catalog and probe rounds log
    const errors = errorLines(backend.proc.lines);
    check('logs no error', errors.length === 0, errors.slice(0, 5).join(' | '));
    check('logs no token', !backend.proc.lines.some(l => l.includes(token)));

    // The same bundle and environment, but cloud-east's URL in plain http: the backend must refuse
    // to start rather than talk to a cluster without TLS.
    const insecureUrl = running.clusters.urls['cloud-east'].replace(
      /^https:/,
      'http:',
    );
    const insecurePort = await freePort();
    const insecure = running.spawnBackend(insecurePort, 'backend-plain-http', {
      CLUSTER_CLOUD_EAST_URL: insecureUrl,
    });
    const refusal = await waitForLine(
      insecure,
      /plain http:\/\/ API server URLs are refused in production/,
      180_000,
      'the refusal of a plain-HTTP cluster',
    ).catch(e => e.message);
    const readiness = await get(
      `http://localhost:${insecurePort}/.backstage/health/v1/readiness`,
    ).catch(() => ({ status: 'no answer' }));
    await insecure.stop();
    check(
      'refuses a plain-HTTP cluster URL in production',
      /refused in production/.test(refusal) && readiness.status !== 200,
      `clusters plugin: "${refusal
        .replace(/^.*?(clusters\.locations)/, '$1')
        .slice(0, 160)}", readiness ${readiness.status}`,
    );
  } finally {
    await running.stop();
  }
  log(
    `all ${results.length} production checks passed in ${Math.round(
      (Date.now() - started) / 1000,
    )} s`,
  );
}

main().catch(error => {
  process.stderr.write(`[production] ${error.stack ?? error}\n`);
  process.exit(1);
});
