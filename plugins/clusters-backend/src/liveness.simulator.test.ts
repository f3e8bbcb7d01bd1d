/*
 * Issue 9, "a gateway that tells the truth about a failing cluster": the whole plugin against the
 * cluster simulator's demo world. A cluster that hangs or goes down turns its sections stale with
 * the reason, a log read from it fails with the reason, and it is live again once it answers;
 * credentials the API server refuses are named as such; a 410 re-list is counted.
 *
 * The simulator runs with speed 0 and the faulted cluster has small timeouts. Tests poll for
 * states and reasons; no duration is asserted (jest's timeout is the only bound). Where promptness
 * matters it is made structural instead: a circuit breaker with a 10 minute cooldown must still
 * recover, which only the probe's half-open trial can do within the test's timeout.
 */
import {
  startSimulator,
  type RunningSimulator,
} from '@careplane/cluster-simulator';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import {
  as,
  DEMO_SCENARIO,
  ID,
  JORDAN,
  PRIYA,
  startDemoBackend,
} from './__testUtils__/demoWorld';

jest.setTimeout(60_000);

const VIDEO = 'component:default/video-consultation';
const EAST = 'cloud-east';
const NS = 'video-consultation';

let sim: RunningSimulator;
let backend: Awaited<ReturnType<typeof startDemoBackend>>;

async function start(
  options: {
    /** Overrides a cluster's `auth`. */
    auth?: (c: {
      name: string;
      url: string;
      token: string;
    }) => object | undefined;
  } = {},
) {
  sim = await startSimulator({
    scenarioFile: DEMO_SCENARIO,
    ports: 'ephemeral',
    speed: 0,
  });
  backend = await startDemoBackend(sim, {
    location: c => (options.auth?.(c) ? { auth: options.auth(c) } : {}),
    clusters: {
      timeouts: { request: '1s', firstSync: '3s' },
      // a cooldown no test can wait for: recovery must come from the probe's trial
      circuitBreaker: { failureThreshold: 2, cooldown: '10m' },
    },
  });
}

afterEach(async () => {
  sim?.faults(EAST).clear();
  await backend?.stop();
  await sim?.stop();
});

async function get(path: string, user = JORDAN) {
  return request(backend.server).get(`/api/clusters/v1${path}`).set(as(user));
}

async function east() {
  const res = await get(
    `/entities/component/default/video-consultation/workloads?clusters=${EAST}`,
  );
  expect(res.status).toBe(200);
  return res.body.clusters[0];
}

async function eastInfo() {
  const res = await get('/clusters', PRIYA);
  return res.body.items.find((c: any) => c.name === EAST);
}

/** Polls until `check` is truthy (no duration is asserted; jest's timeout is the bound). */
async function until<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
): Promise<T> {
  for (;;) {
    const v = await check();
    if (v) return v;
    await new Promise(r => setTimeout(r, 20));
  }
}

/** Synced, watching, answering ok. */
async function live() {
  const first = await until(async () => {
    const c = await east();
    return c.status === 'ok' && c;
  });
  await until(() => sim.faults(EAST).openWatches === 7);
  return first;
}

const names = (xs: any[]): string[] => xs.map(x => x.name).sort();

function aPod() {
  return sim.simulation
    .cluster(EAST)
    .objectsOf('', 'Pod', NS)
    .find(p => p.metadata.labels?.[ID] === 'video-consultation')!.metadata
    .name!;
}

const logs = (pod: string) =>
  get(
    `/logs?entityRef=${encodeURIComponent(
      VIDEO,
    )}&cluster=${EAST}&namespace=${NS}&pod=${pod}&reason=${encodeURIComponent(
      'issue 9',
    )}`,
  );

describe('a cluster that stops answering', () => {
  it('hangs: its sections turn stale with the reason although its watches still stream, and live again once it answers', async () => {
    await start();
    const first = await live();

    sim.faults(EAST).set({ hang: true });
    // the simulator keeps open watches streaming during a hang: only the probe can tell
    expect(sim.faults(EAST).openWatches).toBe(7);
    const stale = await until(async () => {
      const c = await east();
      return c.status === 'stale' && c;
    });
    expect(stale.error.message).toMatch(
      /Cluster cloud-east did not answer within 1000 ms/,
    );
    expect(stale.syncedAt).toEqual(expect.any(String));
    expect(stale.kinds.every((k: any) => k.status === 'stale')).toBe(true);
    for (const k of stale.kinds) {
      expect(k.error.message).toMatch(/cloud-east did not answer/);
    }
    // what was last seen is still shown, marked stale
    expect(names(stale.pods)).toEqual(names(first.pods));
    expect((await eastInfo()).health.status).not.toBe('healthy');

    sim.faults(EAST).set({});
    const again = await until(async () => {
      const c = await east();
      return c.status === 'ok' && c;
    });
    expect(again.error).toBeUndefined();
    expect(again.kinds.every((k: any) => k.status === 'ok')).toBe(true);
    expect(names(again.pods)).toEqual(names(first.pods));
    const info = await until(async () => {
      const c = await eastInfo();
      return c.health.status === 'healthy' && c;
    });
    expect(info.health.circuit).toBe('closed');
  });

  it('hangs: a log read fails with the reason after one attempt', async () => {
    await start();
    await live();
    const pod = aPod();
    expect((await logs(pod)).status).toBe(200);

    sim.faults(EAST).set({ hang: true });
    const before = (await eastInfo()).stats.requests;
    const res = await logs(pod);
    expect(res.status).toBe(503);
    expect(res.body.error).toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringMatching(
        /Cluster cloud-east did not answer within 1000 ms|circuit open.*last error: Cluster cloud-east/,
      ),
    });
    // the first call of the read timed out and ended it: no retry, no later call
    const after = (await eastInfo()).stats.requests;
    expect(after.logs).toBe(before.logs);

    sim.faults(EAST).set({});
    const back = await until(async () => {
      const r = await logs(pod);
      return r.status === 200 && r;
    });
    expect(back.text.length).toBeGreaterThan(0);
  });

  it('goes down: stale with the reason, and live again when it is back despite an open circuit', async () => {
    await start();
    const first = await live();

    sim.faults(EAST).set({ down: true });
    // first the reset watches say so ("watch dropped"), then the probe and reconnects say why
    const stale = await until(async () => {
      const c = await east();
      return c.status === 'stale' && c;
    });
    expect(stale.error.message).toMatch(
      /Cluster cloud-east(: \w+ watch dropped| is unreachable \(ECONNREFUSED\))/,
    );
    const why = await until(async () => {
      const c = await east();
      return /unreachable \(ECONNREFUSED\)/.test(c.error?.message) && c;
    });
    expect(why.status).toBe('stale');
    expect(names(why.pods)).toEqual(names(first.pods));
    const res = await logs(aPod());
    expect(res.status).toBe(503);
    expect(res.body.error.message).toMatch(
      /Cluster cloud-east is unreachable \(ECONNREFUSED\)/,
    );
    // failures open the circuit (threshold 2, cooldown 10 min)
    await until(async () => (await eastInfo()).health.circuit === 'open');

    sim.faults(EAST).set({});
    const again = await until(async () => {
      const c = await east();
      return c.status === 'ok' && c;
    });
    expect(again.kinds.every((k: any) => k.status === 'ok')).toBe(true);
    expect((await eastInfo()).health).toMatchObject({
      status: 'healthy',
      circuit: 'closed',
    });
    await until(() => sim.faults(EAST).openWatches === 7);
  });

  it('was never synced: unavailable with the reason, then live when it comes up', async () => {
    await start();
    sim.faults(EAST).set({ down: true });
    const unavailable = await until(async () => {
      const c = await east();
      return c.status === 'unavailable' && c;
    });
    expect(unavailable.error.message).toMatch(
      /Cluster cloud-east is unreachable \(ECONNREFUSED\)/,
    );
    sim.faults(EAST).set({});
    const ok = await until(async () => {
      const c = await east();
      return c.status === 'ok' && c;
    });
    expect(ok.pods.length).toBeGreaterThan(0);
  });
});

describe("credentials the API server refuses are Careplane's to fix", () => {
  /** A kubeconfig for the cluster with a user that has no credentials: anonymous requests. */
  function anonymousKubeconfig(url: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'careplane-liveness-'));
    const path = join(dir, 'kubeconfig');
    writeFileSync(
      path,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: EAST, cluster: { server: url } }],
        users: [{ name: 'nobody', user: {} }],
        contexts: [{ name: EAST, context: { cluster: EAST, user: 'nobody' } }],
        'current-context': EAST,
      }),
    );
    return path;
  }

  it.each([
    [
      'an unknown token (401)',
      () => ({ type: 'serviceAccountToken', token: 'not-a-token' }),
      401,
      /Unauthorized/,
    ],
    [
      'anonymous (403)',
      (c: { url: string }) => ({
        type: 'kubeconfig',
        path: anonymousKubeconfig(c.url),
      }),
      403,
      /system:anonymous/,
    ],
  ])('%s', async (_what, auth, code, serverMessage) => {
    await start({ auth: c => (c.name === EAST ? auth(c) : undefined) });
    const c = await until(async () => {
      const r = await east();
      return r.status === 'unavailable' && r.error && r;
    });
    expect(c.error.message).toMatch(
      new RegExp(
        `^Cluster cloud-east refused Careplane's credentials \\(HTTP ${code}: .+\\); check clusters\\.locations\\[\\]\\.auth \\(token, kubeconfig\\) and the RBAC of Careplane's service account$`,
      ),
    );
    expect(c.error.message).toMatch(serverMessage);
    expect(c.error.message).not.toMatch(/127\.0\.0\.1|http:/);
  });
});

describe('410 Gone', () => {
  it('re-lists instead of resuming, and counts the re-lists per cluster', async () => {
    await start();
    await live();
    expect((await eastInfo()).stats.relists).toBe(0);
    const pods = () =>
      sim.simulation
        .cluster(EAST)
        .objectsOf('', 'Pod', NS)
        .filter(p => p.metadata.labels?.[ID] === 'video-consultation');
    const gone = pods()[0].metadata.name!;
    expect(sim.faults(EAST).dropWatches('close')).toBe(7);
    sim.simulation.cluster(EAST).removeOf('', 'Pod', NS, gone);
    sim.simulation.cluster(EAST).store.compact();
    const relisted = await until(async () => {
      const c = await east();
      return !names(c.pods).includes(gone) && c;
    });
    expect(relisted.status).toBe('ok');
    expect(names(relisted.pods)).toEqual(
      pods()
        .map(p => p.metadata.name!)
        .sort(),
    );
    const info = await until(async () => {
      const c = await eastInfo();
      return c.stats.relists === 7 && c;
    });
    expect(info.stats.requests.list).toBe(14);
  });
});
