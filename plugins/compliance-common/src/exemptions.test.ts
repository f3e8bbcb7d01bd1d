import {
  applyExemptions,
  decisionProblem,
  effectiveState,
  Exemption,
  expiringSoon,
  validateExemptionRequest,
} from './exemptions';

const NOW = Date.parse('2026-11-30T00:00:00Z');
const ids = new Set(['K8S-AC-003']);
const ex = (over: Partial<Exemption> = {}): Exemption => ({
  id: 'e1',
  entityRef: 'component:default/e-prescribing',
  checkId: 'K8S-AC-003',
  target: '*',
  justification: 'Legacy image needs root until the wave-2 migration',
  requestedBy: 'user:default/jordan.lee',
  requestedAt: '2026-11-29T00:00:00Z',
  expiresAt: '2027-01-31T00:00:00Z',
  state: 'approved',
  ...over,
});

describe('exemptions', () => {
  const ok = {
    entityRef: 'component:default/x',
    checkId: 'K8S-AC-003',
    justification: 'Needed for the migration window',
    expiresAt: '2027-01-01T00:00:00Z',
  };

  it('accepts a good request', () =>
    expect(validateExemptionRequest(ok, ids, NOW)).toEqual([]));
  it.each([
    [{ justification: '' }, /justification: say why/],
    [{ expiresAt: '2026-01-01T00:00:00Z' }, /expiresAt: .* is in the past/],
    [{ expiresAt: 'soon' }, /expiresAt: give an ISO 8601 date/],
    [{ expiresAt: '2029-01-01T00:00:00Z' }, /at most 366 days/],
    [{ checkId: 'K8S-NOPE' }, /checkId: 'K8S-NOPE' is not a check/],
  ])('refuses %j with a message', (over, message) => {
    expect(
      validateExemptionRequest({ ...ok, ...over }, ids, NOW).join('\n'),
    ).toMatch(message);
  });

  it('refuses a decision by the requester (four-eyes), even for an admin', () => {
    const e = ex({ state: 'pending' });
    expect(decisionProblem(e, 'user:default/jordan.lee', NOW)).toMatch(
      /another person must approve/,
    );
    expect(decisionProblem(e, 'user:default/priya.shah', NOW)).toBeUndefined();
  });

  it('refuses to decide what is not pending', () => {
    expect(decisionProblem(ex(), 'user:default/priya.shah', NOW)).toMatch(
      /is approved, not pending/,
    );
    expect(
      decisionProblem(
        ex({ state: 'pending', expiresAt: '2026-11-01T00:00:00Z' }),
        'user:default/priya.shah',
        NOW,
      ),
    ).toMatch(/expired/);
  });

  it('turns a failure into exempt while approved and unexpired', () => {
    const results = [
      {
        entityRef: 'component:default/e-prescribing',
        checkId: 'K8S-AC-003',
        target: 'c/Deployment/ns/a',
        status: 'fail' as const,
      },
      {
        entityRef: 'component:default/e-prescribing',
        checkId: 'K8S-AC-002',
        target: 'c/Deployment/ns/a',
        status: 'fail' as const,
      },
      {
        entityRef: 'component:default/e-prescribing',
        checkId: 'K8S-AC-003',
        target: 'c/Deployment/ns/b',
        status: 'pass' as const,
      },
    ];
    expect(applyExemptions(results, [ex()], NOW).map(r => r.status)).toEqual([
      'exempt',
      'fail',
      'pass',
    ]);
    expect(
      applyExemptions(results, [ex({ state: 'pending' })], NOW)[0].status,
    ).toBe('fail');
    const later = Date.parse('2027-02-01T00:00:00Z');
    expect(applyExemptions(results, [ex()], later)[0].status).toBe('fail');
    expect(effectiveState(ex(), later)).toBe('expired');
    expect(
      applyExemptions(results, [ex({ target: 'c/Deployment/ns/b' })], NOW)[0]
        .status,
    ).toBe('fail');
    expect(
      applyExemptions(results, [ex({ checkId: '*' })], NOW).map(r => r.status),
    ).toEqual(['exempt', 'exempt', 'pass']);
  });

  it('flags exemptions that expire within 14 days', () => {
    expect(expiringSoon(ex({ expiresAt: '2026-12-10T00:00:00Z' }), NOW)).toBe(
      true,
    );
    expect(expiringSoon(ex(), NOW)).toBe(false);
  });
});
