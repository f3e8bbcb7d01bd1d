import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { MetricsSource } from '../../config';
import { MetricsQueries, MetricsQueriesOptions } from './MetricsQueries';

const server = setupServer();
registerMswTestHooks(server);

const EAST = 'https://prometheus.east.example:9090';
const SHARED = 'https://thanos.example';
const TOKEN = 's3cret-metrics-token';

const east: MetricsSource = {
  url: EAST,
  auth: { type: 'bearerToken', token: TOKEN },
  timeoutMs: 200,
};

function queries(extra: Partial<MetricsQueriesOptions> = {}) {
  return MetricsQueries.create({
    clusterNames: () => ['cloud-east', 'cloud-west'],
    sources: { 'cloud-east': east },
    circuitBreaker: { failureThreshold: 5, cooldownMs: 30_000 },
    logger: mockServices.logger.mock(),
    ...extra,
  });
}

const vector = [
  {
    metric: { __name__: 'up', job: 'kube-apiserver' },
    value: [1764460800, '1'],
  },
];

/** Answers instant queries with `vector` and records each request's form body. */
function instantHandler(seen: URLSearchParams[] = []) {
  return http.post(`${EAST}/api/v1/query`, async ({ request }) => {
    seen.push(new URLSearchParams(await request.text()));
    return HttpResponse.json({
      status: 'success',
      data: { resultType: 'vector', result: vector },
    });
  });
}

describe('MetricsQueries', () => {
  it('runs an instant query with the bearer token, and marks clusters without a source', async () => {
    expect.assertions(3);
    server.use(
      http.post(`${EAST}/api/v1/query`, async ({ request }) => {
        expect(request.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
        expect(
          Object.fromEntries(new URLSearchParams(await request.text())),
        ).toEqual({
          query: 'up',
        });
        return HttpResponse.json({
          status: 'success',
          data: { resultType: 'vector', result: vector },
        });
      }),
    );
    await expect(queries().query({ query: ' up ' })).resolves.toEqual({
      clusters: [
        {
          cluster: 'cloud-east',
          status: 'ok',
          resultType: 'vector',
          result: vector,
        },
        {
          cluster: 'cloud-west',
          status: 'not-configured',
          resultType: 'vector',
          result: [],
        },
      ],
    });
  });

  it('runs a range query in unix seconds', async () => {
    const matrix = [
      {
        metric: { job: 'x' },
        values: [
          [1764460800, '1'],
          [1764460860, '2'],
        ],
      },
    ];
    const seen: Record<string, string>[] = [];
    server.use(
      http.post(`${EAST}/api/v1/query_range`, async ({ request }) => {
        seen.push(
          Object.fromEntries(new URLSearchParams(await request.text())),
        );
        return HttpResponse.json({
          status: 'success',
          data: { resultType: 'matrix', result: matrix },
        });
      }),
    );
    const answer = await queries().query({
      query: 'rate(http_requests_total[5m])',
      clusters: ['cloud-east'],
      range: {
        start: '2025-11-30T00:00:00Z',
        end: '1764460860',
        stepSeconds: 60,
      },
    });
    expect(seen).toEqual([
      {
        query: 'rate(http_requests_total[5m])',
        start: '1764460800',
        end: '1764460860',
        step: '60',
      },
    ]);
    expect(answer).toEqual({
      clusters: [
        {
          cluster: 'cloud-east',
          status: 'ok',
          resultType: 'matrix',
          result: matrix,
        },
      ],
    });
  });

  it("turns a Prometheus error into that cluster's unavailable, with its message", async () => {
    server.use(
      http.post(`${EAST}/api/v1/query`, () =>
        HttpResponse.json(
          {
            status: 'error',
            errorType: 'bad_data',
            error: '1:5: parse error: unexpected end of input',
          },
          { status: 400 },
        ),
      ),
    );
    await expect(
      queries().query({ query: 'sum(', clusters: ['cloud-east'] }),
    ).resolves.toEqual({
      clusters: [
        {
          cluster: 'cloud-east',
          status: 'unavailable',
          error: 'bad_data: 1:5: parse error: unexpected end of input',
          resultType: 'vector',
          result: [],
        },
      ],
    });
  });

  it('answers unavailable with the reason when the source is too slow', async () => {
    server.use(
      http.post(`${EAST}/api/v1/query`, async () => {
        await delay(2000);
        return HttpResponse.json({
          status: 'success',
          data: { resultType: 'vector', result: [] },
        });
      }),
    );
    const started = Date.now();
    const answer = await queries().query({ query: 'up' });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(answer.clusters[0]).toEqual({
      cluster: 'cloud-east',
      status: 'unavailable',
      error: 'metrics source did not answer within 200 ms',
      resultType: 'vector',
      result: [],
    });
    expect(answer.clusters[1].status).toBe('not-configured');
  });

  it('never puts the URL or the token in an error', async () => {
    server.use(
      http.post(`${EAST}/api/v1/query`, () => HttpResponse.error()),
      http.post(`${SHARED}/api/v1/query`, () =>
        HttpResponse.json(
          {
            status: 'error',
            errorType: 'internal',
            error: `upstream ${SHARED} rejected ${TOKEN}`,
          },
          { status: 500 },
        ),
      ),
    );
    const answer = await queries({
      sources: {
        'cloud-east': east,
        'cloud-west': { ...east, url: SHARED },
      },
    }).query({ query: 'up' });
    expect(answer.clusters.map(c => c.status)).toEqual([
      'unavailable',
      'unavailable',
    ]);
    for (const c of answer.clusters) {
      expect(c.error).not.toContain('example');
      expect(c.error).not.toContain(TOKEN);
    }
    expect(answer.clusters[0].error).toMatch(/^metrics source unreachable/);
    expect(answer.clusters[1].error).toBe(
      'internal: upstream <redacted> rejected <redacted>',
    );
  });

  it('says when the source refuses the credentials', async () => {
    server.use(
      http.post(
        `${EAST}/api/v1/query`,
        () => new HttpResponse('Unauthorized', { status: 401 }),
      ),
    );
    const answer = await queries().query({
      query: 'up',
      clusters: ['cloud-east'],
    });
    expect(answer.clusters[0].error).toBe(
      'metrics source refused the credentials (HTTP 401)',
    );
  });

  it('asks the source once for the same query within the cache TTL', async () => {
    let now = 0;
    const seen: URLSearchParams[] = [];
    server.use(instantHandler(seen));
    const metrics = queries({ now: () => now, cacheTtlMs: 10_000 });
    const [a, b] = await Promise.all([
      metrics.query({ query: 'up' }),
      metrics.query({ query: 'up', clusters: ['cloud-east'] }),
    ]);
    now = 9_000;
    await metrics.query({ query: 'up' });
    expect(seen).toHaveLength(1);
    expect(b.clusters[0]).toEqual(a.clusters[0]);
    now = 10_001;
    await metrics.query({ query: 'up' });
    await metrics.query({ query: 'up == 1' });
    expect(seen).toHaveLength(3);
  });

  it('keeps the cache bounded', async () => {
    const seen: URLSearchParams[] = [];
    server.use(instantHandler(seen));
    const metrics = queries({ cacheMaxEntries: 2 });
    for (const q of ['a', 'b', 'c', 'a']) await metrics.query({ query: q });
    expect(seen.map(s => s.get('query'))).toEqual(['a', 'b', 'c', 'a']);
  });

  it("keeps only the cluster's series of a shared source", async () => {
    server.use(
      http.post(`${SHARED}/api/v1/query`, () =>
        HttpResponse.json({
          status: 'success',
          data: {
            resultType: 'vector',
            result: [
              { metric: { cluster: 'cloud-east' }, value: [1, '1'] },
              { metric: { cluster: 'cloud-west' }, value: [1, '2'] },
              { metric: {}, value: [1, '3'] },
            ],
          },
        }),
      ),
    );
    const shared = { url: SHARED, clusterLabel: 'cluster', timeoutMs: 500 };
    const answer = await queries({
      sources: { 'cloud-east': shared, 'cloud-west': shared },
    }).query({ query: 'up' });
    expect(answer.clusters.map(c => c.result)).toEqual([
      [{ metric: { cluster: 'cloud-east' }, value: [1, '1'] }],
      [{ metric: { cluster: 'cloud-west' }, value: [1, '2'] }],
    ]);
  });

  it('opens the circuit after repeated failures and stops calling', async () => {
    let calls = 0;
    server.use(
      http.post(`${EAST}/api/v1/query`, () => {
        calls++;
        return new HttpResponse('down', { status: 503 });
      }),
    );
    const metrics = queries({
      circuitBreaker: { failureThreshold: 2, cooldownMs: 60_000 },
      cacheTtlMs: 0,
    });
    for (let i = 0; i < 4; i++) await metrics.query({ query: 'up' });
    expect(calls).toBe(2);
    const answer = await metrics.query({ query: 'up' });
    expect(answer.clusters[0].error).toMatch(/^metrics source circuit open/);
  });

  const invalid: Array<[object, string]> = [
    [{ query: '   ' }, 'query: must not be empty'],
    [{ query: 'x'.repeat(2001) }, 'query: at most 2000 characters'],
    [{ query: 'up', clusters: ['nope'] }, "Unknown cluster 'nope'"],
    [
      { query: 'up', range: { start: 'yesterday', end: '1', stepSeconds: 1 } },
      'range.start: not an RFC 3339 time or unix seconds',
    ],
    [
      { query: 'up', range: { start: '10', end: '1', stepSeconds: 1 } },
      'range: end is before start',
    ],
    [
      { query: 'up', range: { start: '0', end: '11000', stepSeconds: 1 } },
      'range: 11001 points per series; at most 11000 (raise stepSeconds or shorten the range)',
    ],
  ];

  it.each(invalid.map(([r, m]) => [m, r] as const))(
    'refuses: %s',
    async (message, request) => {
      await expect(queries().query(request as any)).rejects.toMatchObject({
        name: 'InputError',
        message,
      });
    },
  );
});
