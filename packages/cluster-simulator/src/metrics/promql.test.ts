import { Simulation } from '../simulation';
import { SimulationSeries } from './series';
import { instantQuery, rangeQuery, Sample, SeriesSource } from './promql';

const fixed: SeriesSource = {
  select: (name, matchers, t) => {
    const all: Sample[] = [
      {
        labels: { __name__: 'reqs', service: 'a', code: '200' },
        value: 10 * t,
      },
      { labels: { __name__: 'reqs', service: 'a', code: '500' }, value: 1 * t },
      { labels: { __name__: 'reqs', service: 'b', code: '200' }, value: 5 * t },
    ];
    return all.filter(
      s =>
        (!name || s.labels.__name__ === name) &&
        matchers.every(m =>
          m.op === '='
            ? s.labels[m.name] === m.value
            : m.op === '=~'
            ? new RegExp(`^(?:${m.value})$`).test(s.labels[m.name] ?? '')
            : true,
        ),
    );
  },
};

describe('PromQL subset', () => {
  it('computes error ratios from counter rates', () => {
    const r = instantQuery(
      'sum by (service) (rate(reqs{code=~"5.."}[5m])) / sum by (service) (rate(reqs[5m]))',
      1000,
      fixed,
    ) as any;
    expect(r.resultType).toBe('vector');
    expect(r.result).toHaveLength(1);
    expect(r.result[0].metric).toEqual({ service: 'a' });
    expect(Number(r.result[0].value[1])).toBeCloseTo(1 / 11, 6);
  });

  it('evaluates range queries, comparisons and scalars', () => {
    const r = rangeQuery(
      'sum(rate(reqs[1m])) > 15',
      600,
      660,
      30,
      fixed,
    ) as any;
    expect(r.result[0].values).toHaveLength(3);
    expect(Number(r.result[0].values[0][1])).toBeCloseTo(16, 6);
    expect((instantQuery('2 * 3 + 1', 0, fixed) as any).result[1]).toBe('7');
    expect(() => instantQuery('rate(reqs)', 0, fixed)).toThrow(/range vector/);
  });

  it('serves simulated DCGM, SLO and replication series', () => {
    const sim = new Simulation(
      {
        startTime: '2026-03-01T09:00:00Z',
        clusters: [
          {
            name: 'g',
            nodes: [{ name: 'n', gpus: 2 }],
            objects: [
              {
                apiVersion: 'v1',
                kind: 'Pod',
                metadata: { name: 'trainer', namespace: 'default' },
                spec: {
                  containers: [
                    {
                      name: 't',
                      image: 'x',
                      resources: { limits: { 'nvidia.com/gpu': 2 } },
                    },
                  ],
                },
              },
            ],
          },
        ],
        metrics: {
          services: [
            {
              cluster: 'g',
              namespace: 'default',
              service: 'api',
              rps: 100,
              errorRatio: 0.01,
            },
          ],
          replication: [
            {
              stream: 's',
              cluster: 'g',
              namespace: 'default',
              source: 'a',
              target: 'g',
              lagSeconds: 40,
              jitterSeconds: 0,
            },
          ],
        },
      },
      { speed: 0 },
    );
    sim.advance(60);
    const series = new SimulationSeries(sim);
    const t = sim.now() / 1000;
    const gpu = instantQuery(
      'DCGM_FI_PROF_GR_ENGINE_ACTIVE{namespace="default"}',
      t,
      series,
    ) as any;
    expect(gpu.result.map((r: any) => r.metric.gpu).sort()).toEqual(['0', '1']);
    expect(gpu.result[0].metric.pod).toBe('trainer');
    const before = instantQuery(
      'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
      t - 3600,
      series,
    ) as any;
    expect(before.result).toEqual([]);
    const ratio = instantQuery(
      'sum(rate(http_requests_total{service="api",code=~"5.."}[5m])) / sum(rate(http_requests_total{service="api"}[5m]))',
      t,
      series,
    ) as any;
    expect(Number(ratio.result[0].value[1])).toBeCloseTo(0.01, 3);
    const lag = instantQuery(
      'careplane_replication_lag_seconds{stream="s"}',
      t,
      series,
    ) as any;
    expect(Number(lag.result[0].value[1])).toBe(40);
    sim.dispose();
  });
});
