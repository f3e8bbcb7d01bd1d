/*
 * The escape suite, continued (see escape.simulator.test.ts): nobody can take a cluster away from
 * everyone (bad input is a 4xx and never counts against the cluster) and per-person rate limits.
 */
import request from 'supertest';
import { as, JORDAN, KENJI, PRIYA } from './__testUtils__/demoWorld';
import {
  apply,
  backend,
  call,
  deployment,
  EAST,
  expectRefused,
  lastAudit,
  LEGACY,
  patchOwnDeployment,
  post,
  startBackend,
  useEscapeWorld,
  VIDEO,
} from './__testUtils__/escapeWorld';

jest.setTimeout(120_000);

useEscapeWorld();

describe('nobody can take a cluster away from everyone; bad input is a 4xx', () => {
  it('answers 400 to deeply nested bodies and never counts them against the cluster', async () => {
    let deep: any = { leaf: true };
    for (let i = 0; i < 1000; i++) deep = { n: deep };
    for (let i = 0; i < 6; i++) {
      const res = await post(
        '/apply',
        apply(
          LEGACY,
          deployment('video-consultation', 'video-consultation', 'deep', {
            args: [JSON.stringify(i)],
            extra: deep,
          }),
        ),
      );
      await expectRefused(res, 400, /manifest is nested deeper than 64 levels/);
    }
    const clusters = (await call('get', '/clusters', KENJI)).body.items;
    const legacy = clusters.find((c: any) => c.name === LEGACY);
    expect(legacy.health.circuit).toBe('closed');
    // the owner's own writes on that cluster still go through
    const ok = await post('/apply', {
      ...apply(
        LEGACY,
        deployment(
          'video-consultation',
          'video-consultation',
          'video-consultation',
        ),
      ),
      dryRun: true,
      force: true, // over the scenario's own field manager, on his own object
    });
    expect(ok.status).toBe(200);
  });

  it("keeps a cluster's 4xx a 4xx with its reason and without its address", async () => {
    const res = await post('/patch', {
      ...patchOwnDeployment('json', [
        { op: 'remove', path: '/spec/does/not/exist' },
      ]),
      dryRun: true,
    });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/^Cluster legacy-onprem: /);
    expect(res.text).not.toMatch(/127\.0\.0\.1|http:\/\//);
    expect(await lastAudit(JORDAN)).toMatchObject({ outcome: 'failure' });
  });

  it('answers 400 for a stream watch on an unknown cluster and starts nothing', async () => {
    const { port } = backend.server.address() as { port: number };
    const controller = new AbortController();
    const res = await fetch(`http://localhost:${port}/api/clusters/v1/stream`, {
      headers: as(KENJI),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('"ready"')) {
      text += new TextDecoder().decode((await reader.read()).value);
    }
    const streamId = /"streamId":"([^"]+)"/.exec(text)![1];
    const informers = async () =>
      (await call('get', '/clusters', PRIYA)).body.items.find(
        (c: any) => c.name === EAST,
      ).stats.informers;
    const before = await informers();
    const put = await call('put', `/stream/${streamId}/watches/w1`, KENJI, {
      entityRef: VIDEO,
      kinds: ['CronJob'],
      clusters: [EAST, 'nope'],
    });
    expect(put.status).toBe(400);
    expect(put.body.error.message).toMatch(/Unknown cluster 'nope'/);
    expect(await informers()).toBe(before);
    controller.abort();
  });
});

describe('per-person rate limits', () => {
  it('answers 429 past the limit and audits the refusal, for that person only', async () => {
    const limited = await startBackend({
      rateLimit: { writesPerMinute: 3, logReadsPerMinute: 3 },
    });
    try {
      const body = {
        ...apply(
          LEGACY,
          deployment(
            'video-consultation',
            'video-consultation',
            'video-consultation',
          ),
        ),
        dryRun: true,
        force: true,
      };
      const send = (user: string) =>
        request(limited.server)
          .post('/api/clusters/v1/apply')
          .set(as(user))
          .send(body);
      for (let i = 0; i < 3; i++) expect((await send(JORDAN)).status).toBe(200);
      const over = await send(JORDAN);
      expect(over.status).toBe(429);
      expect(over.body.error.message).toMatch(
        /at most 3 a minute per person \(clusters.rateLimit\); try again in \d+ s/,
      );
      expect((await send(PRIYA)).status).toBe(200);
      const audit = await request(limited.server)
        .get(
          `/api/clusters/v1/audit?actor=${encodeURIComponent(JORDAN)}&limit=1`,
        )
        .set(as(PRIYA));
      expect(audit.body.items[0]).toMatchObject({ outcome: 'denied' });
    } finally {
      await limited.stop();
    }
  });
});
