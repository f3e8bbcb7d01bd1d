/*
 * The rollouts plugin on the clusters plugin against the simulator's demo world (catalog and
 * scenario of catalog/DEMO-WORLD.md): the demo's video-consultation canary, promoted, moves on.
 */
import { startSimulator, RunningSimulator } from '@careplane/cluster-simulator';
import { as, DEMO_SCENARIO, startDemoBackend } from './__testUtils__/demo';
import { JORDAN, KENJI } from './__testUtils__/world';
import { rolloutsRoutes } from '@careplane/plugin-rollouts-common';
import request from 'supertest';

jest.setTimeout(120_000);

const EAST = 'cloud-east';
const VIDEO = '/api/rollouts/v1/entities/component/default/video-consultation';

let sim: RunningSimulator;
let backend: Awaited<ReturnType<typeof startDemoBackend>>;

beforeAll(async () => {
  sim = await startSimulator({
    scenarioFile: DEMO_SCENARIO,
    ports: 'ephemeral',
    speed: 0,
  });
  backend = await startDemoBackend(sim);
});

afterAll(async () => {
  await backend?.stop();
  await sim?.stop();
});

async function canary(user = KENJI) {
  const res = await request(backend.server)
    .get(`${VIDEO}/rollouts`)
    .set(as(user));
  expect(res.status).toBe(200);
  const east = res.body.clusters.find((c: any) => c.cluster === EAST);
  return east.rollouts.find((r: any) => r.kind === 'Rollout');
}

async function until<T>(
  fn: () => Promise<T | undefined>,
  ms = 20_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise(r => setTimeout(r, 100));
  }
}

it("the demo's paused canary: step 1 of 6, 20 % set weight, paused since, waiting in the fleet", async () => {
  const ro = await canary();
  expect(ro).toMatchObject({
    phase: 'Paused',
    strategy: 'canary',
    step: { index: 1, total: 6 },
    weights: { set: 20 },
    pause: { reason: 'CanaryPauseStep', needsHuman: true },
    images: [expect.stringMatching(/video-consultation:2\.4\.0$/)],
  });
  expect(ro.pause.since).toEqual(expect.any(String));
  const waiting = await request(backend.server)
    .get('/api/rollouts/v1/waiting')
    .set(as(KENJI));
  const names = waiting.body.items.map((i: any) => [
    i.cluster,
    i.kind,
    i.name,
    i.state,
  ]);
  expect(names).toEqual(
    expect.arrayContaining([
      [EAST, 'Rollout', 'video-consultation', 'paused'],
      [EAST, 'Rollout', 'session-service', 'paused'],
    ]),
  );
});

it('the gate passes video-consultation and refuses session-service (budget spent)', async () => {
  const video = await request(backend.server)
    .get(`${VIDEO}/gate?cluster=${EAST}`)
    .set(as(KENJI));
  expect(video.body.clusters[0]).toMatchObject({
    cluster: EAST,
    decision: 'pass',
  });
  expect(video.body.clusters[0].remaining).toBeCloseTo(0.2, 1);
  const session = await request(backend.server)
    .get(
      `/api/rollouts/v1/entities/component/default/session-service/gate?cluster=${EAST}`,
    )
    .set(as(KENJI));
  expect(session.body.clusters[0]).toMatchObject({ decision: 'block' });
  expect(session.body.clusters[0].reason).toMatch(/^error budget exhausted/);
});

it('a non-owner is refused (403); the owner promotes and the canary moves on', async () => {
  const body = {
    cluster: EAST,
    kind: 'Rollout',
    namespace: 'video-consultation',
    name: 'video-consultation',
    action: 'promote',
    reason: 'clinical sign-off CHG-1042',
  };
  const refused = await request(backend.server)
    .post(`${VIDEO}/actions`)
    .set(as(KENJI))
    .send(body);
  expect(refused.status).toBe(403);

  const res = await request(backend.server)
    .post(`${VIDEO}/actions`)
    .set(as(JORDAN))
    .send(body);
  expect(res.status).toBe(200);
  expect(res.body.patches).toEqual([
    expect.objectContaining({
      kind: 'Rollout',
      subresource: 'status',
      patchType: 'merge',
    }),
  ]);
  const stored = sim.simulation
    .cluster(EAST)
    .objectOf(
      'argoproj.io',
      'Rollout',
      'video-consultation',
      'video-consultation',
    );
  expect(stored?.status?.pauseConditions ?? []).toEqual([]);

  // the controller takes the next steps as simulated time passes; the tab's answer follows
  sim.advance(30);
  const moved = await until(async () => {
    const ro = await canary();
    return ro.step.index >= 3 ? ro : undefined;
  });
  expect(moved.weights.set).toBe(50);
  expect(moved.phase).toBe('Paused'); // at the timed 5-minute pause, which needs nobody
  expect(moved.pause).toMatchObject({
    reason: 'CanaryPauseStep',
    needsHuman: false,
  });

  // the gateway audited the patch with the person and the reason
  const audit = await request(backend.server)
    .get('/api/clusters/v1/audit?action=patch')
    .set(as('user:default/priya.shah'));
  expect(audit.body.items[0]).toMatchObject({
    actor: JORDAN,
    action: 'patch',
    kind: 'Rollout',
    name: 'video-consultation',
    outcome: 'success',
    reason: 'rollouts promote: clinical sign-off CHG-1042',
  });
});

it('abort shows Aborted with the message', async () => {
  const res = await request(backend.server)
    .post(`${VIDEO}/actions`)
    .set(as(JORDAN))
    .send({
      cluster: EAST,
      kind: 'Rollout',
      namespace: 'video-consultation',
      name: 'video-consultation',
      action: 'abort',
      reason: 'error spike in triage calls',
    });
  expect(res.status).toBe(200);
  sim.advance(5);
  const ro = await until(async () => {
    const r = await canary();
    return r.phase === 'Aborted' ? r : undefined;
  });
  expect(ro.message).toMatch(
    /^Aborted: RolloutAborted: Rollout aborted update to revision/,
  );
  expect(ro.actions.find((a: any) => a.action === 'retry').valid).toBe(true);
  expect(ro.actions.find((a: any) => a.action === 'promote')).toMatchObject({
    valid: false,
  });
});

it("triage-assistant's Flagger canary shows its progress", async () => {
  const res = await request(backend.server)
    .get(
      '/api/rollouts/v1/entities/component/default/triage-assistant/rollouts',
    )
    .set(as(KENJI));
  const east = res.body.clusters.find((c: any) => c.cluster === EAST);
  expect(east.rollouts.map((r: any) => [r.kind, r.name])).toEqual([
    ['Canary', 'triage-assistant'],
  ]);
  expect(east.rollouts[0]).toMatchObject({
    strategy: 'flagger',
    phase: 'Progressing',
    step: { total: 5 },
    images: [expect.stringMatching(/triage-assistant:1\.0\.0$/)],
  });
  expect(east.rollouts[0].message).toMatch(
    /^Progressing: shifting traffic to the canary while the analysis passes at weight \d+%, \d+ of 5 failed checks$/,
  );
});

it("session-service's spent budget refuses the promotion until an owner overrides it; then the blue-green switches", async () => {
  const body = {
    cluster: EAST,
    kind: 'Rollout',
    namespace: 'session-service',
    name: 'session-service',
    action: 'promote',
    reason: 'release 3.1.0 after the incident review',
  };
  const url =
    '/api/rollouts/v1/entities/component/default/session-service/actions';
  const refused = await request(backend.server)
    .post(url)
    .set(as(JORDAN))
    .send(body);
  expect(refused.status).toBe(409);
  expect(refused.body.error.message).toMatch(
    /refused by the error-budget gate on cloud-east: error budget exhausted/,
  );
  const ok = await request(backend.server)
    .post(url)
    .set(as(JORDAN))
    .send({ ...body, overrideGate: true });
  expect(ok.status).toBe(200);
  expect(ok.body.overridden).toBe(true);
  sim.advance(5);
  const stored = await until(async () => {
    const ro = sim.simulation
      .cluster(EAST)
      .objectOf('argoproj.io', 'Rollout', 'session-service', 'session-service');
    return ro?.status?.stableRS === ro?.status?.currentPodHash ? ro : undefined;
  });
  expect(stored.status.blueGreen.activeSelector).toBe(
    stored.status.currentPodHash,
  );
});

it("the demo world's answers parse with the contract's response schemas and lose no field", async () => {
  const get = (path: string) =>
    request(backend.server).get(`/api/rollouts${path}`).set(as(KENJI));
  const answers: Array<[string, { parse(v: unknown): unknown }]> = [
    [
      '/v1/entities/component/default/video-consultation/rollouts',
      rolloutsRoutes.entityRollouts.response,
    ],
    [
      '/v1/entities/component/default/triage-assistant/rollouts',
      rolloutsRoutes.entityRollouts.response,
    ],
    [
      '/v1/entities/component/default/session-service/gate',
      rolloutsRoutes.gate.response,
    ],
    ['/v1/waiting', rolloutsRoutes.waiting.response],
  ];
  for (const [path, schema] of answers) {
    const res = await get(path);
    expect([path, res.status]).toEqual([path, 200]);
    // zod drops undeclared keys: equal after parsing means the contract declares every field
    expect(schema.parse(res.body)).toEqual(res.body);
  }
});
