/* Benchmark helper (not a test): runs the scale simulator in its own process, so its CPU and
 * heap do not distort the plugin's numbers, and counts the API requests that reach it. It also
 * plays the HTTP client of the measured requests (the simulator is idle by then), so receiving
 * ~340 KiB answers does not add the client's work and garbage to the plugin's process. */
import http from 'node:http';
import {
  generateScaleScenario,
  startSimulator,
} from '@careplane/cluster-simulator';

type Counts = Record<string, number>;

function timedGet(
  agent: http.Agent,
  url: string,
  headers: Record<string, string>,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = http.get(url, { agent, headers }, res => {
      res.on('data', () => {});
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode}`));
        else resolve(Number(process.hrtime.bigint() - started) / 1e6);
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

export async function runWorker(): Promise<void> {
  const clusters = Number(process.env.BENCH_CLUSTERS ?? 10);
  const podsPerService = Number(process.env.BENCH_PODS_PER_SERVICE ?? 10);
  const podsPerCluster = Number(process.env.BENCH_PODS_PER_CLUSTER ?? 2000);
  const services = Math.max(1, Math.round(podsPerCluster / podsPerService));
  const namespaces = Math.max(1, Math.round(services / 20));
  const scenario = generateScaleScenario({
    clusters,
    namespaces,
    servicesPerNamespace: Math.round(services / namespaces),
    podsPerService,
  });
  scenario.warmup = '10s'; // pods are ready after 2 s; a shorter warm-up starts faster
  const started = Date.now();
  const sim = await startSimulator({ scenario, ports: 'ephemeral', speed: 1 });
  const counts: Record<string, Counts> = {};
  for (const { name } of sim.clusters) {
    const faults = sim.faults(name);
    const decide = faults.decide.bind(faults);
    const c: Counts = (counts[name] = {});
    faults.decide = (verb, resource, path) => {
      c[verb] = (c[verb] ?? 0) + 1;
      return decide(verb, resource, path);
    };
  }
  const podsOf = (cluster: string) =>
    sim.simulation.cluster(cluster).objectsOf('', 'Pod').length;
  process.on('message', (msg: any) => {
    if (msg.type === 'faults') {
      for (const { name } of sim.clusters) sim.faults(name).set(msg.faults);
      process.send!({ type: 'ok', id: msg.id });
    } else if (msg.type === 'counts') {
      process.send!({
        type: 'counts',
        id: msg.id,
        counts: JSON.parse(JSON.stringify(counts)),
        resourceVersion: sim.clusters.reduce(
          (n, { name }) =>
            n + sim.simulation.cluster(name).store.resourceVersion,
          0,
        ),
        openWatches: sim.clusters.reduce(
          (n, { name }) => n + sim.faults(name).openWatches,
          0,
        ),
      });
    } else if (msg.type === 'measure') {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      void (async () => {
        const durations: number[] = [];
        for (let i = 0; i < msg.iterations; i++) {
          durations.push(await timedGet(agent, msg.url, msg.headers));
        }
        agent.destroy();
        process.send!({ type: 'measured', id: msg.id, durations });
      })().catch(e =>
        process.send!({ type: 'measured', id: msg.id, error: String(e) }),
      );
    } else if (msg.type === 'stop') {
      void sim.stop().then(() => process.exit(0));
    }
  });
  process.send!({
    type: 'ready',
    startMs: Date.now() - started,
    clusters: sim.clusters,
    podsPerCluster: podsOf(sim.clusters[0].name),
    podsPerService,
  });
}
