#!/usr/bin/env node
/*
 * Two replicas, one database: starts two instances of the production bundle (as
 * `npm run start:production` does; the bundle must be built: CI runs this right after
 * check-production.js) on one PostgreSQL, with the demo catalog, and checks that:
 *   - both serve the entity page of video-consultation (the app page, the catalog entity and its
 *     workloads on the simulated cloud-east) — time to first page per replica is printed;
 *   - both serve live streams (an SSE stream with a Pod watch delivers the entity's pods);
 *   - audit records written through both at once land in the one audit table, none lost;
 *   - a global scheduled task triggered on both runs on one of them at a time;
 *   - a write retried on the other replica is not applied twice.
 * Without a PostgreSQL connection string (POSTGRES_HOST, CAREPLANE_POSTGRES_URL or
 * BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING) it skips, saying so, and exits 0.
 */
const crypto = require('node:crypto');
const { startProduction } = require('./production/start');
const { postgresFromEnv } = require('./production/postgres');
const { log } = require('./production/processes');
const checks = require('./production/replicaChecks');

const AUDITED_PER_REPLICA = Number(process.env.CAREPLANE_REPLICA_AUDITS ?? 100);

function check(name, ok, detail) {
  log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
  if (!ok)
    throw new Error(`check failed: ${name}${detail ? ` (${detail})` : ''}`);
}

async function main() {
  const pg = postgresFromEnv();
  if (!pg) {
    log(
      'SKIPPED: two replicas need a PostgreSQL; set POSTGRES_HOST (and _PORT/_USER/_PASSWORD), CAREPLANE_POSTGRES_URL or BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING (.ci/run does)',
    );
    return;
  }
  const token = crypto.randomBytes(24).toString('base64url');
  const runId = `run-${crypto.randomBytes(3).toString('hex')}`;
  const dbPrefix = 'careplane_replicas_';
  const running = await startProduction({
    build: process.argv.includes('--build'),
    instances: 2,
    stagger: true,
    token,
    tokenPlugins: ['clusters', 'catalog', 'search'],
    dbPrefix,
    echo: false,
    env: {
      // the demo organisation and services, so that there are entity pages to serve
      APP_CONFIG_catalog_locations: JSON.stringify([
        { type: 'file', target: './catalog/all.yaml' },
        {
          type: 'file',
          target: './catalog/templates/all.yaml',
          rules: [{ allow: ['Template', 'Location'] }],
        },
      ]),
      APP_CONFIG_catalog_rules: JSON.stringify([
        {
          allow: [
            'Component',
            'System',
            'API',
            'Resource',
            'Location',
            'Domain',
            'Group',
            'User',
            'Template',
          ],
        },
      ]),
    },
  });
  const replicas = running.backends;
  try {
    const pages = await Promise.all(
      replicas.map(r => checks.timeToFirstPage(r, token)),
    );
    pages.forEach((p, i) =>
      log(
        `replica ${i + 1}: ready after ${
          replicas[i].readyMs
        } ms, first entity page after ${p.ms} ms (${
          p.pods
        } pods on cloud-east)`,
      ),
    );
    check('both replicas serve the entity page', pages.length === 2);

    const pod = await checks.liveStreams(
      replicas,
      token,
      running.clusters.urls.control,
      runId,
    );
    check(
      'both replicas serve live streams',
      !!pod,
      `a change to pod ${pod} reached both streams`,
    );

    const write = await checks.retriedWrite(
      replicas,
      token,
      runId,
      running.clusters.urls.control,
    );
    log(
      `retried write: answers ${write.statuses.join(
        ', ',
      )}, resourceVersion ${write.resourceVersions.join(' -> ')}`,
    );
    const applied =
      write.statuses.every(st => st === 200) &&
      !!write.resourceVersions[0] &&
      write.resourceVersions[0] === write.resourceVersions[1];
    check(
      'a write retried on the other replica is not applied twice',
      applied,
      applied ? 'resourceVersion unchanged by the retry' : write.detail,
    );

    const tasks = await checks.scheduledTaskOnce(
      replicas,
      token,
      'search',
      15_000,
    );
    log(
      `scheduled tasks (search, global) triggered on both replicas at once (answers ${tasks.triggerStatuses.join(
        ', ',
      )}): runs ended ${JSON.stringify(
        tasks.runsEnded,
      )}, seen running on replica ${JSON.stringify(tasks.ranOn)}; ${
        tasks.samples
      } samples, ${tasks.overlaps} with both running`,
    );
    check(
      'a global scheduled task runs on one replica at a time',
      tasks.overlaps === 0 &&
        Object.values(tasks.runsEnded).every(n => n === 1),
      JSON.stringify(tasks.runsEnded),
    );

    const audit = await checks.auditWithoutLoss(
      replicas,
      token,
      { host: pg.host, port: pg.port, user: pg.user, password: pg.password },
      `${dbPrefix}clusters`,
      AUDITED_PER_REPLICA,
      runId,
    );
    const answers = {};
    for (const st of audit.statuses) answers[st] = (answers[st] ?? 0) + 1;
    log(
      `audit: ${AUDITED_PER_REPLICA} refused deletes sent to each replica at once (answers ${JSON.stringify(
        answers,
      )}: 400 invalid name, 429 the per-replica rate limit); rows per replica: ${audit.perReplica.join(
        ', ',
      )}`,
    );
    check(
      'audit records from both replicas in one table, none lost',
      audit.perReplica.every(n => n === AUDITED_PER_REPLICA),
      `${audit.perReplica.reduce((a, b) => a + b, 0)} of ${
        AUDITED_PER_REPLICA * 2
      } rows`,
    );
  } finally {
    await running.stop();
  }
  log('two replicas on one PostgreSQL: all checks passed');
}

main().catch(error => {
  process.stderr.write(`[production] ${error.stack ?? error}\n`);
  process.exit(1);
});
