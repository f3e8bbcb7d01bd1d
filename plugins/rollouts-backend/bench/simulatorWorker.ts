/* Benchmark helper (not a test): runs the scale simulator in its own process, so its CPU and heap
 * do not distort the plugin's numbers, and plays the HTTP client of the measured requests. */
import http from 'node:http';
import {
  generateScaleScenario,
  startSimulator,
} from '@careplane/cluster-simulator';

function timedGet(
  agent: http.Agent,
  url: string,
  headers: Record<string, string>,
) {
  return new Promise<{ ms: number; bytes: number; body: string }>(
    (resolve, reject) => {
      const started = process.hrtime.bigint();
      http
        .get(url, { agent, headers }, res => {
          const chunks: Buffer[] = [];
          res.on('data', c => chunks.push(c));
          res.on('end', () => {
            const ms = Number(process.hrtime.bigint() - started) / 1e6;
            const buf = Buffer.concat(chunks);
            if (res.statusCode !== 200)
              reject(new Error(`${url}: HTTP ${res.statusCode} ${buf}`));
            else resolve({ ms, bytes: buf.length, body: buf.toString('utf8') });
          });
        })
        .on('error', reject);
    },
  );
}

export async function runWorker(): Promise<void> {
  const clusters = Number(process.env.BENCH_CLUSTERS ?? 10);
  const releases = Number(process.env.BENCH_RELEASES ?? 500);
  const services = 10;
  const scenario = generateScaleScenario({
    clusters,
    namespaces: Math.ceil(releases / services),
    servicesPerNamespace: services,
    podsPerService: 1,
    addons: ['argo-rollouts'],
  });
  // every 10th release an Argo canary that stops at an indefinite pause (waiting for a person)
  for (const c of scenario.clusters) {
    c.apps?.forEach((app: any, i: number) => {
      if (i % 10 !== 0) return;
      app.kind = 'Rollout';
      app.strategy = { canary: { steps: [{ setWeight: 20 }, { pause: {} }] } };
      app.update = { image: 'registry.example/bench:2', at: '5s' };
    });
  }
  const started = Date.now();
  const sim = await startSimulator({ scenario, ports: 'ephemeral', speed: 0 });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  process.on('message', async (msg: any) => {
    try {
      if (msg.type === 'get') {
        const r = await timedGet(agent, msg.url, msg.headers);
        process.send!({
          id: msg.id,
          ms: r.ms,
          bytes: r.bytes,
          body: JSON.parse(r.body),
        });
      } else if (msg.type === 'measure') {
        const times: number[] = [];
        let bytes = 0;
        for (let i = 0; i < msg.warmup + msg.iterations; i++) {
          const r = await timedGet(agent, msg.url, msg.headers);
          if (i >= msg.warmup) times.push(r.ms);
          bytes = r.bytes;
        }
        process.send!({ id: msg.id, times, bytes });
      } else if (msg.type === 'stop') {
        await sim.stop();
        process.send!({ id: msg.id });
        process.exit(0);
      }
    } catch (e) {
      process.send!({ id: msg.id, error: String(e) });
    }
  });
  process.send!({
    type: 'ready',
    startMs: Date.now() - started,
    clusters: sim.clusters,
    names: scenario.clusters[0].apps!.map((a: any) => a.name),
  });
}
