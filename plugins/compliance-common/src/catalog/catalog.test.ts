import { builtInChecks } from '.';
import { CheckStatus } from '../types';
import { container, resultOf, world, wl } from '../__testUtils__/world';
import { fixtures } from '../__testUtils__/checkFixtures';

describe('the check catalog', () => {
  it('has fixtures for every check and only for checks', () => {
    expect(Object.keys(fixtures).sort()).toEqual(
      builtInChecks.map(c => c.id).sort(),
    );
  });

  it('has complete metadata for every check', () => {
    const ids = new Set<string>();
    for (const c of builtInChecks) {
      expect(ids.has(c.id)).toBe(false);
      ids.add(c.id);
      expect(c.version).toBeGreaterThan(0);
      expect(c.title.length).toBeGreaterThan(5);
      expect(c.rationale.length).toBeGreaterThan(20);
      expect(c.remediation.yaml).toBeTruthy();
      expect(c.hipaa.length).toBeGreaterThan(0);
      c.hipaa.forEach(h => expect(h).toMatch(/^164\.3(0[68]|1[02])\([a-z]\)/));
    }
  });

  const cases = Object.entries(fixtures).flatMap(([id, f]) =>
    (['pass', 'fail', 'na', 'unknown'] as const).map(
      k => [id, k, f[k]] as const,
    ),
  );
  const expected: Record<string, CheckStatus> = {
    pass: 'pass',
    fail: 'fail',
    na: 'not-applicable',
    unknown: 'unknown',
  };

  it.each(cases)('%s: %s fixture', (id, k, mutate) => {
    const w = world();
    // null: catalog facts come from the catalog entity itself, which is always there when
    // evaluated; the baseline must then not be unknown either
    mutate?.(w);
    const r = resultOf(id, w);
    // secrets in env are a warning (low), not a failure
    let want = id === 'K8S-ENC-003' && k === 'fail' ? 'warn' : expected[k];
    if (mutate === null) want = 'pass';
    expect({ id, status: r.status, message: r.message }).toEqual({
      id,
      status: want,
      message: expect.any(String),
    });
    expect(k !== 'fail' || r.evidence.length > 0).toBe(true);
  });

  it('never shows an env value or a ConfigMap value as evidence', () => {
    const w = world();
    container(w).env = [{ name: 'API_TOKEN', value: 'CANARY-ENV-VALUE-x' }];
    const r = resultOf('K8S-ENC-001', w);
    expect(r.status).toBe('fail');
    expect(JSON.stringify(r)).not.toContain('CANARY');
    expect(r.evidence[0].value).toContain('API_TOKEN');
  });

  it('fails a production workload without a HorizontalPodAutoscaler, however many replicas', () => {
    const w = world();
    w.objects = w.objects.filter(o => o.kind !== 'HorizontalPodAutoscaler');
    const r = resultOf('K8S-AV-001', w);
    expect(r.status).toBe('fail');
    expect(r.message).toBe('No HorizontalPodAutoscaler (3 fixed replicas)');
  });

  it('answers error, not a crash, when a check throws', () => {
    const w = world();
    (wl(w).spec.template.spec as any).containers = 'garbage';
    expect(resultOf('K8S-AC-001', w).status).toBe('error');
  });
});
