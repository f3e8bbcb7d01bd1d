/*
 * The PostgreSQL the production bundle runs on, from the environment.
 *
 * app-config.production.yaml connects with TLS and `rejectUnauthorized: true`. A platform's
 * PostgreSQL already serves TLS; the throwaway server `.ci/run` starts does not. So, when the server
 * answers `ssl = off` and we are its superuser, the run turns TLS on with the run's certificate
 * (ALTER SYSTEM + pg_reload_conf, both reverted on stop) instead of switching the client's check
 * off, and the backend trusts the run's CA for it.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Client } = require('pg');

/**
 * The connection to use: POSTGRES_HOST/PORT/USER/PASSWORD (app-config.production.yaml's own
 * variables), else a connection string from CAREPLANE_POSTGRES_URL or the one `.ci/run` exports for
 * Backstage's TestDatabases (BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING).
 * @returns {{host: string, port: string, user: string, password: string, source: string} | undefined}
 */
function postgresFromEnv(env = process.env) {
  if (env.POSTGRES_HOST) {
    return {
      host: env.POSTGRES_HOST,
      port: env.POSTGRES_PORT ?? '5432',
      user: env.POSTGRES_USER ?? 'postgres',
      password: env.POSTGRES_PASSWORD ?? '',
      source: 'POSTGRES_HOST',
    };
  }
  const key = [
    'CAREPLANE_POSTGRES_URL',
    ...Object.keys(env)
      .filter(k =>
        /^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/.test(k),
      )
      .sort()
      .reverse(),
  ].find(k => env[k]);
  if (!key) return undefined;
  const url = new URL(env[key]);
  return {
    host: url.hostname,
    port: url.port || '5432',
    user: decodeURIComponent(url.username || 'postgres'),
    password: decodeURIComponent(url.password),
    source: key,
  };
}

async function query(pg, sql) {
  const client = new Client({
    host: pg.host,
    port: Number(pg.port),
    user: pg.user,
    password: pg.password,
    database: 'postgres',
  });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

function quote(value) {
  return `'${String(value).replace(/'/g, "''")}'`;
}

/**
 * Makes sure the server speaks TLS the backend can verify. Returns the CA (PEM) the backend must
 * trust, or undefined when the server already had TLS (trust comes from the system store or
 * NODE_EXTRA_CA_CERTS then), and a function that undoes what was changed.
 */
async function ensurePostgresTls(pg, certs, log) {
  const { rows } = await query(pg, 'SHOW ssl');
  if (rows[0].ssl === 'on') {
    log('PostgreSQL already serves TLS; trusting the system store for it');
    return { ca: undefined, restore: async () => {} };
  }
  const { rows: dirRows } = await query(pg, 'SHOW data_directory');
  const owner = fs.statSync(dirRows[0].data_directory).uid;
  // Readable by the server only: its own user, mode 0600 (PostgreSQL refuses a looser key file).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'careplane-pg-tls-'));
  const certFile = path.join(dir, 'server.crt');
  const keyFile = path.join(dir, 'server.key');
  fs.writeFileSync(certFile, certs.certPem, { mode: 0o600 });
  fs.writeFileSync(keyFile, certs.keyPem, { mode: 0o600 });
  if (process.getuid && process.getuid() === 0 && owner !== 0) {
    for (const p of [dir, certFile, keyFile]) fs.chownSync(p, owner, -1);
  }
  await query(pg, `ALTER SYSTEM SET ssl_cert_file = ${quote(certFile)}`);
  await query(pg, `ALTER SYSTEM SET ssl_key_file = ${quote(keyFile)}`);
  await query(pg, `ALTER SYSTEM SET ssl = 'on'`);
  await query(pg, 'SELECT pg_reload_conf()');
  // the reload is asynchronous: wait until new connections see it
  for (let i = 0; i < 50; i++) {
    const { rows: now } = await query(pg, 'SHOW ssl');
    if (now[0].ssl === 'on') break;
    await new Promise(r => setTimeout(r, 100));
  }
  const { rows: after } = await query(pg, 'SHOW ssl');
  if (after[0].ssl !== 'on') {
    throw new Error(
      `PostgreSQL at ${pg.host}:${pg.port} did not turn TLS on (see its server log)`,
    );
  }
  log(
    `PostgreSQL at ${pg.host}:${pg.port} now serves TLS with the run's certificate`,
  );
  return {
    ca: certs.caPem,
    restore: async () => {
      await query(pg, 'ALTER SYSTEM RESET ssl');
      await query(pg, 'ALTER SYSTEM RESET ssl_cert_file');
      await query(pg, 'ALTER SYSTEM RESET ssl_key_file');
      await query(pg, 'SELECT pg_reload_conf()');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

module.exports = { postgresFromEnv, ensurePostgresTls };
