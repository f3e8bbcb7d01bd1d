import { ConfigReader } from '@backstage/config';
import { parseCustomChecks, readComplianceConfig, valueAt } from './config';

const good = {
  id: 'ORG-PRIO-001',
  title: 'Priority class set',
  severity: 'low',
  hipaa: ['164.308(a)(7)(ii)(B)'],
  rationale: 'Critical services must not be pre-empted first.',
  remediation: 'Set priorityClassName.',
  require: { path: 'spec.template.spec.priorityClassName', exists: true },
};

describe('readComplianceConfig', () => {
  it('has HIPAA-aware defaults (six years of history)', () => {
    const c = readComplianceConfig(new ConfigReader({}));
    expect(c.retentionDays).toBe(2192);
    expect(c.fullEvaluationMinutes).toBe(15);
    expect(c.checkOptions).toEqual({
      allowedRegistries: [],
      encryptedStorageClasses: [],
      maxReportAgeDays: 7,
    });
    expect(c.customChecks).toEqual([]);
  });

  it.each([
    [{ retentionDays: 0 }, "Invalid config 'compliance.retentionDays'"],
    [
      { customChecks: [{ ...good, severity: 'urgent' }] },
      "Invalid config 'compliance.customChecks[0].severity'",
    ],
    [
      { customChecks: [good, { ...good, id: 'org-2' }] },
      "Invalid config 'compliance.customChecks[1].id'",
    ],
    [
      { customChecks: [{ ...good, hipaa: ['45 CFR'] }] },
      "Invalid config 'compliance.customChecks[0].hipaa[0]': must be a HIPAA paragraph",
    ],
    [
      { customChecks: [{ ...good, require: { path: 'spec.x' } }] },
      "Invalid config 'compliance.customChecks[0].require': needs one of exists, equals or matches",
    ],
    [
      {
        customChecks: [{ ...good, require: { path: 'spec.x', matches: '(' } }],
      },
      "Invalid config 'compliance.customChecks[0].require.matches'",
    ],
    [
      { customChecks: [{ ...good, id: 'K8S-AC-001' }] },
      "Invalid config 'compliance.customChecks[0].id': 'K8S-AC-001' is already a check",
    ],
  ])('refuses %j naming the key', (compliance, message) => {
    expect(() =>
      readComplianceConfig(new ConfigReader({ compliance })),
    ).toThrow(message);
  });

  it('turns a custom check into a pure check', () => {
    const [check] = parseCustomChecks([good]);
    const o = (spec: object) => ({
      cluster: 'c',
      kind: 'Deployment',
      namespace: 'n',
      name: 'x',
      object: { metadata: { name: 'x' }, spec },
    });
    const ctx = {} as any;
    expect(
      check.evaluate(
        o({ template: { spec: { priorityClassName: 'high' } } }),
        ctx,
      ).status,
    ).toBe('pass');
    const failed = check.evaluate(o({ template: { spec: {} } }), ctx);
    expect(failed.status).toBe('fail');
    expect(failed.evidence[0]).toEqual({
      object: 'Deployment n/x on c',
      path: 'spec.template.spec.priorityClassName',
      value: 'absent',
    });
    expect(valueAt({ a: [{ b: 1 }] }, 'a[0].b')).toBe(1);
  });
});
