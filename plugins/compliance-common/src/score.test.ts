import { builtInChecks, definitionOf } from './catalog';
import {
  capGrade,
  gradeOf,
  resultsForSafeguard,
  rollUp,
  scoreChecks,
  scoreResults,
  ScoredResult,
} from './score';
import type { CheckDefinition } from './types';

const catalog = new Map<string, CheckDefinition>(
  builtInChecks.map(c => [c.id, definitionOf(c)]),
);
const r = (checkId: string, status: ScoredResult['status']): ScoredResult => ({
  checkId,
  status,
});
// severities: AC-001 critical, AC-002 high, INT-001 medium, AV-003 low

describe('score', () => {
  it.each([
    [100, 'A'],
    [90, 'A'],
    [89, 'B'],
    [80, 'B'],
    [70, 'C'],
    [60, 'D'],
    [59, 'F'],
    [null, 'N/A'],
  ] as const)('grades %s as %s', (score, grade) =>
    expect(gradeOf(score)).toBe(grade),
  );

  it('caps a grade, never raises it', () => {
    expect(capGrade('A', 'D')).toBe('D');
    expect(capGrade('F', 'D')).toBe('F');
  });

  it('is the pass ratio per check over the objects', () => {
    const [s] = scoreChecks(
      [
        r('K8S-AC-002', 'pass'),
        r('K8S-AC-002', 'pass'),
        r('K8S-AC-002', 'fail'),
        r('K8S-AC-002', 'unknown'),
      ],
      catalog,
    );
    expect(s.ratio).toBeCloseTo(2 / 3);
    expect(s.counts.unknown).toBe(1);
  });

  it('counts a warning as half a pass', () => {
    expect(scoreChecks([r('K8S-AC-002', 'warn')], catalog)[0].ratio).toBe(0.5);
  });

  it('weights checks by severity (critical 10, high 5, medium 2, low 1)', () => {
    // high passes (5), medium fails (2), low fails (1): 5 / 8
    const s = scoreResults(
      [
        r('K8S-AC-002', 'pass'),
        r('K8S-INT-001', 'fail'),
        r('K8S-AV-003', 'fail'),
      ],
      catalog,
    );
    expect(s.score).toBe(63);
    expect(s.grade).toBe('D');
    expect(s.capped).toBe(false);
  });

  it('caps the grade at D on any critical failure', () => {
    const results = [
      ...Array.from({ length: 30 }, (_, i) =>
        r(builtInChecks.filter(c => c.severity === 'high')[i % 5].id, 'pass'),
      ),
      r('K8S-AC-001', 'pass'),
      r('K8S-AC-001', 'pass'),
      r('K8S-AC-001', 'pass'),
      r('K8S-AC-001', 'fail'),
      ...builtInChecks
        .filter(c => c.severity === 'high')
        .map(c => r(c.id, 'pass')),
    ];
    const s = scoreResults(results, catalog);
    expect(s.score).toBeGreaterThanOrEqual(90);
    expect(s.grade).toBe('D');
    expect(s.capped).toBe(true);
    expect(s.criticalFailures).toBe(1);
  });

  it('never counts unknown, error or exempt as a pass', () => {
    const s = scoreResults(
      [
        r('K8S-AC-002', 'unknown'),
        r('K8S-INT-001', 'error'),
        r('K8S-AV-003', 'exempt'),
        r('K8S-AC-004', 'fail'),
      ],
      catalog,
    );
    expect(s.score).toBe(0);
    // decided: the failure; applicable: unknown, error and failure (exempt is decided by people)
    expect(s.coverage).toBeCloseTo(1 / 3);
    const none = scoreResults([r('K8S-AC-002', 'unknown')], catalog);
    expect(none.score).toBeNull();
    expect(none.grade).toBe('N/A');
    expect(none.coverage).toBe(0);
  });

  it('rolls entities up to a team with the mean and the cap', () => {
    const a = scoreResults([r('K8S-AC-002', 'pass')], catalog);
    const b = scoreResults(
      [r('K8S-AC-002', 'pass'), r('K8S-INT-001', 'fail')],
      catalog,
    );
    const u = rollUp('group:default/x', [a, b]);
    expect(u.score).toBe(Math.round((100 + 71) / 2));
    expect(u.grade).toBe('B');
    const c = scoreResults([r('K8S-AC-001', 'fail')], catalog);
    expect(rollUp('t', [a, a, a, c]).grade).toBe('D');
    expect(rollUp('t', []).grade).toBe('N/A');
  });

  it('selects the results of a safeguard', () => {
    const results = [
      r('K8S-TX-001', 'fail'),
      r('K8S-AC-002', 'pass'),
      r('K8S-TX-002', 'pass'),
    ];
    expect(
      resultsForSafeguard(results, catalog, '164.312(e)').map(x => x.checkId),
    ).toEqual(['K8S-TX-001', 'K8S-TX-002']);
  });
});
