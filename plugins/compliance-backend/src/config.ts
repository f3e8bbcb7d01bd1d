import type { Config } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import {
  builtInChecks,
  CheckOptions,
  ComplianceCheck,
  DEFAULT_CHECK_OPTIONS,
  fail,
  notApplicable,
  pass,
  POD_KINDS,
} from '@careplane/plugin-compliance-common';
import { z } from 'zod';

/** The plugin's configuration, validated. @internal */
export interface ComplianceConfig {
  retentionDays: number;
  fullEvaluationMinutes: number;
  checkOptions: CheckOptions;
  customChecks: ComplianceCheck[];
}

const customCheckSchema = z.object({
  id: z
    .string()
    .regex(
      /^[A-Z][A-Z0-9-]{2,40}$/,
      'must be upper case letters, digits and dashes, e.g. ORG-TAG-001',
    ),
  title: z.string().min(3),
  severity: z.enum(['critical', 'high', 'medium', 'low']),
  category: z
    .enum([
      'access-control',
      'encryption',
      'integrity',
      'transmission',
      'audit',
      'authentication',
      'availability',
      'metadata',
    ])
    .default('integrity'),
  hipaa: z
    .array(
      z
        .string()
        .regex(
          /^164\.3\d\d\([a-z]\)/,
          'must be a HIPAA paragraph, e.g. 164.312(c)(1)',
        ),
    )
    .min(1),
  rationale: z.string().min(10),
  remediation: z.string().min(3),
  kinds: z.array(z.string()).optional(),
  phiOnly: z.boolean().optional(),
  require: z
    .object({
      path: z
        .string()
        .regex(
          /^[A-Za-z0-9_.[\]-]+$/,
          'must be a dot path, e.g. spec.template.spec.priorityClassName',
        ),
      exists: z.boolean().optional(),
      equals: z.union([z.string(), z.number(), z.boolean()]).optional(),
      matches: z.string().optional(),
    })
    .refine(
      r =>
        r.exists !== undefined ||
        r.equals !== undefined ||
        r.matches !== undefined,
      'needs one of exists, equals or matches',
    ),
});

/** The value at a dot path (`a.b[0].c`). @internal */
export function valueAt(object: unknown, path: string): unknown {
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter(Boolean)
    .reduce<any>(
      (o, k) => (o === null || o === undefined ? undefined : o[k]),
      object,
    );
}

function toCheck(c: z.infer<typeof customCheckSchema>): ComplianceCheck {
  const re =
    c.require.matches !== undefined ? new RegExp(c.require.matches) : undefined;
  return {
    id: c.id,
    version: 1,
    title: c.title,
    severity: c.severity,
    category: c.category,
    rationale: c.rationale,
    remediation: { text: c.remediation },
    applicability: {
      target: 'workload',
      kinds: c.kinds ?? POD_KINDS,
      phiOnly: c.phiOnly,
    },
    hipaa: c.hipaa,
    anchors: {},
    evaluate: o => {
      if (!o) return notApplicable('No workload');
      const v = valueAt(o.object, c.require.path);
      let shown = v === undefined ? 'absent' : String(v).slice(0, 100);
      if (v !== null && typeof v === 'object') shown = 'an object';
      const evidence = [
        {
          object: `${o.kind} ${o.namespace}/${o.name} on ${o.cluster}`,
          path: c.require.path,
          value: shown,
        },
      ];
      let ok = true;
      if (c.require.exists !== undefined)
        ok = ok && (v !== undefined) === c.require.exists;
      if (c.require.equals !== undefined) ok = ok && v === c.require.equals;
      if (re) ok = ok && typeof v === 'string' && re.test(v);
      return ok
        ? pass(`${c.require.path} is as required`, evidence)
        : fail(`${c.require.path} is not as required`, evidence);
    },
  };
}

/** Custom checks, validated; the error names the config key. @internal */
export function parseCustomChecks(
  raw: unknown,
  keyPrefix = 'compliance.customChecks',
): ComplianceCheck[] {
  if (raw === undefined) return [];
  const parsed = z.array(customCheckSchema).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue.path.reduce<string>(
      (k, p) => (typeof p === 'number' ? `${k}[${p}]` : `${k}.${String(p)}`),
      keyPrefix,
    );
    throw new InputError(`Invalid config '${key}': ${issue.message}`);
  }
  const ids = new Set(builtInChecks.map(c => c.id));
  return parsed.data.map((c, i) => {
    if (ids.has(c.id))
      throw new ConflictError(
        `Invalid config '${keyPrefix}[${i}].id': '${c.id}' is already a check`,
      );
    ids.add(c.id);
    if (c.require.matches !== undefined) {
      try {
        RegExp(c.require.matches);
      } catch (e) {
        throw new InputError(
          `Invalid config '${keyPrefix}[${i}].require.matches': ${
            (e as Error).message
          }`,
        );
      }
    }
    return toCheck(c);
  });
}

/** Reads and validates `compliance.*`. @internal */
export function readComplianceConfig(config: Config): ComplianceConfig {
  const retentionDays =
    config.getOptionalNumber('compliance.retentionDays') ?? 2192;
  if (!Number.isInteger(retentionDays) || retentionDays < 1) {
    throw new InputError(
      `Invalid config 'compliance.retentionDays': must be a whole number of days ≥ 1`,
    );
  }
  const fullEvaluationMinutes =
    config.getOptionalNumber('compliance.fullEvaluationMinutes') ?? 15;
  if (!(fullEvaluationMinutes >= 1)) {
    throw new InputError(
      `Invalid config 'compliance.fullEvaluationMinutes': must be at least 1`,
    );
  }
  const maxReportAgeDays =
    config.getOptionalNumber('compliance.checks.maxReportAgeDays') ??
    DEFAULT_CHECK_OPTIONS.maxReportAgeDays;
  return {
    retentionDays,
    fullEvaluationMinutes,
    checkOptions: {
      allowedRegistries:
        config.getOptionalStringArray('compliance.checks.allowedRegistries') ??
        [],
      encryptedStorageClasses:
        config.getOptionalStringArray(
          'compliance.checks.encryptedStorageClasses',
        ) ?? [],
      maxReportAgeDays,
    },
    customChecks: parseCustomChecks(
      config.getOptional('compliance.customChecks'),
    ),
  };
}
