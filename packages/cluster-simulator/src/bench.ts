import { generateScaleScenario } from './scale';
import { startSimulator } from './server';

/* A benchmark script (not a test): list latency and watch throughput at scale. */

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))];
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = process.hrtime.bigint();
  const v = await fn();
  return [Number(process.hrtime.bigint() - t) / 1e6, v];
}

/** Runs the benchmark and prints a Markdown table. */
export async function runBenchmark(): Promise<void> {
  const pods = Number(process.env.BENCH_PODS ?? 10000);
  const podsPerService = 100;
  const services = Math.max(1, Math.round(pods / podsPerService));
  const namespaces = Math.max(1, Math.round(services / 10));
  const iterations = Number(process.env.BENCH_ITERATIONS ?? 15);
  const [startMs, sim] = await timed(() =>
    startSimulator({
      scenario: generateScaleScenario({
        clusters: 1,
        namespaces,
        servicesPerNamespace: Math.round(services / namespaces),
        podsPerService,
      }),
      ports: 'ephemeral',
      speed: 0,
    }),
  );
  const { url, token } = sim.clusters[0];
  const headers = { authorization: `Bearer ${token}` };
  const get = async (path: string) => {
    const res = await fetch(`${url}${path}`, { headers });
    if (!res.ok) throw new Error(`${path}: ${res.status}`);
    return res.json();
  };
  const rows: Array<[string, string]> = [];
  try {
    const total =
      (await get('/api/v1/pods?limit=1')).metadata.remainingItemCount + 1;
    rows.push(['pods in the cluster', String(total)]);
    rows.push([
      'start-up incl. 30 s simulated warm-up (ms)',
      startMs.toFixed(0),
    ]);

    const measure = async (label: string, fn: () => Promise<unknown>) => {
      await fn();
      const xs: number[] = [];
      for (let i = 0; i < iterations; i++) xs.push((await timed(fn))[0]);
      rows.push([
        `${label}: median / p95 (ms)`,
        `${median(xs).toFixed(1)} / ${p95(xs).toFixed(1)}`,
      ]);
    };
    await measure('LIST all pods, one response', () => get('/api/v1/pods'));
    await measure('LIST all pods, pages of 500 (limit/continue)', async () => {
      let cont: string | undefined;
      do {
        const page = await get(
          `/api/v1/pods?limit=500${
            cont ? `&continue=${encodeURIComponent(cont)}` : ''
          }`,
        );
        cont = page.metadata.continue;
      } while (cont);
    });
    await measure('LIST one namespace', () =>
      get('/api/v1/namespaces/team-1/pods'),
    );
    await measure('LIST by label selector (one service, 100 pods)', () =>
      get(
        `/api/v1/pods?labelSelector=${encodeURIComponent(
          'backstage.io/kubernetes-id=svc-1-1',
        )}`,
      ),
    );

    // Watch throughput: one watch on all pods, then N modifications.
    const events = Number(process.env.BENCH_EVENTS ?? total);
    const rv = (await get('/api/v1/pods?limit=1')).metadata.resourceVersion;
    const controller = new AbortController();
    const res = await fetch(
      `${url}/api/v1/pods?watch=true&resourceVersion=${rv}`,
      { headers, signal: controller.signal },
    );
    const reader = res.body!.getReader();
    let received = 0;
    let buffered = '';
    const decoder = new TextDecoder();
    let done!: () => void;
    const allReceived = new Promise<void>(r => (done = r));
    void (async () => {
      for (;;) {
        const chunk = await reader
          .read()
          .catch(() => ({ done: true, value: undefined }));
        if (chunk.done) return;
        buffered += decoder.decode(chunk.value, { stream: true });
        let idx = buffered.indexOf('\n');
        while (idx >= 0) {
          if (buffered.slice(0, idx).trim()) received++;
          buffered = buffered.slice(idx + 1);
          idx = buffered.indexOf('\n');
        }
        if (received >= events) done();
      }
    })();
    const cluster = sim.simulation.cluster('scale-1');
    const all = cluster.objectsOf('', 'Pod').slice(0, events);
    const [watchMs] = await timed(async () => {
      for (const p of all) {
        cluster.mutate(
          '',
          'Pod',
          p.metadata.namespace!,
          p.metadata.name!,
          d => {
            d.metadata.labels = {
              ...d.metadata.labels,
              'bench.careplane.io/touched': 'yes',
            };
          },
        );
      }
      await allReceived;
    });
    rows.push([
      `WATCH: ${events} MODIFIED events delivered (ms)`,
      watchMs.toFixed(0),
    ]);
    rows.push([
      'WATCH throughput (events/s)',
      ((events / watchMs) * 1000).toFixed(0),
    ]);
    controller.abort();

    const [initialMs] = await timed(async () => {
      const r = await fetch(
        `${url}/api/v1/pods?watch=true&resourceVersion=0&timeoutSeconds=1`,
        { headers },
      );
      const text = await r.text();
      return text.split('\n').filter(l => l.trim()).length;
    });
    rows.push([
      'WATCH from resourceVersion=0 (all ADDED + 1 s timeout) (ms)',
      initialMs.toFixed(0),
    ]);
  } finally {
    await sim.stop();
  }
  process.stdout.write(
    `\n| ${pods} pods (Node ${process.version}) | value |\n|---|---|\n${rows
      .map(([k, v]) => `| ${k} | ${v} |`)
      .join('\n')}\n`,
  );
}
