/* Benchmark script (not a test): `npm run bench:clusters`. Prints a Markdown table. */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { fork } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { clustersPlugin } from '../src/plugin';
import { quantile, request, sleep, Worker } from './http';
import { measureUpstream, UpstreamResult } from './upstreamSide';

const KINDS_PER_CLUSTER = 7; // the workload kinds the endpoint reads
const IDLE_SAMPLES = Number(process.env.BENCH_IDLE_SAMPLES ?? 5); // one request after 10 s idle each

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
  const entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: entityName,
      namespace: 'default',
      annotations: { 'backstage.io/kubernetes-id': entityName },
    },
    spec: { type: 'service', owner: 'bench', lifecycle: 'production' },
  };
  const backendStarted = Date.now();
  const backend = await startTestBackend({
    features: [
      clustersPlugin,
      catalogServiceMock.factory({ entities: [entity] }),
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
    'accept-encoding': 'br, gzip', // as a browser sends
  };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const pluginStats = async () =>
    (await request(agent, `${base}/clusters`, headers)).body.items as any[];
  const startMs = Date.now() - backendStarted;

  // cold: the first request right after the backend started
  const cold = await request(agent, url, headers);
  const kindStatuses = (answer: any) => {
    const n: Record<string, number> = {};
    for (const c of answer.clusters)
      for (const k of c.kinds) n[k.status] = (n[k.status] ?? 0) + 1;
    return Object.entries(n)
      .map(([s, c]) => `${c} ${s}`)
      .join(', ');
  };
  // until every kind of every cluster answers ok
  let first = cold;
  while (first.body.clusters.some((c: any) => c.status !== 'ok')) {
    await sleep(50);
    first = await request(agent, url, headers);
  }
  const allSyncedMs = Date.now() - backendStarted;
  const answerPods = first.body.clusters.reduce(
    (n: number, c: any) => n + c.pods.length,
    0,
  );
  for (;;) {
    const { openWatches } = await worker.call({ type: 'counts' });
    if (openWatches >= clusters.length * KINDS_PER_CLUSTER) break;
    await sleep(100);
  }
  log(`cold request ${cold.ms.toFixed(0)} ms; warming up`);
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

  // isolated requests: one after each 10 s of idleness
  const idle: number[] = [];
  for (let i = 0; i < IDLE_SAMPLES; i++) {
    await sleep(10_000);
    idle.push(...(await measure(1)));
  }
  log(`idle requests: ${idle.map(d => d.toFixed(1)).join(', ')} ms`);

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
  const ms3 = (xs: number[]) =>
    `${quantile(xs, 0.5).toFixed(2)} / ${quantile(xs, 0.95).toFixed(
      2,
    )} / ${quantile(xs, 0.99).toFixed(2)} ms`;

  let up: UpstreamResult | undefined;
  if (process.env.BENCH_UPSTREAM !== '0') {
    log('upstream side: @backstage/plugin-kubernetes-backend (own process)');
    up = await measureUpstream({
      clusters,
      entity,
      simulator: worker,
      iterations: Number(process.env.BENCH_UPSTREAM_ITERATIONS ?? 100),
      log,
    });
  }

  const na = up ? '' : 'not run (BENCH_UPSTREAM=0)';
  const rows: Array<[string, string, string]> = [
    [
      'machine',
      `${os.cpus().length} cores (shared), Node ${process.version}, load ${os
        .loadavg()
        .map(l => l.toFixed(1))
        .join(' ')}, ${new Date().toISOString()}`,
      'same run',
    ],
    [
      'clusters x pods',
      `${clusters.length} x ${ready.podsPerCluster} (${
        clusters.length * ready.podsPerCluster
      } pods), ${latencyMs} ms added API latency`,
      'same simulator',
    ],
    [
      'entity answer',
      `${answerPods} pods on ${first.body.clusters.length} clusters (${
        ready.podsPerService
      } per cluster), ${(first.bytes / 1024).toFixed(0)} KiB on the wire${
        first.encoding ? ` (${first.encoding})` : ''
      }`,
      up ? `${up.pods} pods, ${(up.bytes / 1024).toFixed(0)} KiB` : na,
    ],
    ['simulator start-up (separate process)', `${ready.startMs} ms`, ''],
    [
      'backend start (startTestBackend)',
      `${startMs} ms`,
      up ? `${up.startMs} ms` : na,
    ],
    [
      'first request after backend start',
      `${cold.ms.toFixed(0)} ms (kinds: ${kindStatuses(cold.body)})`,
      up ? `${up.coldMs.toFixed(0)} ms` : na,
    ],
    [
      'every kind of every cluster ok, after backend start',
      `${allSyncedMs} ms`,
      '',
    ],
    [
      `entity workloads, warm, sequential: median / p95 / p99`,
      `${ms3(durations)} (${iterations} requests, client in another process)`,
      up ? `${ms3(up.durations)} (${up.durations.length} requests)` : na,
    ],
    [
      'warm median ratio (upstream / Careplane)',
      up
        ? `${(quantile(up.durations, 0.5) / quantile(durations, 0.5)).toFixed(
            0,
          )}x`
        : na,
      '',
    ],
    [
      `a request after 10 s idle: median / max (${IDLE_SAMPLES} samples)`,
      `${quantile(idle, 0.5).toFixed(2)} / ${Math.max(...idle).toFixed(2)} ms`,
      '',
    ],
    [
      'GC during the measured requests: pauses / total / longest',
      `${gcPauses.length} / ${gcPauses
        .reduce((a, b) => a + b, 0)
        .toFixed(0)} ms / ${Math.max(0, ...gcPauses).toFixed(1)} ms`,
      '',
    ],
    [
      'throughput (sequential, 1 client)',
      `${((iterations / measuredMs) * 1000).toFixed(0)} req/s`,
      up
        ? `${(
            1000 /
            (up.durations.reduce((a, b) => a + b, 0) / up.durations.length)
          ).toFixed(0)} req/s`
        : na,
    ],
    [
      `API-server requests/min at steady state (simulator counters, ${(
        minutes * 60
      ).toFixed(0)} s window); upstream: LISTs per entity request`,
      [...verbs]
        .sort()
        .map(v => `${v} ${serverRate(v).toFixed(1)}`)
        .join(', '),
      up ? `${up.listsPerRequest.toFixed(0)} LISTs per request` : na,
    ],
    [
      'LISTs during the window (plugin counters)',
      String(pluginCount(stats1, 'list') - pluginCount(stats0, 'list')),
      '',
    ],
    ['open watches at the end (simulator)', String(counts1.openWatches), ''],
    [
      'object changes in the clusters during the window (watch events)',
      `${(
        (counts1.resourceVersion - counts0.resourceVersion) /
        minutes
      ).toFixed(0)}/min`,
      '',
    ],
    [
      'cached objects (all kinds, all clusters)',
      `${cacheObjects} (~${mb(cacheBytes)} JSON)`,
      'no cache',
    ],
    [
      'heap used after GC / rss (backend process)',
      `${mb(mem.heapUsed)} / ${mb(mem.rss)}`,
      up ? `${mb(up.heapUsed)} / ${mb(up.rss)}` : na,
    ],
  ];
  out('| measurement | Careplane | upstream 0.21.11 |');
  out('| --- | --- | --- |');
  for (const [k, v, u] of rows) out(`| ${k} | ${v} | ${u} |`);

  worker.child.send({ type: 'stop' });
  await Promise.race([backend.stop(), sleep(5000)]);
  agent.destroy();
}
