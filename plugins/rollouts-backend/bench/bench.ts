/*
 * bench:rollouts (not a test; nothing asserted). The clusters plugin and the rollouts plugin
 * in-process; the simulator (BENCH_CLUSTERS (10) clusters × BENCH_RELEASES (500) releases each:
 * every 10th an Argo canary paused for a person, the rest Deployments of one pod) and the HTTP
 * client in a child process. Sequential requests, after 100 warm-up ones:
 *  - the fleet query `GET /api/rollouts/v1/waiting` (every paused canary of the fleet),
 *  - an entity's status `GET /api/rollouts/v1/entities/component/default/svc-1-1/rollouts`
 *    (its release on all 10 clusters, through the hub's cache),
 * and the LISTs the hub sent to the API servers meanwhile (its own counters).
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import clustersPlugin from '@careplane/plugin-clusters-backend';
import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { clustersModuleRolloutsKinds } from '../src/module';
import { rolloutsPlugin } from '../src/plugin';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 1000);

function log(msg: string) {
  process.stdout.write(`${msg}\n`);
}

function workerClient(child: ChildProcess) {
  let next = 0;
  const pending = new Map<number, (m: any) => void>();
  let onReady: (m: any) => void = () => {};
  const ready = new Promise<any>(r => (onReady = r));
  child.on('message', (m: any) => {
    if (m.type === 'ready') onReady(m);
    else pending.get(m.id)?.(m);
  });
  const call = (msg: object) =>
    new Promise<any>((resolve, reject) => {
      const id = ++next;
      pending.set(id, m => (m.error ? reject(new Error(m.error)) : resolve(m)));
      child.send({ ...msg, id });
    });
  return { ready, call };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)].toFixed(
    2,
  );
};

async function main() {
  const worker = workerClient(
    fork(join(__dirname, 'simulatorWorker.js'), { stdio: 'inherit' }),
  );
  const ready = await worker.ready;
  const names: string[] = ready.names;
  log(
    `simulator (own process): ${ready.clusters.length} clusters x ${names.length} releases in ${ready.startMs} ms`,
  );

  const backend = await startTestBackend({
    features: [
      clustersPlugin,
      rolloutsPlugin,
      clustersModuleRolloutsKinds,
      catalogServiceMock.factory({
        entities: names.map(name => ({
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            name,
            namespace: 'default',
            annotations: { 'backstage.io/kubernetes-id': name },
          },
          spec: {
            type: 'service',
            owner: `group:default/team-${name.split('-')[1]}`,
            lifecycle: 'production',
          },
        })),
      }),
      mockServices.rootConfig.factory({
        data: {
          clusters: {
            locations: ready.clusters.map((c: any) => ({
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
  const base = `http://127.0.0.1:${port}/api`;
  const headers = {
    Authorization: mockCredentials.user.header('user:default/bench'),
  };
  const get = (url: string) => worker.call({ type: 'get', url, headers });
  const lists = async () =>
    (await get(`${base}/clusters/v1/clusters`)).body.items.reduce(
      (n: number, c: any) => n + (c.stats.requests.list ?? 0),
      0,
    );

  const fleetUrl = `${base}/rollouts/v1/waiting`;
  const entityUrl = `${base}/rollouts/v1/entities/component/default/${names[0]}/rollouts`;
  const cold = await get(fleetUrl);
  log(
    `fleet index, cold (subscribe, then one fill from the hub cache): ${cold.ms.toFixed(
      0,
    )} ms; ${cold.body.items.length} waiting`,
  );
  const e = await get(entityUrl);
  const releases = e.body.clusters.reduce(
    (n: number, c: any) => n + c.rollouts.length,
    0,
  );
  log(
    `entity answer: ${e.body.clusters.length} clusters, ${releases} releases, ${e.bytes} bytes`,
  );

  const before = await lists();
  const fleet = await worker.call({
    type: 'measure',
    url: fleetUrl,
    headers,
    warmup: 100,
    iterations: ITERATIONS,
  });
  const entity = await worker.call({
    type: 'measure',
    url: entityUrl,
    headers,
    warmup: 100,
    iterations: ITERATIONS,
  });
  const after = await lists();
  log(
    `fleet query (${cold.body.items.length} items, ${
      fleet.bytes
    } bytes) ms p50 / p95 / p99: ${pct(fleet.times, 50)} / ${pct(
      fleet.times,
      95,
    )} / ${pct(fleet.times, 99)}`,
  );
  log(
    `entity status ms p50 / p95 / p99: ${pct(entity.times, 50)} / ${pct(
      entity.times,
      95,
    )} / ${pct(entity.times, 99)}`,
  );
  log(
    `LISTs sent by the hub during the ${
      2 * (ITERATIONS + 100)
    } measured and warm-up requests: ${after - before}`,
  );
  const mem = process.memoryUsage();
  log(
    `plugin process: heap used ${(mem.heapUsed / 1e6).toFixed(0)} MB, rss ${(
      mem.rss / 1e6
    ).toFixed(0)} MB`,
  );
  await backend.stop();
  await worker.call({ type: 'stop' }).catch(() => {});
}

main().then(
  () => process.exit(0),
  err => {
    process.stderr.write(`${err.stack ?? err}\n`);
    process.exit(1);
  },
);
