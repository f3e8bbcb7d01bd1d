/* Benchmark (not a test): the upstream side, `@backstage/plugin-kubernetes-backend` 0.21.11
 * against the same simulator clusters, asked for the same entity through its
 * `POST /api/kubernetes/services/:serviceId` (the Kubernetes tab's call). */
import type { Entity } from '@backstage/catalog-model';
import { mockCredentials } from '@backstage/backend-test-utils';
import { fork } from 'node:child_process';
import http from 'node:http';
import { join } from 'node:path';
import { quantile, request, sleep, Worker } from './http';

/** The part of upstream's answer counted here. */
type UpstreamAnswer = {
  items: Array<{ resources: Array<{ type: string; resources: unknown[] }> }>;
};

export type UpstreamResult = {
  startMs: number;
  coldMs: number;
  pods: number;
  bytes: number;
  durations: number[];
  /** API-server LISTs per entity request (simulator counters). */
  listsPerRequest: number;
  heapUsed: number;
  rss: number;
};

export async function measureUpstream(options: {
  clusters: Array<{ name: string; url: string; token: string }>;
  entity: Entity;
  simulator: Worker;
  iterations: number;
  log: (line: string) => void;
}): Promise<UpstreamResult> {
  const { clusters, entity, simulator, iterations, log } = options;
  const worker = new Worker(
    fork(join(__dirname, 'upstreamWorker.js'), {
      stdio: 'inherit',
      execArgv: ['--expose-gc'],
    }),
  );
  await worker.ready;
  const started = Date.now();
  const res = await worker.call({ type: 'start', clusters, entity });
  if (res.error) throw new Error(res.error);
  const startMs = Date.now() - started;
  const url = `http://127.0.0.1:${res.port}/api/kubernetes/services/${entity.metadata.name}`;
  const headers = {
    Authorization: mockCredentials.user.header('user:default/bench'),
  };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const body = { entity };
  const cold = await request(agent, url, headers, body);
  if (cold.status !== 200) throw new Error(`upstream: HTTP ${cold.status}`);
  const answer: UpstreamAnswer = cold.body;
  const pods = answer.items.reduce(
    (n, item) =>
      n +
      item.resources
        .filter(r => r.type === 'pods')
        .reduce((m, r) => m + r.resources.length, 0),
    0,
  );
  log(`upstream cold request ${cold.ms.toFixed(0)} ms; ${pods} pods`);
  for (let i = 0; i < 10; i++) await request(agent, url, headers, body);
  const lists = (counts: { counts: Record<string, Record<string, number>> }) =>
    Object.values(counts.counts).reduce((n, c) => n + (c.list ?? 0), 0);
  const before = await simulator.call({ type: 'counts' });
  const durations: number[] = [];
  for (let i = 0; i < iterations; i++) {
    durations.push((await request(agent, url, headers, body)).ms);
  }
  const after = await simulator.call({ type: 'counts' });
  log(
    `upstream: ${iterations} requests, median ${quantile(
      durations,
      0.5,
    ).toFixed(1)} ms`,
  );
  await sleep(500);
  const mem = await worker.call({ type: 'memory' });
  worker.child.send({ type: 'stop' });
  agent.destroy();
  return {
    startMs,
    coldMs: cold.ms,
    pods,
    bytes: cold.bytes,
    durations,
    listsPerRequest: (lists(after) - lists(before)) / iterations,
    heapUsed: mem.heapUsed,
    rss: mem.rss,
  };
}
