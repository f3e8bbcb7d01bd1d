/*
 * The whole plugin against the cluster simulator (faithful to kube-apiserver, see its README
 * "Conformance"): logs of a pod that never started, and a pod relabelled out of an entity's
 * selector leaving the entity's stream. Simulated time only moves with advance().
 */
import {
  startSimulator,
  type RunningSimulator,
} from '@careplane/cluster-simulator';
import request from 'supertest';
import {
  as,
  DEMO_SCENARIO,
  ID,
  JORDAN,
  openSseStream,
  PRIYA,
  startDemoBackend,
} from './__testUtils__/demoWorld';

jest.setTimeout(60_000);

const VIDEO = 'component:default/video-consultation';
const LEGACY = 'legacy-onprem';
const NS = 'video-consultation';
const NOT_STARTED = 'no logs yet: the pod has not started';

let sim: RunningSimulator;
let backend: Awaited<ReturnType<typeof startDemoBackend>>;
const openStreams: AbortController[] = [];

async function start() {
  sim = await startSimulator({
    scenarioFile: DEMO_SCENARIO,
    ports: 'ephemeral',
    speed: 0,
  });
  backend = await startDemoBackend(sim);
}

afterEach(async () => {
  openStreams.splice(0).forEach(c => c.abort());
  await backend?.stop();
  await sim?.stop();
});

/** A pod of video-consultation asking for more GPUs than any node has: it stays Pending. */
function createUnschedulablePod(name: string) {
  const cluster = sim.simulation.cluster(LEGACY);
  cluster.create(cluster.typeByKind('', 'Pod')!, NS, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, labels: { [ID]: 'video-consultation' } },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'registry.example.com/video:1',
          resources: {
            requests: { 'nvidia.com/gpu': '64' },
            limits: { 'nvidia.com/gpu': '64' },
          },
        },
      ],
    },
  });
  sim.advance(5);
  const pod = cluster
    .objectsOf('', 'Pod', NS)
    .find(p => p.metadata.name === name)!;
  expect(pod.spec?.nodeName).toBeUndefined();
  expect(pod.status?.phase).toBe('Pending');
}

const logsPath = (pod: string, extra = '') =>
  `/api/clusters/v1/logs?entityRef=${encodeURIComponent(
    VIDEO,
  )}&cluster=${LEGACY}&namespace=${NS}&pod=${pod}&reason=${encodeURIComponent(
    'issue 9',
  )}${extra}`;

describe('logs of a pod that never started', () => {
  it.each([
    ['the owner', JORDAN],
    ['a platform admin', PRIYA],
  ])('answers 200 text/plain with the reason, for %s', async (_, user) => {
    await start();
    createUnschedulablePod('video-gpu-hungry');
    const res = await request(backend.server)
      .get(logsPath('video-gpu-hungry'))
      .set(as(user));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toBe(NOT_STARTED);
  });

  it('answers the same when following', async () => {
    await start();
    createUnschedulablePod('video-gpu-hungry');
    const res = await request(backend.server)
      .get(logsPath('video-gpu-hungry', '&follow=true'))
      .set(as(JORDAN));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toBe(NOT_STARTED);
  });

  it('keeps the log of a running pod as it is', async () => {
    await start();
    const running = sim.simulation
      .cluster(LEGACY)
      .objectsOf('', 'Pod', NS)
      .find(p => p.metadata.labels?.[ID] === 'video-consultation')!;
    const res = await request(backend.server)
      .get(logsPath(running.metadata.name!))
      .set(as(JORDAN));
    expect(res.status).toBe(200);
    expect(res.text).not.toBe(NOT_STARTED);
    expect(res.text.length).toBeGreaterThan(0);
  });
});

/** An SSE client over real HTTP (the browser's fetch API). */
async function openStream(user: string) {
  const stream = await openSseStream(backend.server, user);
  openStreams.push(stream.controller);
  return {
    ...stream,
    async watch(watchId: string, body: object) {
      expect(await stream.watch(watchId, body)).toBe(204);
    },
  };
}

async function until<T>(check: () => T | undefined | false): Promise<T> {
  for (;;) {
    const v = check();
    if (v) return v;
    await new Promise(r => setTimeout(r, 20));
  }
}

async function relabel(pod: string, value: string) {
  const res = await request(backend.server)
    .post('/api/clusters/v1/patch')
    .set(as(PRIYA))
    .send({
      entityRef: VIDEO,
      cluster: LEGACY,
      kind: 'Pod',
      namespace: NS,
      name: pod,
      patchType: 'merge',
      patch: { metadata: { labels: { [ID]: value } } },
      reason: 'issue 9: relabel',
    });
  expect(res.status).toBe(200);
}

describe('a pod relabelled out of the entity selector', () => {
  it('is a delete on the stream, sent once, naming the object and nothing more', async () => {
    await start();
    // the tab's first read (it also syncs the informer the watch then uses)
    const first = await request(backend.server)
      .get(
        `/api/clusters/v1/entities/component/default/video-consultation/workloads?clusters=${LEGACY}`,
      )
      .set(as(JORDAN));
    expect(first.status).toBe(200);
    const stream = await openStream(JORDAN);
    await stream.watch('w1', {
      entityRef: VIDEO,
      kinds: ['Pod'],
      clusters: [LEGACY],
    });
    await until(() => sim.faults(LEGACY).openWatches >= 1);
    const pod = sim.simulation
      .cluster(LEGACY)
      .objectsOf('', 'Pod', NS)
      .find(p => p.metadata.labels?.[ID] === 'video-consultation')!;
    const name = pod.metadata.name!;

    const from = stream.events.length;
    await relabel(name, 'somebody-else');
    const deleted = await stream.next(
      e => e.type === 'delete' && e.object.name === name,
      from,
    );
    expect(deleted).toEqual({
      type: 'delete',
      watchId: 'w1',
      object: {
        cluster: LEGACY,
        kind: 'Pod',
        namespace: NS,
        name,
        uid: pod.metadata.uid,
        resourceVersion: expect.any(String),
        object: {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            name,
            namespace: NS,
            uid: pod.metadata.uid,
            resourceVersion: expect.any(String),
          },
        },
      },
    });

    // a further change of the now foreign pod is not told; relabelling it back is an upsert
    await relabel(name, 'somebody-else-again');
    await relabel(name, 'video-consultation');
    const back = await stream.next(
      e => e.type === 'upsert' && e.object.name === name,
      from,
    );
    expect(back.object.object.metadata.labels[ID]).toBe('video-consultation');
    const about = stream.events
      .slice(from)
      .filter(e => e.object?.name === name)
      .map(e => e.type);
    expect(about).toEqual(['delete', 'upsert']);
  });
});
