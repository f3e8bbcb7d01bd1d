import {
  budgetConsumed,
  budgetRemaining,
  burnRate,
  burnWindows,
  evaluateBudget,
} from './budget';
import { parseSloAnnotation } from './slo';

const DAY = 86400;

/** Error ratios for every window: `base` everywhere, overridden per window. */
function ratios(
  base: number,
  overrides: Record<number, number | undefined> = {},
) {
  const m = new Map<number, number | undefined>();
  for (const w of [30 * DAY, ...burnWindows()]) m.set(w, base);
  for (const [w, r] of Object.entries(overrides)) m.set(Number(w), r);
  return m;
}

describe('SRE workbook worked examples (99.9 % over 30 days)', () => {
  it('a 1.44 % error ratio burns at 14.4 and spends 2 % of the budget in one hour', () => {
    const rate = burnRate(0.0144, 0.999);
    expect(rate).toBeCloseTo(14.4, 10);
    expect(budgetConsumed(rate, 3600, 30)).toBeCloseTo(0.02, 10);
  });

  it('burn 6 for 6 hours spends 5 %; burn 1 for 3 days spends 10 %', () => {
    expect(budgetConsumed(6, 6 * 3600, 30)).toBeCloseTo(0.05, 10);
    expect(budgetConsumed(1, 3 * DAY, 30)).toBeCloseTo(0.1, 10);
  });

  it('burn 1 for the whole window spends exactly the budget', () => {
    expect(budgetConsumed(1, 30 * DAY, 30)).toBeCloseTo(1, 10);
    expect(budgetRemaining(0.001, 0.999)).toBeCloseTo(0, 10);
    expect(budgetRemaining(0.0005, 0.999)).toBeCloseTo(0.5, 10);
  });

  it('the demo canary (99.95 %, 0.04 % errors) burns at 0.8 and keeps 20 % of its budget', () => {
    expect(burnRate(0.0004, 0.9995)).toBeCloseTo(0.8, 10);
    expect(budgetRemaining(0.0004, 0.9995)).toBeCloseTo(0.2, 10);
  });
});

describe('evaluateBudget', () => {
  it('passes with budget left and no fast burn', () => {
    const v = evaluateBudget(0.999, 30, ratios(0.0002));
    expect(v.decision).toBe('pass');
    expect(v.remaining).toBeCloseTo(0.8, 10);
    expect(v.reason).toBe('budget 80.0 % left; no fast burn');
    expect(v.pairs.map(p => [p.name, p.firing])).toEqual([
      ['1h/5m', false],
      ['6h/30m', false],
      ['3d/6h', false],
    ]);
  });

  it('blocks an exhausted budget', () => {
    const v = evaluateBudget(0.999, 30, ratios(0.0025));
    expect(v.decision).toBe('block');
    expect(v.reason).toBe(
      'error budget exhausted: -150.0 % of the 30-day budget left',
    );
  });

  it('blocks when both windows of a fast pair burn over 14.4', () => {
    const v = evaluateBudget(
      0.999,
      30,
      ratios(0.0001, { 3600: 0.015, 300: 0.02 }),
    );
    expect(v.decision).toBe('block');
    expect(v.reason).toBe(
      'burning fast: burn rate 15.0 over 1h/5m (threshold 14.4)',
    );
  });

  it('does not block when only the long window of a pair burns (the short one says it stopped)', () => {
    const v = evaluateBudget(
      0.999,
      30,
      ratios(0.0001, { 3600: 0.015, 300: 0.0001 }),
    );
    expect(v.decision).toBe('pass');
  });

  it('a slow burn only warns', () => {
    const v = evaluateBudget(
      0.999,
      30,
      ratios(0.0001, { [3 * DAY]: 0.0012, 21600: 0.0012 }),
    );
    expect(v.decision).toBe('pass');
    expect(v.reason).toMatch(/slow burn 1\.2 over 3d\/6h \(warning only\)/);
  });

  it('missing metrics are never a pass', () => {
    const v = evaluateBudget(0.999, 30, ratios(0.0001, { 300: undefined }));
    expect(v).toEqual({
      decision: 'not-evaluated',
      reason: 'no metrics: gate not evaluated',
      pairs: [],
    });
  });
});

describe('parseSloAnnotation', () => {
  it.each([
    [
      'availability=99.95,latency-p99=300ms',
      {
        availability: 0.9995,
        latency: { quantile: 0.99, thresholdMs: 300 },
        windowDays: 30,
      },
    ],
    ['availability=99.9', { availability: 0.999, windowDays: 30 }],
    ['availability=99.5%, window=28d', { availability: 0.995, windowDays: 28 }],
    [
      'availability=99,latency-p95=1.5s',
      {
        availability: 0.99,
        latency: { quantile: 0.95, thresholdMs: 1500 },
        windowDays: 30,
      },
    ],
  ])('%s', (value, slo) => {
    expect(parseSloAnnotation(value)).toEqual({ ok: true, slo });
  });

  it.each([
    [undefined, /no careplane.io\/slo annotation/],
    [
      'availability=abc',
      /availability must be a percentage above 0 and below 100, e.g. availability=99.9 \(got "abc"\)/,
    ],
    ['availability=100', /above 0 and below 100/],
    ['availability', /"availability" is not key=value/],
    [
      'latency-p99=fast,availability=99',
      /latency-p99 must be latency-p50 to latency-p99.9/,
    ],
    ['availability=99,window=1y', /window must be whole days/],
    [
      'availability=99,colour=blue',
      /unknown key "colour"; use availability, latency-pNN or window/,
    ],
    ['availability=99,availability=98', /"availability" is given twice/],
    ['latency-p99=300ms', /availability is required/],
  ])('refuses %s with what to fix', (value, error) => {
    const r = parseSloAnnotation(value);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.error).toMatch(error);
  });
});
