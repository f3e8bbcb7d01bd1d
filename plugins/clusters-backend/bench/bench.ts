/* Benchmark script (not a test): `npm run bench:clusters`. Prints a Markdown table. */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ChildProcess, fork } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { clustersPlugin } from '../src/plugin';

const KINDS_PER_CLUSTER = 7; // the workload kinds the endpoint reads

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * q))];
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

class Worker {
  private seq = 0;
  private readonly waiting = new Map<number, (msg: any) => void>();
  ready: Promise<any>;
  constructor(readonly child: ChildProcess) {
    this.ready = new Promise((resolve, reject) => {
      child.on('message', (msg: any) => {
        if (msg.type === 'ready') resolve(msg);
        else this.waiting.get(msg.id)?.(msg);
      });
      child.on('exit', code => reject(new Error(`simulator exited ${code}`)));
    });
  }
  call(msg: object): Promise<any> {
    const id = ++this.seq;
    return new Promise(resolve => {
      this.waiting.set(id, resolve);
      this.child.send({ ...msg, id });
    });
  }
}

/** GET and parse (cold request and cluster stats; measured requests run in the worker). */
function getJson(
  agent: http.Agent,
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; bytes: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers }, res => {
      const chunks: Buffer[] = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () => {
        resolve({
          status: res.statusCode ?? 0,
          bytes: chunks.reduce((n, c) => n + c.length, 0),
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

export async function runBenchmark(): Promise<void> {
  const iterations = Number(process.env.BENCH_ITERATIONS ?? 1000);
  const steadySeconds = Number(process.env.BENCH_STEADY_SECONDS ?? 60);
  const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 20);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const log = (line: string) => process.stderr.write(`# ${line}\n`);

  log('starting the simulator (separate process)');
  const worker = new Worker(
    fork(join(__dirname, 'simulatorWorker.js'), { stdio: 'inherit' }),
  );
  const ready = await worker.ready;
  const clusters: Array<{ name: string; url: string; token: string }> =
    ready.clusters;
  await worker.call({ type: 'faults', faults: { latencyMs } });
  log(
    `simulator ready in ${ready.startMs} ms: ${clusters.length} clusters x ${ready.podsPerCluster} pods`,
  );

  const entityName = 'svc-1-1';
  const backend = await startTestBackend({
    features: [
      clustersPlugin,
      catalogServiceMock.factory({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: {
              name: entityName,
              namespace: 'default',
              annotations: { 'backstage.io/kubernetes-id': entityName },
            },
            spec: { type: 'service', owner: 'bench', lifecycle: 'production' },
          },
        ],
      }),
      mockServices.rootConfig.factory({
        data: {
          clusters: {
            locations: clusters.map(c => ({
              name: c.name,
              url: c.url,
              auth: { type: 'serviceAccountToken', token: c.token },
            })),
            timeouts: { request: '30s', firstSync: '60s' },
          },
        },
      }),
    ],
  });
  const { port } = backend.server.address() as { port: number };
  const base = `http://127.0.0.1:${port}/api/clusters/v1`;
  const url = `${base}/entities/component/default/${entityName}/workloads`;
  const headers = {
    Authorization: mockCredentials.user.header('user:default/bench'),
  };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const pluginStats = async () =>
    (await getJson(agent, `${base}/clusters`, headers)).body.items as any[];

  // cold: the first request starts 7 informers per cluster (LIST, then WATCH)
  const t = process.hrtime.bigint();
  const first = await getJson(agent, url, headers);
  const coldMs = Number(process.hrtime.bigint() - t) / 1e6;
  const answerPods = first.body.clusters.reduce(
    (n: number, c: any) => n + c.pods.length,
    0,
  );
  const statuses = [...new Set(first.body.clusters.map((c: any) => c.status))];
  for (;;) {
    const { openWatches } = await worker.call({ type: 'counts' });
    if (openWatches >= clusters.length * KINDS_PER_CLUSTER) break;
    await sleep(100);
  }
  log(`cold request ${coldMs.toFixed(0)} ms; warming up`);
  const measure = async (n: number): Promise<number[]> => {
    // the client runs in the simulator's (idle) process: see simulatorWorker.ts
    const res = await worker.call({
      type: 'measure',
      url,
      headers,
      iterations: n,
    });
    if (res.error) throw new Error(res.error);
    return res.durations;
  };
  await measure(200);

  // steady state: a window of `steadySeconds`, measured requests at its start
  const counts0 = await worker.call({ type: 'counts' });
  const stats0 = await pluginStats();
  const windowStart = Date.now();
  const gcPauses: number[] = [];
  const gcObserver = new PerformanceObserver(list => {
    for (const entry of list.getEntries()) gcPauses.push(entry.duration);
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const durations = await measure(iterations);
  const measuredMs = Date.now() - windowStart;
  gcObserver.disconnect();
  log(
    `${iterations} requests in ${measuredMs} ms; idling for the rest of the window`,
  );
  while (Date.now() - windowStart < steadySeconds * 1000) await sleep(250);
  const counts1 = await worker.call({ type: 'counts' });
  const stats1 = await pluginStats();
  const minutes = (Date.now() - windowStart) / 60_000;

  const verbs = new Set<string>();
  for (const c of Object.values<any>(counts1.counts))
    Object.keys(c).forEach(v => verbs.add(v));
  const serverRate = (verb: string) =>
    Object.keys(counts1.counts).reduce(
      (n, c) =>
        n + (counts1.counts[c][verb] ?? 0) - (counts0.counts[c]?.[verb] ?? 0),
      0,
    ) / minutes;
  const pluginCount = (items: any[], verb: string) =>
    items.reduce((n, c) => n + (c.stats.requests[verb] ?? 0), 0);
  const cacheObjects = stats1.reduce((n, c) => n + c.stats.objects, 0);
  const cacheBytes = stats1.reduce((n, c) => n + c.stats.approxBytes, 0);

  (global as any).gc?.();
  const mem = process.memoryUsage();
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;

  const rows: Array<[string, string]> = [
    ['machine', `${os.cpus().length} cores (shared), Node ${process.version}`],
    [
      'clusters x pods',
      `${clusters.length} x ${ready.podsPerCluster} (${
        clusters.length * ready.podsPerCluster
      } pods), ${latencyMs} ms added API latency`,
    ],
    [
      'entity answer',
      `${answerPods} pods on ${first.body.clusters.length} clusters (${
        ready.podsPerService
      } per cluster), status ${statuses.join('/')}, ${(
        first.bytes / 1024
      ).toFixed(0)} KiB JSON`,
    ],
    ['simulator start-up (separate process)', `${ready.startMs} ms`],
    [
      'first request (cold: LIST of 7 kinds x 10 clusters)',
      `${coldMs.toFixed(0)} ms`,
    ],
    [
      `entity workloads, warm (${iterations} sequential requests from another process): median / p95 / p99`,
      `${quantile(durations, 0.5).toFixed(2)} / ${quantile(
        durations,
        0.95,
      ).toFixed(2)} / ${quantile(durations, 0.99).toFixed(2)} ms`,
    ],
    [
      'GC during the measured requests: pauses / total / longest',
      `${gcPauses.length} / ${gcPauses
        .reduce((a, b) => a + b, 0)
        .toFixed(0)} ms / ${Math.max(0, ...gcPauses).toFixed(1)} ms`,
    ],
    [
      'throughput (sequential, 1 client)',
      `${((iterations / measuredMs) * 1000).toFixed(0)} req/s`,
    ],
    [
      `API-server requests/min at steady state (simulator counters, ${(
        minutes * 60
      ).toFixed(0)} s window)`,
      [...verbs]
        .sort()
        .map(v => `${v} ${serverRate(v).toFixed(1)}`)
        .join(', '),
    ],
    [
      'LISTs during the window (plugin counters)',
      String(pluginCount(stats1, 'list') - pluginCount(stats0, 'list')),
    ],
    ['open watches at the end (simulator)', String(counts1.openWatches)],
    [
      'object changes in the clusters during the window (watch events)',
      `${(
        (counts1.resourceVersion - counts0.resourceVersion) /
        minutes
      ).toFixed(0)}/min`,
    ],
    [
      'cached objects (all kinds, all clusters)',
      `${cacheObjects} (~${mb(cacheBytes)} JSON)`,
    ],
    [
      'heap used after GC (plugin process) / rss',
      `${mb(mem.heapUsed)} / ${mb(mem.rss)}`,
    ],
  ];
  out('| measurement | value |');
  out('| --- | --- |');
  for (const [k, v] of rows) out(`| ${k} | ${v} |`);

  worker.child.send({ type: 'stop' });
  await Promise.race([backend.stop(), sleep(5000)]);
  agent.destroy();
}
