/* Benchmark helper (not a test): runs the scale simulator in its own process, so its CPU and
 * heap do not distort the plugin's numbers, and counts the API requests that reach it. */
import {
  generateScaleScenario,
  startSimulator,
} from '@careplane/cluster-simulator';

type Counts = Record<string, number>;

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
