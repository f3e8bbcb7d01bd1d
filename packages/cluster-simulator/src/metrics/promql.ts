/**
 * A small PromQL evaluator: enough for the queries Careplane's plugins issue
 * (rates and ratios of counters for SLO burn, gauges for GPU utilisation and
 * replication lag). Supported: selectors with =, !=, =~, !~ matchers, range
 * selectors, offset, rate/irate/increase/delta, *_over_time, abs/ceil/floor/
 * round/clamp_min/clamp_max/scalar/vector/time, sum/avg/min/max/count/topk/
 * bottomk with by/without, arithmetic and comparison operators with on/ignoring.
 */

import { evalNode, key } from './promql/evaluate';
import { parsePromQL } from './promql/parser';
import { Labels, PromQLError, SeriesSource } from './promql/types';

export { matchLabels } from './promql/evaluate';
export { parsePromQL } from './promql/parser';
export { parsePromDuration, PromQLError } from './promql/types';
export type { Labels, Matcher, Sample, SeriesSource } from './promql/types';

export function instantQuery(q: string, t: number, src: SeriesSource) {
  const v = evalNode(parsePromQL(q), t, src);
  const fmt = (x: number) =>
    Number.isNaN(x)
      ? 'NaN'
      : !Number.isFinite(x)
      ? x > 0
        ? '+Inf'
        : '-Inf'
      : String(x);
  if (v.t === 'scalar') return { resultType: 'scalar', result: [t, fmt(v.v)] };
  if (v.t === 'vector')
    return {
      resultType: 'vector',
      result: v.s.map(s => ({ metric: s.labels, value: [t, fmt(s.value)] })),
    };
  return {
    resultType: 'matrix',
    result: v.s.map(s => ({
      metric: s.labels,
      values: s.points.map(([x, y]) => [x, fmt(y)]),
    })),
  };
}

/** Result of a range query in Prometheus' HTTP API format. */
export function rangeQuery(
  q: string,
  start: number,
  end: number,
  step: number,
  src: SeriesSource,
) {
  if (step <= 0)
    throw new PromQLError(
      'zero or negative query resolution step widths are not accepted. Try a positive integer',
    );
  if ((end - start) / step > 11000)
    throw new PromQLError(
      'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
    );
  const ast = parsePromQL(q);
  const series = new Map<
    string,
    { metric: Labels; values: Array<[number, string]> }
  >();
  for (let t = start; t <= end + 1e-9; t += step) {
    const v = evalNode(ast, t, src);
    const samples =
      v.t === 'scalar'
        ? [{ labels: {}, value: v.v }]
        : v.t === 'vector'
        ? v.s
        : undefined;
    if (!samples)
      throw new PromQLError(
        'invalid expression type "range vector" for range query, must be Scalar or instant Vector',
      );
    for (const s of samples) {
      const k = key(s.labels);
      const e = series.get(k) ?? { metric: s.labels, values: [] };
      e.values.push([Math.round(t * 1000) / 1000, String(s.value)]);
      series.set(k, e);
    }
  }
  return { resultType: 'matrix', result: [...series.values()] };
}
