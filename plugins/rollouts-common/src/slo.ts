/**
 * Availability / latency objectives of a service, read by the rollout gate, e.g.
 * `availability=99.95,latency-p99=300ms` (optional `window=28d`, default 30 days). Owned by
 * rollouts-common; `@careplane/plugin-clusters-common` re-exports it for older imports.
 * @public
 */
export const ANNOTATION_SLO = 'careplane.io/slo';

/**
 * A parsed {@link ANNOTATION_SLO}.
 * @public
 */
export interface SloSpec {
  /** Availability target as a fraction, e.g. 0.9995 for `availability=99.95`. */
  availability?: number;
  /** Latency objective, e.g. `{ quantile: 0.99, thresholdMs: 300 }` for `latency-p99=300ms`. */
  latency?: { quantile: number; thresholdMs: number };
  /** SLO window in days (default 30). */
  windowDays: number;
}

/**
 * Result of {@link parseSloAnnotation}: the spec, or an error that says what to fix.
 * @public
 */
export type SloParseResult =
  | { ok: true; slo: SloSpec }
  | { ok: false; error: string };

const EXAMPLE = `e.g. ${ANNOTATION_SLO}: 'availability=99.9,latency-p99=300ms'`;

function durationMs(v: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s)$/.exec(v);
  if (!m) return undefined;
  return m[2] === 's' ? Number(m[1]) * 1000 : Number(m[1]);
}

/**
 * Parses {@link ANNOTATION_SLO}. Keys: `availability` (percent, above 0 and below 100),
 * `latency-pNN` (NN 50 to 99.9, a duration in `ms` or `s`), `window` (`<days>d`, 1 to 90).
 * @public
 */
export function parseSloAnnotation(value: string | undefined): SloParseResult {
  if (value === undefined || value.trim() === '') {
    return { ok: false, error: `no ${ANNOTATION_SLO} annotation (${EXAMPLE})` };
  }
  const slo: SloSpec = { windowDays: 30 };
  const seen = new Set<string>();
  for (const raw of value.split(',')) {
    const part = raw.trim();
    const eq = part.indexOf('=');
    if (eq <= 0) {
      return {
        ok: false,
        error: `${ANNOTATION_SLO}: "${part}" is not key=value (${EXAMPLE})`,
      };
    }
    const key = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (seen.has(key)) {
      return { ok: false, error: `${ANNOTATION_SLO}: "${key}" is given twice` };
    }
    seen.add(key);
    if (key === 'availability') {
      const n = Number(v.replace(/%$/, ''));
      if (!/^\d+(\.\d+)?%?$/.test(v) || !(n > 0 && n < 100)) {
        return {
          ok: false,
          error: `${ANNOTATION_SLO}: availability must be a percentage above 0 and below 100, e.g. availability=99.9 (got "${v}")`,
        };
      }
      slo.availability = Number((n / 100).toPrecision(12));
    } else if (/^latency-p\d+(\.\d+)?$/.test(key)) {
      const q = Number(key.slice('latency-p'.length));
      const ms = durationMs(v);
      if (!(q >= 50 && q < 100) || ms === undefined || ms <= 0) {
        return {
          ok: false,
          error: `${ANNOTATION_SLO}: ${key} must be latency-p50 to latency-p99.9 with a duration in ms or s, e.g. latency-p99=300ms (got "${v}")`,
        };
      }
      slo.latency = { quantile: q / 100, thresholdMs: ms };
    } else if (key === 'window') {
      const m = /^(\d+)d$/.exec(v);
      const days = m ? Number(m[1]) : NaN;
      if (!(days >= 1 && days <= 90)) {
        return {
          ok: false,
          error: `${ANNOTATION_SLO}: window must be whole days from 1d to 90d, e.g. window=28d (got "${v}")`,
        };
      }
      slo.windowDays = days;
    } else {
      return {
        ok: false,
        error: `${ANNOTATION_SLO}: unknown key "${key}"; use availability, latency-pNN or window (${EXAMPLE})`,
      };
    }
  }
  if (slo.availability === undefined) {
    return {
      ok: false,
      error: `${ANNOTATION_SLO}: availability is required for the error-budget gate (${EXAMPLE})`,
    };
  }
  return { ok: true, slo };
}
