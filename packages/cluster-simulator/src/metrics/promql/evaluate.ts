import {
  Labels,
  Matcher,
  Node,
  PromQLError,
  Sample,
  SeriesSource,
  Value,
} from './types';

/** Evaluation of a parsed query at one time, against a series source. */

export function matchLabels(labels: Labels, matchers: Matcher[]): boolean {
  return matchers.every(m => {
    const v = labels[m.name] ?? '';
    switch (m.op) {
      case '=':
        return v === m.value;
      case '!=':
        return v !== m.value;
      case '=~':
        return new RegExp(`^(?:${m.value})$`).test(v);
      default:
        return !new RegExp(`^(?:${m.value})$`).test(v);
    }
  });
}

/** A stable key of a label set. */
export const key = (l: Labels) =>
  JSON.stringify(
    Object.keys(l)
      .sort()
      .map(k => [k, l[k]]),
  );
const dropName = (l: Labels) => {
  const { __name__: _n, ...rest } = l;
  return rest;
};

const RESOLUTION = 15;

/** Evaluates a node at time t (seconds). */
export function evalNode(n: Node, t: number, src: SeriesSource): Value {
  switch (n.k) {
    case 'num':
      return { t: 'scalar', v: n.v };
    case 'neg': {
      const v = evalNode(n.e, t, src);
      if (v.t === 'scalar') return { t: 'scalar', v: -v.v };
      if (v.t === 'vector')
        return {
          t: 'vector',
          s: v.s.map(s => ({ labels: dropName(s.labels), value: -s.value })),
        };
      throw new PromQLError('unary minus on a range vector');
    }
    case 'sel': {
      const at = t - n.offset;
      if (n.range === undefined)
        return { t: 'vector', s: src.select(n.name, n.matchers, at) };
      const series = new Map<
        string,
        { labels: Labels; points: Array<[number, number]> }
      >();
      const start = at - n.range;
      const first = Math.ceil(start / RESOLUTION) * RESOLUTION;
      const times: number[] = [];
      for (let x = first; x <= at; x += RESOLUTION) times.push(x);
      if (times[times.length - 1] !== at) times.push(at);
      for (const x of times) {
        for (const s of src.select(n.name, n.matchers, x)) {
          const k = key(s.labels);
          let e = series.get(k);
          if (!e) {
            e = { labels: s.labels, points: [] };
            series.set(k, e);
          }
          e.points.push([x, s.value]);
        }
      }
      return { t: 'matrix', s: [...series.values()] };
    }
    case 'call':
      return callFn(n.fn, n.args, t, src);
    case 'agg':
      return aggregate(n, t, src);
    case 'bin':
      return binary(n, t, src);
    default:
      throw new PromQLError('unsupported expression');
  }
}

function callFn(fn: string, args: Node[], t: number, src: SeriesSource): Value {
  const arg = (i: number) => evalNode(args[i], t, src);
  const matrixFns: Record<
    string,
    (p: Array<[number, number]>, range: number) => number | undefined
  > = {
    rate: (p, r) => (p.length < 2 ? undefined : counterDelta(p) / r),
    irate: p =>
      p.length < 2
        ? undefined
        : Math.max(0, p[p.length - 1][1] - p[p.length - 2][1]) /
          (p[p.length - 1][0] - p[p.length - 2][0]),
    increase: p => (p.length < 2 ? undefined : counterDelta(p)),
    delta: p => (p.length < 2 ? undefined : p[p.length - 1][1] - p[0][1]),
    avg_over_time: p =>
      p.length ? p.reduce((a, x) => a + x[1], 0) / p.length : undefined,
    max_over_time: p => (p.length ? Math.max(...p.map(x => x[1])) : undefined),
    min_over_time: p => (p.length ? Math.min(...p.map(x => x[1])) : undefined),
    sum_over_time: p =>
      p.length ? p.reduce((a, x) => a + x[1], 0) : undefined,
    count_over_time: p => (p.length ? p.length : undefined),
    last_over_time: p => (p.length ? p[p.length - 1][1] : undefined),
  };
  if (matrixFns[fn]) {
    const node = args[0];
    if (!node || node.k !== 'sel' || node.range === undefined)
      throw new PromQLError(
        `expected a range vector in call to function "${fn}"`,
      );
    const m = arg(0) as Extract<Value, { t: 'matrix' }>;
    const out: Sample[] = [];
    for (const s of m.s) {
      const v = matrixFns[fn](s.points, node.range);
      if (v !== undefined) out.push({ labels: dropName(s.labels), value: v });
    }
    return { t: 'vector', s: out };
  }
  const vecMap = (f: (x: number) => number): Value => {
    const v = arg(0);
    if (v.t !== 'vector')
      throw new PromQLError(
        `expected an instant vector in call to function "${fn}"`,
      );
    return {
      t: 'vector',
      s: v.s.map(s => ({ labels: dropName(s.labels), value: f(s.value) })),
    };
  };
  const scalarArg = (i: number) => {
    const v = arg(i);
    if (v.t !== 'scalar')
      throw new PromQLError(`expected a scalar in call to function "${fn}"`);
    return v.v;
  };
  switch (fn) {
    case 'abs':
      return vecMap(Math.abs);
    case 'ceil':
      return vecMap(Math.ceil);
    case 'floor':
      return vecMap(Math.floor);
    case 'round':
      return vecMap(Math.round);
    case 'clamp_min': {
      const m = scalarArg(1);
      return vecMap(x => Math.max(x, m));
    }
    case 'clamp_max': {
      const m = scalarArg(1);
      return vecMap(x => Math.min(x, m));
    }
    case 'time':
      return { t: 'scalar', v: t };
    case 'vector':
      return { t: 'vector', s: [{ labels: {}, value: scalarArg(0) }] };
    case 'scalar': {
      const v = arg(0);
      return {
        t: 'scalar',
        v: v.t === 'vector' && v.s.length === 1 ? v.s[0].value : NaN,
      };
    }
    default:
      throw new PromQLError(`unknown function with name "${fn}"`);
  }
}

function counterDelta(p: Array<[number, number]>): number {
  let d = 0;
  for (let i = 1; i < p.length; i++) {
    const diff = p[i][1] - p[i - 1][1];
    d += diff >= 0 ? diff : p[i][1];
  }
  return d;
}

function aggregate(
  n: Extract<Node, { k: 'agg' }>,
  t: number,
  src: SeriesSource,
): Value {
  const v = evalNode(n.expr, t, src);
  if (v.t !== 'vector')
    throw new PromQLError(
      `expected an instant vector in aggregation "${n.op}"`,
    );
  const groupLabels = (l: Labels): Labels => {
    if (n.by)
      return Object.fromEntries(
        n.by.filter(k => l[k] !== undefined).map(k => [k, l[k]]),
      );
    const drop = new Set([...(n.without ?? []), '__name__']);
    return n.without
      ? Object.fromEntries(Object.entries(l).filter(([k]) => !drop.has(k)))
      : {};
  };
  if (n.op === 'topk' || n.op === 'bottomk') {
    const p = n.param ? evalNode(n.param, t, src) : undefined;
    const k = p && p.t === 'scalar' ? p.v : 1;
    const groups = new Map<string, Sample[]>();
    for (const s of v.s) {
      const g = key(groupLabels(s.labels));
      groups.set(g, [...(groups.get(g) ?? []), s]);
    }
    const out: Sample[] = [];
    for (const g of groups.values()) {
      g.sort((a, b) =>
        n.op === 'topk' ? b.value - a.value : a.value - b.value,
      );
      out.push(...g.slice(0, k));
    }
    return { t: 'vector', s: out };
  }
  const groups = new Map<string, { labels: Labels; values: number[] }>();
  for (const s of v.s) {
    const gl = groupLabels(s.labels);
    const g = key(gl);
    const e = groups.get(g) ?? { labels: gl, values: [] };
    e.values.push(s.value);
    groups.set(g, e);
  }
  const out: Sample[] = [];
  for (const g of groups.values()) {
    const vals = g.values;
    const value =
      n.op === 'sum'
        ? vals.reduce((a, b) => a + b, 0)
        : n.op === 'avg'
        ? vals.reduce((a, b) => a + b, 0) / vals.length
        : n.op === 'min'
        ? Math.min(...vals)
        : n.op === 'max'
        ? Math.max(...vals)
        : vals.length;
    out.push({ labels: g.labels, value });
  }
  return { t: 'vector', s: out };
}

function applyOp(op: string, a: number, b: number): number | undefined {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '%':
      return a % b;
    case '==':
      return a === b ? a : undefined;
    case '!=':
      return a !== b ? a : undefined;
    case '>':
      return a > b ? a : undefined;
    case '<':
      return a < b ? a : undefined;
    case '>=':
      return a >= b ? a : undefined;
    case '<=':
      return a <= b ? a : undefined;
    default:
      throw new PromQLError(`unknown operator ${op}`);
  }
}

function binary(
  n: Extract<Node, { k: 'bin' }>,
  t: number,
  src: SeriesSource,
): Value {
  const l = evalNode(n.l, t, src);
  const r = evalNode(n.r, t, src);
  const cmp = ['==', '!=', '>', '<', '>=', '<='].includes(n.op);
  const apply = (a: number, b: number, keep: number) => {
    const res = applyOp(n.op, a, b);
    if (cmp)
      return n.bool
        ? res === undefined
          ? 0
          : 1
        : res === undefined
        ? undefined
        : keep;
    return res;
  };
  if (l.t === 'scalar' && r.t === 'scalar') {
    const v = applyOp(n.op, l.v, r.v);
    return { t: 'scalar', v: cmp ? (v === undefined ? 0 : 1) : (v as number) };
  }
  if (l.t === 'vector' && r.t === 'scalar') {
    const out: Sample[] = [];
    for (const s of l.s) {
      const v = apply(s.value, r.v, s.value);
      if (v !== undefined)
        out.push({
          labels: cmp && !n.bool ? s.labels : dropName(s.labels),
          value: v,
        });
    }
    return { t: 'vector', s: out };
  }
  if (l.t === 'scalar' && r.t === 'vector') {
    const out: Sample[] = [];
    for (const s of r.s) {
      const v = apply(l.v, s.value, s.value);
      if (v !== undefined)
        out.push({
          labels: cmp && !n.bool ? s.labels : dropName(s.labels),
          value: v,
        });
    }
    return { t: 'vector', s: out };
  }
  if (l.t !== 'vector' || r.t !== 'vector')
    throw new PromQLError(
      'binary expressions must contain only scalar and instant vector types',
    );
  const sig = (lb: Labels) => {
    const base = dropName(lb);
    if (n.on)
      return key(
        Object.fromEntries(
          n.on.filter(k => base[k] !== undefined).map(k => [k, base[k]]),
        ),
      );
    if (n.ignoring)
      return key(
        Object.fromEntries(
          Object.entries(base).filter(([k]) => !n.ignoring!.includes(k)),
        ),
      );
    return key(base);
  };
  const right = new Map<string, Sample>();
  for (const s of r.s) right.set(sig(s.labels), s);
  const out: Sample[] = [];
  for (const s of l.s) {
    const m = right.get(sig(s.labels));
    if (!m) continue;
    const v = apply(s.value, m.value, s.value);
    if (v !== undefined) {
      const labels = n.on
        ? Object.fromEntries(
            n.on
              .filter(k => s.labels[k] !== undefined)
              .map(k => [k, s.labels[k]]),
          )
        : dropName(s.labels);
      out.push({ labels: cmp && !n.bool ? s.labels : labels, value: v });
    }
  }
  return { t: 'vector', s: out };
}

/** Result of an instant query in Prometheus' HTTP API format. */
