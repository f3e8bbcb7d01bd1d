import {
  CheckOptions,
  CheckResult,
  ComplianceCheck,
  evaluateEntity,
  mappedPoliciesOf,
} from '@careplane/plugin-compliance-common';
import type { FleetIndex } from '../Fleet/FleetIndex';

/** The checks and their options, as the evaluation runs them. @internal */
export interface CheckSet {
  checks: ReadonlyArray<ComplianceCheck>;
  policyToCheck: ReadonlyMap<string, string>;
  options: CheckOptions;
}

/** Every result of one entity from the fleet index (pure: no I/O). @internal */
export function evaluateFleetEntity(
  index: FleetIndex,
  ref: string,
  set: CheckSet,
  now: number,
): CheckResult[] {
  const ctx = index.context(ref, set.options, now);
  // set here, so evaluateEntity uses the context as it is (its lazy parts stay lazy)
  ctx.mappedPolicies = mappedPoliciesOf(set.policyToCheck);
  return evaluateEntity(set.checks, ctx, set.policyToCheck);
}

/** Every result of every entity (the full evaluation, without persistence). @internal */
export function evaluateFleet(
  index: FleetIndex,
  set: CheckSet,
  now: number,
): Map<string, CheckResult[]> {
  const out = new Map<string, CheckResult[]>();
  for (const ref of index.entityRefs())
    out.set(ref, evaluateFleetEntity(index, ref, set, now));
  return out;
}
