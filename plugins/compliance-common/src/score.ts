import { safeguardOf } from './catalog';
import type { CheckDefinition, ResultStatus, Severity } from './types';

/**
 * Weight of a check in the entity score by its severity (documented in the README).
 * @public
 */
export const SEVERITY_WEIGHTS: Record<Severity, number> = {
  critical: 10,
  high: 5,
  medium: 2,
  low: 1,
};

/** @public */
export type Grade = 'A' | 'B' | 'C' | 'D' | 'F' | 'N/A';

/** The grade any critical failure caps an entity at. @public */
export const CRITICAL_CAP: Grade = 'D';

/** What the score needs of a result. @public */
export interface ScoredResult {
  checkId: string;
  status: ResultStatus;
}

/** Counts of statuses. @public */
export type StatusCounts = Record<ResultStatus, number>;

const emptyCounts = (): StatusCounts => ({
  pass: 0,
  fail: 0,
  warn: 0,
  'not-applicable': 0,
  unknown: 0,
  error: 0,
  exempt: 0,
});

/** @public */
export interface CheckScore {
  checkId: string;
  severity: Severity;
  counts: StatusCounts;
  /** (pass + ½·warn) / (pass + warn + fail), or null when nothing was decided. */
  ratio: number | null;
}

/** @public */
export interface Score {
  /** 0–100, or null when no check could be decided. */
  score: number | null;
  grade: Grade;
  /** Whether a critical failure capped the grade. */
  capped: boolean;
  criticalFailures: number;
  counts: StatusCounts;
  /** Decided checks / checks that apply (unknown and error lower it; never count as pass). */
  coverage: number;
}

/** The grade of a 0–100 score. @public */
export function gradeOf(score: number | null): Grade {
  if (score === null) return 'N/A';
  if (score >= 90) return 'A';
  if (score >= 80) return 'B';
  if (score >= 70) return 'C';
  if (score >= 60) return 'D';
  return 'F';
}

const ORDER: Grade[] = ['A', 'B', 'C', 'D', 'F', 'N/A'];

/** `grade` capped at `cap` (the worse of both). @public */
export function capGrade(grade: Grade, cap: Grade): Grade {
  if (grade === 'N/A') return grade;
  return ORDER.indexOf(grade) < ORDER.indexOf(cap) ? cap : grade;
}

/**
 * Per check: the pass ratio over the entity's objects. `unknown`, `error`, `not-applicable` and
 * `exempt` are not in the ratio (unknown never counts as pass).
 * @public
 */
export function scoreChecks(
  results: ReadonlyArray<ScoredResult>,
  catalog: ReadonlyMap<string, CheckDefinition>,
): CheckScore[] {
  const by = new Map<string, CheckScore>();
  for (const r of results) {
    const def = catalog.get(r.checkId);
    if (!def) continue;
    let s = by.get(r.checkId);
    if (!s) {
      s = {
        checkId: r.checkId,
        severity: def.severity,
        counts: emptyCounts(),
        ratio: null,
      };
      by.set(r.checkId, s);
    }
    s.counts[r.status]++;
  }
  for (const s of by.values()) {
    const d = s.counts.pass + s.counts.warn + s.counts.fail;
    s.ratio = d === 0 ? null : (s.counts.pass + 0.5 * s.counts.warn) / d;
  }
  return [...by.values()];
}

/**
 * The entity score: Σ weight(severity) · ratio / Σ weight over decided checks, × 100, rounded;
 * graded A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, else F; any failing critical check caps the grade at D.
 * @public
 */
export function scoreResults(
  results: ReadonlyArray<ScoredResult>,
  catalog: ReadonlyMap<string, CheckDefinition>,
): Score {
  const checks = scoreChecks(results, catalog);
  let num = 0;
  let den = 0;
  let criticalFailures = 0;
  let applicable = 0;
  let decided = 0;
  const counts = emptyCounts();
  for (const c of checks) {
    for (const k of Object.keys(counts) as ResultStatus[])
      counts[k] += c.counts[k];
    const applies =
      c.counts.pass +
      c.counts.warn +
      c.counts.fail +
      c.counts.unknown +
      c.counts.error;
    if (applies > 0) applicable++;
    if (c.ratio === null) continue;
    decided++;
    const w = SEVERITY_WEIGHTS[c.severity];
    num += w * c.ratio;
    den += w;
    if (c.severity === 'critical' && c.counts.fail > 0) criticalFailures++;
  }
  const score = den === 0 ? null : Math.round((100 * num) / den);
  const raw = gradeOf(score);
  const grade = criticalFailures > 0 ? capGrade(raw, CRITICAL_CAP) : raw;
  return {
    score,
    grade,
    capped: grade !== raw,
    criticalFailures,
    counts,
    coverage: applicable === 0 ? 1 : decided / applicable,
  };
}

/** A roll-up (team, system, safeguard) of entity scores. @public */
export interface RollUp {
  key: string;
  entities: number;
  /** Mean of the entities' scores (each service counts the same); null when none has one. */
  score: number | null;
  grade: Grade;
  capped: boolean;
  criticalFailures: number;
}

/**
 * Rolls entity scores up: the mean score, graded, capped at D when any member has a critical failure.
 * @public
 */
export function rollUp(key: string, scores: ReadonlyArray<Score>): RollUp {
  const decided = scores.filter(s => s.score !== null);
  const score =
    decided.length === 0
      ? null
      : Math.round(
          decided.reduce((a, s) => a + (s.score ?? 0), 0) / decided.length,
        );
  const criticalFailures = scores.reduce((a, s) => a + s.criticalFailures, 0);
  const raw = gradeOf(score);
  const grade = criticalFailures > 0 ? capGrade(raw, CRITICAL_CAP) : raw;
  return {
    key,
    entities: scores.length,
    score,
    grade,
    capped: grade !== raw,
    criticalFailures,
  };
}

/** Results of the checks that support a safeguard (e.g. `164.312(e)`). @public */
export function resultsForSafeguard<T extends ScoredResult>(
  results: ReadonlyArray<T>,
  catalog: ReadonlyMap<string, CheckDefinition>,
  safeguard: string,
): T[] {
  return results.filter(r =>
    catalog.get(r.checkId)?.hipaa.some(p => safeguardOf(p) === safeguard),
  );
}
