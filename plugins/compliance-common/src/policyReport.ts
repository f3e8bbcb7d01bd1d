import type { ObjectEnvelope } from '@careplane/plugin-clusters-common';
import type { CheckStatus, Severity } from './types';

/**
 * One result of an in-cluster PolicyReport (wgpolicyk8s.io v1alpha2 / v1beta1, openreports.io),
 * about one resource, mapped to the catalog's check id.
 * @public
 */
export interface ImportedFinding {
  /** The catalog check it maps to (`K8S-INT-007` when the policy maps to no other check). */
  checkId: string;
  /** The resource the result is about. */
  resource: { kind: string; namespace?: string; name: string };
  status: CheckStatus;
  severity?: Severity;
  policy: string;
  rule?: string;
  message: string;
  /** `PolicyReport namespace/name on cluster`. */
  report: string;
  source?: string;
}

/** The check id for imported results whose policy maps to no catalog check. @public */
export const IMPORTED_FINDINGS_CHECK = 'K8S-INT-007';

const STATUS: Record<string, CheckStatus> = {
  pass: 'pass',
  fail: 'fail',
  warn: 'warn',
  error: 'error',
  skip: 'not-applicable',
};

const SEVERITY: Record<string, Severity> = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  low: 'low',
  info: 'low',
};

/**
 * Maps the results of a PolicyReport onto check ids. `policyToCheck` comes from the catalog's
 * `policyReportPolicies`. Results without resources fall back to the report's `scope`.
 * Messages are cut to 300 characters and never carry values beyond what the report says.
 * @public
 */
export function importPolicyReport(
  report: ObjectEnvelope,
  policyToCheck: ReadonlyMap<string, string>,
): ImportedFinding[] {
  const obj: any = report.object;
  const scope = obj.scope;
  const where = `${report.kind} ${
    report.namespace ? `${report.namespace}/` : ''
  }${report.name} on ${report.cluster}`;
  const out: ImportedFinding[] = [];
  for (const r of (obj.results ?? []) as any[]) {
    const status = STATUS[String(r.result ?? '').toLowerCase()];
    if (!status || typeof r.policy !== 'string') continue;
    let resources: any[] = scope ? [scope] : [];
    if (r.resources?.length) resources = r.resources;
    for (const res of resources) {
      if (!res?.kind || !res?.name) continue;
      out.push({
        checkId: policyToCheck.get(r.policy) ?? IMPORTED_FINDINGS_CHECK,
        resource: {
          kind: res.kind,
          namespace: res.namespace ?? report.namespace,
          name: res.name,
        },
        status,
        severity: SEVERITY[String(r.severity ?? '').toLowerCase()],
        policy: r.policy,
        rule: typeof r.rule === 'string' ? r.rule : undefined,
        message: String(r.message ?? `${r.policy}: ${r.result}`).slice(0, 300),
        report: where,
        source: typeof r.source === 'string' ? r.source : undefined,
      });
    }
  }
  return out;
}

/** Whether a finding is about the object. @public */
export function findingIsAbout(f: ImportedFinding, o: ObjectEnvelope): boolean {
  return (
    f.resource.kind === o.kind &&
    f.resource.name === o.name &&
    (f.resource.namespace ?? '') === (o.namespace ?? '')
  );
}
