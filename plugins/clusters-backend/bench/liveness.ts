/* Benchmark script (not a test): `npm run bench:liveness`. Issue 9: how long a person sees data
 * as live after a cluster stops answering, how long a log read from it takes to fail, and how long
 * until the page is live again once the cluster answers. Starts the demo simulator (speed 1) and
 * the plugin with the shipped defaults (request timeout 5 s, breaker 5 failures / 30 s cooldown,
 * probe every 60 s), then hangs and downs cloud-east RUNS times each. Prints a Markdown table of
 * medians. */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { startSimulator } from '@careplane/cluster-simulator';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { clustersPlugin } from '../src/plugin';

// the demo world, as src/__testUtils__/demoWorld.ts has it (that module needs jest)
const DEMO_SCENARIO = join(
  dirname(require.resolve('@careplane/cluster-simulator/package.json')),
  'scenarios/demo.yaml',
);
const ID = 'backstage.io/kubernetes-id';
const JORDAN = 'user:default/jordan.lee'; // owns video-consultation
const entities = ['org', 'users', 'system', 'clusters', 'components', 'apis']
  .flatMap(file =>
    parseAllDocuments(
      readFileSync(
        join(resolvePath(__dirname, '../../../catalog'), `${file}.yaml`),
        'utf8',
      ),
    ).map(d => d.toJS()),
  )
  .filter(Boolean)
  .map(e => ({ ...e, metadata: { namespace: 'default', ...e.metadata } }));

const CLUSTER = 'cloud-east';
const ENTITY = 'video-consultation';
const POLL_MS = 100;
/** How long each fault lasts before it is lifted (well past every detection bound). */
const FAULT_MS = 15_000;

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function getJson(
  agent: http.Agent,
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers }, res => {
      const chunks: Buffer[] = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: any = text;
        try {
          body = JSON.parse(text);
        } catch {
          // pod logs are text/plain
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

export async function runLiveness(): Promise<void> {
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const log = (line: string) => process.stderr.write(`# ${line}\n`);

  const sim = await startSimulator({
    scenarioFile: DEMO_SCENARIO,
    ports: 'ephemeral',
    speed: 1,
  });
  const backend = await startTestBackend({
    features: [
      clustersPlugin,
      // the default permissions mock allows everything: this measures liveness, not policy
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({
        data: {
          clusters: {
            locations: sim.clusters.map(c => ({
              name: c.name,
              url: c.url,
              auth: { type: 'serviceAccountToken', token: c.token },
            })),
          },
        },
      }),
    ],
  });
  const { port } = backend.server.address() as { port: number };
  const base = `http://127.0.0.1:${port}/api/clusters/v1`;
  const headers = { Authorization: mockCredentials.user.header(JORDAN) };
  // a fresh connection per call: a poll must never queue behind a slow log read
  const agent = new http.Agent({ keepAlive: false });
  const section = async () =>
    (
      await getJson(
        agent,
        `${base}/entities/component/default/${ENTITY}/workloads?clusters=${CLUSTER}`,
        headers,
      )
    ).body.clusters[0] as {
      status: string;
      error?: { message: string };
    };
  const pod = () =>
    sim.simulation
      .cluster(CLUSTER)
      .objectsOf('', 'Pod', ENTITY)
      .find(p => p.metadata.labels?.[ID] === ENTITY)!.metadata.name!;
  const readLogs = () =>
    getJson(
      agent,
      `${base}/logs?entityRef=${encodeURIComponent(
        `component:default/${ENTITY}`,
      )}&cluster=${CLUSTER}&namespace=${ENTITY}&pod=${pod()}&reason=bench`,
      headers,
    );

  /** Ms from `since` until the section satisfies `done` (polled every POLL_MS). */
  const until = async (
    since: number,
    done: (s: Awaited<ReturnType<typeof section>>) => boolean,
    what: string,
  ) => {
    for (;;) {
      const s = await section();
      if (done(s)) return { ms: Date.now() - since, section: s };
      if (Date.now() - since > 120_000) throw new Error(`never ${what}`);
      await sleep(POLL_MS);
    }
  };
  const live = async () => {
    await until(Date.now(), s => s.status === 'ok', 'live');
    while (sim.faults(CLUSTER).openWatches < 7) await sleep(POLL_MS);
  };

  const results: Record<string, number[]> = {};
  const reasons: Record<string, string> = {};
  const record = (key: string, ms: number) => (results[key] ??= []).push(ms);

  await live();
  log('synced; starting the runs');
  for (const fault of ['hang', 'down'] as const) {
    for (let run = 1; run <= runs; run++) {
      await live();
      await sleep(2000 + Math.random() * 3000); // start at a random point of the probe cycle
      const started = Date.now();
      sim.faults(CLUSTER).set({ [fault]: true });
      const logRead = readLogs().then(res => ({
        ms: Date.now() - started,
        res,
      }));
      const stale = await until(
        started,
        s => (s.status === 'stale' || s.status === 'unavailable') && !!s.error,
        'stale',
      );
      record(`${fault}: stale with the reason`, stale.ms);
      reasons[fault] = `${stale.section.status}: ${
        stale.section.error!.message
      }`;
      const logs = await logRead;
      if (logs.res.status === 200) throw new Error('log read succeeded');
      record(`${fault}: log read fails`, logs.ms);
      reasons[
        `${fault} logs`
      ] = `${logs.res.status}: ${logs.res.body?.error?.message}`;
      await sleep(Math.max(0, FAULT_MS - (Date.now() - started)));
      const lifted = Date.now();
      sim.faults(CLUSTER).set({});
      const back = await until(lifted, s => s.status === 'ok', 'live again');
      record(`${fault} lifted: live again`, back.ms);
      log(
        `${fault} run ${run}: stale ${stale.ms} ms, logs fail ${logs.ms} ms, live again ${back.ms} ms`,
      );
    }
  }

  out(
    `| after cloud-east … (median of ${runs}, ${os.cpus().length} cores, Node ${
      process.version
    }) | ms |`,
  );
  out('| --- | --- |');
  for (const [key, xs] of Object.entries(results)) {
    out(`| ${key} | ${median(xs).toFixed(0)} (${xs.join(', ')}) |`);
  }
  out('');
  for (const [key, reason] of Object.entries(reasons)) {
    out(`- ${key}: ${reason}`);
  }

  await Promise.race([backend.stop(), sleep(5000)]);
  await sim.stop();
  agent.destroy();
}

if (require.main === module) {
  runLiveness()
    .then(() => process.exit(0))
    .catch(e => {
      process.stderr.write(`${e.stack || e}\n`);
      process.exit(1);
    });
}
