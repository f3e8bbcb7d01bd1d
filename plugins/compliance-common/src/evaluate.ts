import type { ObjectEnvelope } from '@careplane/plugin-clusters-common';
import { describeObject, NO_EVIDENCE } from './pod';
import {
  findingIsAbout,
  IMPORTED_FINDINGS_CHECK,
  ImportedFinding,
  importPolicyReport,
} from './policyReport';
import type {
  CheckOutcome,
  CheckStatus,
  ComplianceCheck,
  EvalContext,
  Evidence,
  Severity,
} from './types';

/**
 * One check's result on one target of one entity, before exemptions.
 * @public
 */
export interface CheckResult {
  entityRef: string;
  checkId: string;
  checkVersion: number;
  severity: Severity;
  /** `cluster/Kind/namespace/name` of the object, or `entity`. */
  target: string;
  status: CheckStatus;
  message: string;
  evidence: Evidence[];
}

/** The key of an object as a result target. @public */
export function targetKey(o: ObjectEnvelope): string {
  return `${o.cluster}/${o.kind}/${o.namespace ?? ''}/${o.name}`;
}

/** The result target for entity-level checks. @public */
export const ENTITY_TARGET = 'entity';

const kindSets = new WeakMap<string[], Set<string>>();
function kindsOf(kinds: string[]): Set<string> {
  let s = kindSets.get(kinds);
  if (!s) {
    s = new Set(kinds);
    kindSets.set(kinds, s);
  }
  return s;
}

// shared outcomes (results are never mutated): no allocation per call on the common paths
const notApplicableOutcome = (message: string): CheckOutcome =>
  Object.freeze({
    status: 'not-applicable' as const,
    message,
    evidence: NO_EVIDENCE,
  });
const NA_PHI = notApplicableOutcome('Only for PHI services');
const NA_PRODUCTION = notApplicableOutcome('Only for production services');
const NA_NO_WORKLOAD = notApplicableOutcome('No workload');
const notForKindCache = new Map<string, CheckOutcome>();
function notForKind(kind: string): CheckOutcome {
  let o = notForKindCache.get(kind);
  if (!o) {
    o = notApplicableOutcome(`Does not apply to a ${kind}`);
    notForKindCache.set(kind, o);
  }
  return o;
}

const NO_DATA_WORDS: Record<string, string> = {
  unavailable: 'unavailable',
  'not-installed': 'not installed',
  syncing: 'still syncing',
};

const WORST: CheckStatus[] = [
  'error',
  'fail',
  'warn',
  'unknown',
  'pass',
  'not-applicable',
];

/** The worse of two statuses (fail beats pass). @public */
export function worse(a: CheckStatus, b: CheckStatus): CheckStatus {
  return WORST.indexOf(a) <= WORST.indexOf(b) ? a : b;
}

/**
 * Runs one check on one target, applying applicability (PHI-only, production-only, kinds) and
 * data availability (a needed kind unavailable or not installed on the cluster is `unknown`);
 * a check that throws answers `error`.
 * @public
 */
export function evaluateCheck(
  check: ComplianceCheck,
  target: ObjectEnvelope | undefined,
  ctx: EvalContext,
): CheckOutcome {
  const a = check.applicability;
  if (a.phiOnly && !ctx.phi) return NA_PHI;
  if (a.productionOnly && ctx.entity.lifecycle !== 'production') {
    return NA_PRODUCTION;
  }
  if (a.entityKinds && !a.entityKinds.includes(ctx.entity.kind)) {
    return {
      status: 'not-applicable',
      message: `Does not apply to a ${ctx.entity.kind}`,
      evidence: NO_EVIDENCE,
    };
  }
  if (a.target === 'workload') {
    if (!target) return NA_NO_WORKLOAD;
    if (a.kinds && !kindsOf(a.kinds).has(target.kind)) {
      return notForKind(target.kind);
    }
    for (const kind of check.needs ?? []) {
      const s = ctx.kindStatus(target.cluster, kind);
      if (s !== 'ok' && s !== 'stale') {
        return {
          status: 'unknown',
          message: `${kind} on ${target.cluster} is ${NO_DATA_WORDS[s] ?? s}`,
          evidence: NO_EVIDENCE,
        };
      }
    }
  }
  try {
    return check.evaluate(target, ctx);
  } catch (e) {
    return {
      status: 'error',
      message: `The check failed: ${
        e instanceof Error ? e.message : String(e)
      }`.slice(0, 300),
      evidence: NO_EVIDENCE,
    };
  }
}

const mappedCache = new WeakMap<
  ReadonlyMap<string, string>,
  ReadonlySet<string>
>();

/** The policy names of a policy-to-check map, as a set (cached per map). @public */
export function mappedPoliciesOf(
  m: ReadonlyMap<string, string>,
): ReadonlySet<string> {
  let s = mappedCache.get(m);
  if (!s) {
    s = new Set(m.keys());
    mappedCache.set(m, s);
  }
  return s;
}

/** Imported PolicyReport findings about the entity's workloads. @public */
export function findingsFor(
  ctx: EvalContext,
  policyToCheck: ReadonlyMap<string, string>,
): ImportedFinding[] {
  const seen = new Set<string>();
  const out: ImportedFinding[] = [];
  for (const w of ctx.workloads) {
    const nsKey = `${w.cluster}/${w.namespace}`;
    if (!w.namespace || seen.has(nsKey)) continue;
    seen.add(nsKey);
    for (const r of ctx.inNamespace(w.cluster, w.namespace, 'PolicyReport'))
      out.push(...importPolicyReport(r, policyToCheck));
  }
  return out;
}

/**
 * Every check on an entity: workload checks once per workload, entity checks once. In-cluster
 * PolicyReport results mapped to a check are merged into that check's result for the same object
 * (the worse status wins; the report is added as evidence). No workload at all: the workload
 * checks answer `unknown` when a cluster could not be read, `not-applicable` otherwise.
 * @public
 */
export function evaluateEntity(
  checks: ReadonlyArray<ComplianceCheck>,
  ctx: EvalContext,
  policyToCheck: ReadonlyMap<string, string> = new Map(),
): CheckResult[] {
  const entityRef = ctx.entity.entityRef;
  const findings = findingsFor(ctx, policyToCheck).filter(
    f => f.checkId !== IMPORTED_FINDINGS_CHECK,
  );
  // callers that build a context per entity set mappedPolicies themselves (a spread would run
  // the context's lazy getters)
  const ctxWithMapped: EvalContext = ctx.mappedPolicies
    ? ctx
    : { ...ctx, mappedPolicies: mappedPoliciesOf(policyToCheck) };
  const targets = ctx.workloads.map(targetKey);
  const noData = ctx.clusters.some(c => {
    const s = ctx.kindStatus(c.name, 'Deployment');
    return s === 'unavailable' || s === 'syncing';
  });
  const out: CheckResult[] = [];
  for (const check of checks) {
    const base = {
      entityRef,
      checkId: check.id,
      checkVersion: check.version,
      severity: check.severity,
    };
    if (check.applicability.target === 'entity') {
      out.push({
        ...base,
        target: ENTITY_TARGET,
        ...evaluateCheck(check, undefined, ctxWithMapped),
      });
      continue;
    }
    if (ctx.workloads.length === 0) {
      out.push({
        ...base,
        target: ENTITY_TARGET,
        status: noData ? 'unknown' : 'not-applicable',
        message: noData ? 'A cluster could not be read' : 'No workloads',
        evidence: NO_EVIDENCE,
      });
      continue;
    }
    for (let i = 0; i < ctx.workloads.length; i++) {
      const w = ctx.workloads[i];
      const r = evaluateCheck(check, w, ctxWithMapped);
      const target = targets[i];
      if (findings.length === 0) {
        // the common case: nothing imported, no copies
        out.push({
          entityRef,
          checkId: check.id,
          checkVersion: check.version,
          severity: check.severity,
          target,
          status: r.status,
          message: r.message,
          evidence: r.evidence,
        });
        continue;
      }
      const imported = findings.filter(
        f => f.checkId === check.id && findingIsAbout(f, w),
      );
      let status = r.status;
      const evidence = [...r.evidence];
      for (const f of imported) {
        if (f.status === 'fail' || f.status === 'warn' || f.status === 'pass') {
          status =
            status === 'not-applicable' || status === 'unknown'
              ? f.status
              : worse(status, f.status);
        }
        evidence.push({
          object: f.report,
          path: `results[policy=${f.policy}${f.rule ? `,rule=${f.rule}` : ''}]`,
          value: `${f.status}: ${f.message}`,
        });
      }
      const message =
        status !== r.status
          ? `${r.message}; PolicyReport: ${
              imported.find(f => f.status === status)?.message ?? status
            }`
          : r.message;
      out.push({ ...base, target, status, message, evidence });
    }
  }
  return out;
}

export { describeObject };
