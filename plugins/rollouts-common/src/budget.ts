/*
 * Error budget and multi-window, multi-burn-rate maths of the Google SRE workbook (chapter
 * "Alerting on SLOs", table "Recommended parameters"): burn rate = error ratio / (1 - SLO); a pair
 * fires when both its long and its short window burn at least its threshold.
 */

/**
 * A long / short window pair with its burn-rate threshold.
 * @public
 */
export interface BurnWindowPair {
  name: string;
  severity: 'fast' | 'slow';
  longSeconds: number;
  shortSeconds: number;
  threshold: number;
}

/**
 * The workbook's pairs for a 30-day SLO: 2 % of the budget in 1 h (14.4) and 5 % in 6 h (6) page
 * (fast), 10 % in 3 days (1) opens a ticket (slow).
 * @public
 */
export const BURN_WINDOW_PAIRS: ReadonlyArray<BurnWindowPair> = [
  {
    name: '1h/5m',
    severity: 'fast',
    longSeconds: 3600,
    shortSeconds: 300,
    threshold: 14.4,
  },
  {
    name: '6h/30m',
    severity: 'fast',
    longSeconds: 21600,
    shortSeconds: 1800,
    threshold: 6,
  },
  {
    name: '3d/6h',
    severity: 'slow',
    longSeconds: 259200,
    shortSeconds: 21600,
    threshold: 1,
  },
];

/**
 * Every window the pairs need, in seconds.
 * @public
 */
export function burnWindows(): number[] {
  return [
    ...new Set(BURN_WINDOW_PAIRS.flatMap(p => [p.longSeconds, p.shortSeconds])),
  ].sort((a, b) => a - b);
}

/**
 * Burn rate of an error ratio against an availability target (fraction), e.g. 0.0144 against
 * 0.999 is 14.4.
 * @public
 */
export function burnRate(errorRatio: number, availability: number): number {
  const budget = 1 - availability;
  if (!(budget > 0)) throw new Error('availability must be below 1');
  return errorRatio / budget;
}

/**
 * Fraction of the error budget left after an error ratio held over the whole SLO window: 1 is
 * untouched, 0 exhausted, below 0 overspent.
 * @public
 */
export function budgetRemaining(
  windowErrorRatio: number,
  availability: number,
): number {
  return 1 - burnRate(windowErrorRatio, availability);
}

/**
 * Fraction of the budget a burn rate consumes in `seconds` of a `windowDays` SLO window, e.g. 14.4
 * for one hour of 30 days is 0.02.
 * @public
 */
export function budgetConsumed(
  rate: number,
  seconds: number,
  windowDays: number,
): number {
  return (rate * seconds) / (windowDays * 86400);
}

/**
 * One pair, evaluated.
 * @public
 */
export interface BurnPairResult extends BurnWindowPair {
  longBurn: number;
  shortBurn: number;
  firing: boolean;
}

/**
 * The gate's verdict for one cluster.
 * @public
 */
export interface BudgetVerdict {
  /** `pass`: promote; `block`: budget exhausted or burning fast; `not-evaluated`: no metrics. */
  decision: 'pass' | 'block' | 'not-evaluated';
  reason: string;
  remaining?: number;
  pairs: BurnPairResult[];
}

/**
 * Decides the gate from error ratios per window (seconds → ratio; `undefined` when the source had
 * no answer for it). Blocks when the budget over the SLO window is exhausted (≤ 0) or a fast pair
 * fires; a slow pair only warns. Missing data never passes: it is "not evaluated".
 * @public
 */
export function evaluateBudget(
  availability: number,
  windowDays: number,
  errorRatios: Map<number, number | undefined>,
): BudgetVerdict {
  const windowRatio = errorRatios.get(windowDays * 86400);
  const missing = [windowDays * 86400, ...burnWindows()].filter(
    w => errorRatios.get(w) === undefined,
  );
  if (windowRatio === undefined || missing.length > 0) {
    return {
      decision: 'not-evaluated',
      reason: 'no metrics: gate not evaluated',
      pairs: [],
    };
  }
  const remaining = budgetRemaining(windowRatio, availability);
  const pairs = BURN_WINDOW_PAIRS.map(p => {
    const longBurn = burnRate(errorRatios.get(p.longSeconds)!, availability);
    const shortBurn = burnRate(errorRatios.get(p.shortSeconds)!, availability);
    return {
      ...p,
      longBurn,
      shortBurn,
      firing: longBurn >= p.threshold && shortBurn >= p.threshold,
    };
  });
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  if (remaining <= 0) {
    return {
      decision: 'block',
      reason: `error budget exhausted: ${pct(
        remaining,
      )} of the ${windowDays}-day budget left`,
      remaining,
      pairs,
    };
  }
  const fast = pairs.find(p => p.severity === 'fast' && p.firing);
  if (fast) {
    return {
      decision: 'block',
      reason: `burning fast: burn rate ${fast.longBurn.toFixed(1)} over ${
        fast.name
      } (threshold ${fast.threshold})`,
      remaining,
      pairs,
    };
  }
  const slow = pairs.find(p => p.severity === 'slow' && p.firing);
  return {
    decision: 'pass',
    reason: slow
      ? `budget ${pct(remaining)} left; slow burn ${slow.longBurn.toFixed(
          1,
        )} over ${slow.name} (warning only)`
      : `budget ${pct(remaining)} left; no fast burn`,
    remaining,
    pairs,
  };
}
