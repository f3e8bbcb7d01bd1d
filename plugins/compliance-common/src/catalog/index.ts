import type { CheckDefinition, ComplianceCheck } from '../types';
import { podAccessChecks } from './accessControl';
import { namespaceAccessChecks } from './accessControlRbac';
import { auditChecks } from './audit';
import { authenticationChecks } from './authentication';
import { availabilityChecks } from './availability';
import { encryptionChecks } from './encryption';
import { integrityChecks } from './integrity';
import { metadataChecks } from './metadata';
import { transmissionChecks } from './transmission';

export { clusterFactLabel } from './clusterFacts';
export { SENSITIVE_NAME } from './encryption';
export { imageTag, registryOf } from './integrity';

/** Every built-in check, by safeguard. @public */
export const builtInChecks: ReadonlyArray<ComplianceCheck> = [
  ...podAccessChecks,
  ...namespaceAccessChecks,
  ...encryptionChecks,
  ...integrityChecks,
  ...transmissionChecks,
  ...auditChecks,
  ...authenticationChecks,
  ...availabilityChecks,
  ...metadataChecks,
];

/** A check without its function: the catalog as data. @public */
export function definitionOf(check: ComplianceCheck): CheckDefinition {
  const { evaluate: _evaluate, ...definition } = check;
  return definition;
}

/** PolicyReport policy names mapped to check ids. @public */
export function policyToCheckMap(
  checks: ReadonlyArray<CheckDefinition>,
): Map<string, string> {
  const m = new Map<string, string>();
  for (const c of checks)
    for (const p of c.policyReportPolicies ?? []) m.set(p, c.id);
  return m;
}

/** HIPAA safeguards the catalog maps to, with their names. @public */
export const SAFEGUARDS: ReadonlyArray<{ id: string; title: string }> = [
  { id: '164.312(a)', title: 'Access control' },
  { id: '164.312(b)', title: 'Audit controls' },
  { id: '164.312(c)', title: 'Integrity' },
  { id: '164.312(d)', title: 'Person or entity authentication' },
  { id: '164.312(e)', title: 'Transmission security' },
  { id: '164.308(a)', title: 'Administrative safeguards' },
  { id: '164.310(d)', title: 'Device and media controls' },
];

/** The safeguard (e.g. `164.312(e)`) a paragraph (e.g. `164.312(e)(2)(ii)`) belongs to. @public */
export function safeguardOf(paragraph: string): string {
  const m = paragraph.match(/^(\d+\.\d+\([a-z]\))/);
  return m ? m[1] : paragraph;
}
