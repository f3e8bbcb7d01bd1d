import { builtInChecks, policyToCheckMap } from './catalog';
import { importPolicyReport } from './policyReport';
import { evaluateEntity } from './evaluate';
import { ctxOf, find, world } from './__testUtils__/world';

const report = {
  cluster: 'legacy-onprem',
  kind: 'PolicyReport',
  namespace: 'e-prescribing',
  name: 'polr-ns-e-prescribing',
  object: {
    metadata: { name: 'polr-ns-e-prescribing', namespace: 'e-prescribing' },
    scope: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'e-prescribing',
      namespace: 'e-prescribing',
    },
    results: [
      {
        policy: 'require-run-as-nonroot',
        rule: 'run-as-non-root',
        result: 'fail',
        severity: 'high',
        message: 'Running as root is not allowed.',
        resources: [
          {
            kind: 'Deployment',
            name: 'e-prescribing',
            namespace: 'e-prescribing',
          },
        ],
      },
      {
        policy: 'disallow-latest-tag',
        result: 'fail',
        severity: 'medium',
        message: 'latest',
      },
      {
        policy: 'team-custom-policy',
        result: 'fail',
        severity: 'info',
        message: 'custom',
      },
      { policy: 'disallow-host-path', result: 'skip' },
      { policy: 'broken' },
    ],
  },
};

describe('PolicyReport import', () => {
  const map = policyToCheckMap(builtInChecks);

  it('maps Kyverno policies onto the catalog check ids, and the rest onto K8S-INT-007', () => {
    const f = importPolicyReport(report, map);
    expect(f.map(x => [x.checkId, x.status, x.severity])).toEqual([
      ['K8S-AC-003', 'fail', 'high'],
      ['K8S-INT-002', 'fail', 'medium'],
      ['K8S-INT-007', 'fail', 'low'],
      ['K8S-AC-006', 'not-applicable', undefined],
    ]);
    expect(f[1].resource).toEqual({
      kind: 'Deployment',
      name: 'e-prescribing',
      namespace: 'e-prescribing',
    });
    expect(f[0].report).toBe(
      'PolicyReport e-prescribing/polr-ns-e-prescribing on legacy-onprem',
    );
  });

  it('merges an imported failure into the native result of the same check and object', () => {
    const w = world();
    find(w, 'PolicyReport').results.push({
      policy: 'require-ro-rootfs',
      result: 'fail',
      message: 'root fs writable',
      resources: [
        { kind: 'Deployment', name: 'visit-notes', namespace: 'visit-notes' },
      ],
    });
    const results = evaluateEntity(builtInChecks, ctxOf(w), map);
    const ro = results.find(r => r.checkId === 'K8S-INT-001')!;
    expect(ro.status).toBe('fail');
    expect(ro.evidence.some(e => e.value.includes('root fs writable'))).toBe(
      true,
    );
    expect(results.find(r => r.checkId === 'K8S-INT-007')!.status).toBe('pass');
  });
});
