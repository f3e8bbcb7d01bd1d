import type {
  ClusterResultStatus,
  ObjectEnvelope,
} from '@careplane/plugin-clusters-common';

/**
 * What one check says about one object (or one entity).
 * `unknown`: no data to decide (cluster unreachable, kind not installed, fact not reported) — it
 * never counts as a pass. `error`: the check itself threw.
 * @public
 */
export type CheckStatus =
  | 'pass'
  | 'fail'
  | 'warn'
  | 'not-applicable'
  | 'unknown'
  | 'error';

/**
 * A check status after approved exemptions were applied.
 * @public
 */
export type ResultStatus = CheckStatus | 'exempt';

/** @public */
export type Severity = 'critical' | 'high' | 'medium' | 'low';

/** @public */
export const SEVERITIES: readonly Severity[] = [
  'critical',
  'high',
  'medium',
  'low',
];

/**
 * The HIPAA Security Rule safeguards the catalog groups its checks by.
 * @public
 */
export type CheckCategory =
  | 'access-control'
  | 'encryption'
  | 'integrity'
  | 'transmission'
  | 'audit'
  | 'authentication'
  | 'availability'
  | 'metadata';

/**
 * What a check looks at: every pod-bearing workload of the entity, or the entity itself.
 * @public
 */
export type CheckTargetType = 'workload' | 'entity';

/** @public */
export interface CheckApplicability {
  target: CheckTargetType;
  /** Workload kinds the check applies to (workload checks only). */
  kinds?: string[];
  /** Only for entities classified `phi` (careplane.io/data-classification). */
  phiOnly?: boolean;
  /** Only for entities with `spec.lifecycle: production`. */
  productionOnly?: boolean;
  /** Entity kinds the check applies to (default: every kind). */
  entityKinds?: string[];
}

/**
 * The same check in other tools, where one exists.
 * @public
 */
export interface CheckAnchors {
  pss?: string;
  polaris?: string;
  kubescape?: string;
  trivy?: string;
  kyverno?: string;
  cis?: string;
  stackrox?: string;
}

/**
 * A check of the catalog, as data (JSON-safe).
 * @public
 */
export interface CheckDefinition {
  /** Stable id, e.g. `K8S-AC-003`. */
  id: string;
  /** Bumped when what the check inspects changes. */
  version: number;
  title: string;
  severity: Severity;
  category: CheckCategory;
  /** Why it matters, in one or two sentences. */
  rationale: string;
  remediation: { text: string; yaml?: string };
  applicability: CheckApplicability;
  /** HIPAA Security Rule paragraphs the check supports, e.g. `164.312(a)(1)`. */
  hipaa: string[];
  anchors: CheckAnchors;
  /** Kinds the check reads besides the workload; unavailable or not installed means `unknown`. */
  needs?: string[];
  /** Kyverno (or other PolicyReport) policy names whose results map onto this check. */
  policyReportPolicies?: string[];
}

/**
 * Where a result comes from and what was seen: never a secret, env value or ConfigMap value.
 * @public
 */
export interface Evidence {
  /** `Kind namespace/name on cluster`. */
  object: string;
  /** JSON path in the object, e.g. `spec.template.spec.containers[0].securityContext.runAsUser`. */
  path: string;
  /** What was found there (a shape or a safe scalar, e.g. `0`, `absent`, `true`). */
  value: string;
}

/** @public */
export interface CheckOutcome {
  status: CheckStatus;
  message: string;
  evidence: Evidence[];
}

/**
 * What the checks know about the catalog entity.
 * @public
 */
export interface EntityFacts {
  entityRef: string;
  kind: string;
  title?: string;
  /** Owner entity ref (kind defaulted to group), if any. */
  owner?: string;
  system?: string;
  lifecycle?: string;
  annotations: Record<string, string>;
  links?: Array<{ url: string; title?: string; type?: string }>;
}

/**
 * Facts about a cluster, from its labels (`compliance.careplane.io/<fact>=true|false`).
 * @public
 */
export interface ClusterFacts {
  name: string;
  labels: Record<string, string>;
}

/**
 * Freshness of a kind on a cluster, as the hub reports it (`ok`, `stale`, `unavailable`,
 * `not-installed`, `syncing`: anything but `ok` and `stale` means no data, hence `unknown`).
 * @public
 */
export type KindFreshness = ClusterResultStatus;

/**
 * Options of the built-in checks (config `compliance.checks`).
 * @public
 */
export interface CheckOptions {
  /** Image registries allowed (K8S-INT-003); empty means the check is `unknown`. */
  allowedRegistries: string[];
  /** StorageClasses declared encrypted (K8S-ENC-004); empty means the check is `unknown`. */
  encryptedStorageClasses: string[];
  /** Maximum age of a vulnerability report in days (K8S-INT-006). */
  maxReportAgeDays: number;
}

/** @public */
export const DEFAULT_CHECK_OPTIONS: CheckOptions = {
  allowedRegistries: [],
  encryptedStorageClasses: [],
  maxReportAgeDays: 7,
};

/**
 * Everything a check may read: the entity, its workloads and the objects of their namespaces,
 * all from the hub's cache. Pure data: no I/O.
 * @public
 */
export interface EvalContext {
  entity: EntityFacts;
  /** Whether the entity is classified `phi`. */
  phi: boolean;
  /** The entity's pod-bearing workloads. */
  workloads: ObjectEnvelope[];
  /** Objects of a kind in a namespace of a cluster. */
  inNamespace(
    cluster: string,
    namespace: string,
    kind: string,
  ): ObjectEnvelope[];
  /** The Namespace object, if cached. */
  namespace(cluster: string, name: string): ObjectEnvelope | undefined;
  /** Freshness of a kind on a cluster. */
  kindStatus(cluster: string, kind: string): KindFreshness;
  /** Clusters the entity's workloads run on (or were looked for on). */
  clusters: ClusterFacts[];
  /** Workloads in the entity's namespaces that no catalog entity claims. */
  unclaimed: ObjectEnvelope[];
  options: CheckOptions;
  /** PolicyReport policy names that map onto a catalog check (not onto K8S-INT-007). */
  mappedPolicies?: ReadonlySet<string>;
  /** Evaluation time, ms since epoch. */
  now: number;
}

/**
 * A check: its catalog data plus a pure function.
 * @public
 */
export interface ComplianceCheck extends CheckDefinition {
  evaluate(target: ObjectEnvelope | undefined, ctx: EvalContext): CheckOutcome;
}
