import { z } from 'zod';

/** @public */
export const checkStatusSchema = z.enum([
  'pass',
  'fail',
  'warn',
  'not-applicable',
  'unknown',
  'error',
  'exempt',
]);
/** @public */
export const severitySchema = z.enum(['critical', 'high', 'medium', 'low']);
/** @public */
export const gradeSchema = z.enum(['A', 'B', 'C', 'D', 'F', 'N/A']);

/** @public */
export const evidenceSchema = z.object({
  object: z.string(),
  path: z.string(),
  value: z.string(),
});

/** One current result (after exemptions). @public */
export const resultDtoSchema = z.object({
  entityRef: z.string(),
  checkId: z.string(),
  checkVersion: z.number(),
  severity: severitySchema,
  target: z.string(),
  status: checkStatusSchema,
  message: z.string(),
  evidence: z.array(evidenceSchema),
  /** When the result last changed. */
  since: z.string(),
  /** When it was last confirmed by an evaluation. */
  evaluatedAt: z.string(),
  exemptionId: z.string().optional(),
});

/** @public */
export const scoreDtoSchema = z.object({
  score: z.number().nullable(),
  grade: gradeSchema,
  capped: z.boolean(),
  criticalFailures: z.number(),
  coverage: z.number(),
  counts: z.record(z.string(), z.number()),
});

/** `GET /v1/entities/:kind/:namespace/:name`. @public */
export const entityScorecardSchema = z.object({
  entityRef: z.string(),
  phi: z.boolean(),
  evaluatedAt: z.string().nullable(),
  score: scoreDtoSchema,
  results: z.array(resultDtoSchema),
});

/** One change of a result. @public */
export const historyEntrySchema = z.object({
  entityRef: z.string(),
  checkId: z.string(),
  target: z.string(),
  status: checkStatusSchema,
  previousStatus: checkStatusSchema.nullable(),
  message: z.string(),
  changedAt: z.string(),
});

/** Score of an entity over time. @public */
export const scorePointSchema = z.object({
  at: z.string(),
  score: z.number().nullable(),
  grade: gradeSchema,
});

/** `GET /v1/entities/:kind/:namespace/:name/history`. @public */
export const entityHistorySchema = z.object({
  entityRef: z.string(),
  changes: z.array(historyEntrySchema),
  scores: z.array(scorePointSchema),
});

/** @public */
export const rollUpSchema = z.object({
  key: z.string(),
  entities: z.number(),
  score: z.number().nullable(),
  grade: gradeSchema,
  capped: z.boolean(),
  criticalFailures: z.number(),
});

/** `GET /v1/overview`. @public */
export const overviewSchema = z.object({
  evaluatedAt: z.string().nullable(),
  entities: z.array(
    z.object({
      entityRef: z.string(),
      title: z.string().optional(),
      owner: z.string().optional(),
      system: z.string().optional(),
      phi: z.boolean(),
      score: scoreDtoSchema,
      /** Safeguard id → score of the checks supporting it. */
      safeguards: z.record(z.string(), z.number().nullable()),
    }),
  ),
  teams: z.array(rollUpSchema),
  systems: z.array(rollUpSchema),
  safeguards: z.array(rollUpSchema.extend({ title: z.string() })),
  regressions: z.array(historyEntrySchema),
  trend: z.array(z.object({ day: z.string(), score: z.number().nullable() })),
});

/** @public */
export const exemptionSchema = z.object({
  id: z.string(),
  entityRef: z.string(),
  checkId: z.string(),
  target: z.string(),
  justification: z.string(),
  requestedBy: z.string(),
  requestedAt: z.string(),
  expiresAt: z.string(),
  state: z.enum(['pending', 'approved', 'rejected', 'revoked', 'expired']),
  decidedBy: z.string().optional(),
  decidedAt: z.string().optional(),
  decisionComment: z.string().optional(),
  expiringSoon: z.boolean().optional(),
});

/** Body of `POST /v1/exemptions`. @public */
export const createExemptionSchema = z.object({
  entityRef: z.string().min(1),
  checkId: z.string().min(1),
  target: z.string().min(1).optional(),
  justification: z.string(),
  expiresAt: z.string(),
});

/** Body of `POST /v1/exemptions/:id/decision`. @public */
export const decideExemptionSchema = z.object({
  decision: z.enum(['approve', 'reject', 'revoke']),
  comment: z.string().min(3, 'say why (at least 3 characters)'),
});

/** @public */
export type ResultDto = z.infer<typeof resultDtoSchema>;
/** @public */
export type ScoreDto = z.infer<typeof scoreDtoSchema>;
/** @public */
export type EntityScorecard = z.infer<typeof entityScorecardSchema>;
/** @public */
export type HistoryEntry = z.infer<typeof historyEntrySchema>;
/** @public */
export type EntityHistory = z.infer<typeof entityHistorySchema>;
/** @public */
export type Overview = z.infer<typeof overviewSchema>;
/** @public */
export type ExemptionDto = z.infer<typeof exemptionSchema>;
/** @public */
export type CreateExemptionRequest = z.infer<typeof createExemptionSchema>;
/** @public */
export type DecideExemptionRequest = z.infer<typeof decideExemptionSchema>;

/**
 * The first problem of a zod parse as `field: message`, for InputError.
 * @public
 */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  const path = issue?.path.join('.') || 'body';
  return issue?.message.startsWith(`${path}:`)
    ? issue.message
    : `${path}: ${issue?.message ?? 'invalid'}`;
}
