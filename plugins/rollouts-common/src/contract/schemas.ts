import { z } from 'zod';

/*
 * zod schemas of the answers of `/api/rollouts`. The TypeScript interfaces of the model
 * (model/types.ts, model/history.ts, budget.ts, slo.ts, contract/responses.ts) stay the documented
 * names; `contract.test.ts` checks at compile time that each schema infers exactly its interface,
 * so the two cannot drift.
 */

const phaseSchema = z.enum([
  'Healthy',
  'Progressing',
  'Paused',
  'Degraded',
  'Aborted',
  'Unknown',
]);
const statusSchema = z.enum([
  'ok',
  'stale',
  'unavailable',
  'not-installed',
  'syncing',
]);
const actionSchema = z.enum([
  'promote',
  'promote-full',
  'abort',
  'retry',
  'restart',
  'pause',
  'resume',
  'undo',
]);

/** @public */
export const rolePodsSchema = z.object({
  role: z.enum([
    'stable',
    'canary',
    'preview',
    'active',
    'primary',
    'updated',
    'old',
  ]),
  revision: z.string().optional(),
  replicas: z.number(),
  ready: z.number(),
  available: z.number(),
});

/** @public */
export const analysisResultSchema = z.object({
  name: z.string(),
  phase: z.string(),
  message: z.string().optional(),
  startedAt: z.string().optional(),
  metrics: z.array(
    z.object({
      name: z.string(),
      phase: z.string(),
      count: z.number(),
      successful: z.number(),
      failed: z.number(),
      inconclusive: z.number(),
      error: z.number(),
      message: z.string().optional(),
      measurements: z.array(
        z.object({
          phase: z.string(),
          value: z.string().optional(),
          finishedAt: z.string().optional(),
        }),
      ),
    }),
  ),
});

/** @public */
export const rolloutViewSchema = z.object({
  kind: z.enum(['Rollout', 'Canary', 'Deployment', 'StatefulSet']),
  namespace: z.string(),
  name: z.string(),
  phase: phaseSchema,
  message: z.string(),
  controllerPhase: z.string().optional(),
  strategy: z.enum([
    'canary',
    'blueGreen',
    'flagger',
    'rollingUpdate',
    'recreate',
    'onDelete',
  ]),
  revision: z.string().optional(),
  images: z.array(z.string()),
  step: z
    .object({
      index: z.number(),
      total: z.number(),
      description: z.string().optional(),
    })
    .optional(),
  weights: z
    .object({ set: z.number().optional(), actual: z.number().optional() })
    .optional(),
  pause: z
    .object({
      reason: z.string(),
      since: z.string().optional(),
      needsHuman: z.boolean(),
    })
    .optional(),
  degradedReason: z
    .enum(['Aborted', 'TimedOut', 'InvalidSpec', 'AnalysisFailed', 'Failed'])
    .optional(),
  pods: z.array(rolePodsSchema),
  analysis: z.array(analysisResultSchema),
  lastTransition: z.string().optional(),
  waitingForHuman: z.boolean(),
  facts: z.object({
    abort: z.boolean(),
    promoteFull: z.boolean(),
    specPaused: z.boolean(),
    controllerPause: z.boolean(),
    currentPodHash: z.string().optional(),
    stableRS: z.string().optional(),
    currentStepIndex: z.number().optional(),
    stepCount: z.number(),
    analysisStepRunning: z.boolean(),
    inconclusive: z.boolean(),
    generationObserved: z.boolean(),
  }),
});

/** @public */
export const revisionEntrySchema = z.object({
  revision: z.number(),
  replicaSet: z.string(),
  podTemplateHash: z.string().optional(),
  images: z.array(z.string()),
  createdAt: z.string().optional(),
  changeCause: z.string().optional(),
  replicas: z.number(),
  current: z.boolean(),
});

/** @public */
export const actionAvailabilitySchema = z.object({
  action: actionSchema,
  valid: z.boolean(),
  reason: z.string().optional(),
  warning: z.string().optional(),
});

/** @public */
export const clusterRolloutSchema = rolloutViewSchema.extend({
  cluster: z.string(),
  history: z.array(revisionEntrySchema),
  actions: z.array(actionAvailabilitySchema),
});

/** @public */
export const clusterRolloutsSchema = z.object({
  cluster: z.string(),
  status: statusSchema,
  error: z.string().optional(),
  rollouts: z.array(clusterRolloutSchema),
});

/** @public */
export const entityRolloutsResponseSchema = z.object({
  entityRef: z.string(),
  clusters: z.array(clusterRolloutsSchema),
});

/** @public */
export const waitingItemSchema = z.object({
  cluster: z.string(),
  entityRef: z.string().optional(),
  owner: z.string().optional(),
  kubernetesId: z.string(),
  kind: z.string(),
  namespace: z.string(),
  name: z.string(),
  state: z.enum(['paused', 'degraded', 'aborted', 'inconclusive', 'deadline']),
  phase: phaseSchema,
  message: z.string(),
  since: z.string().optional(),
  ageSeconds: z.number().optional(),
});

/** @public */
export const waitingResponseSchema = z.object({
  items: z.array(waitingItemSchema),
  clusters: z.array(z.object({ cluster: z.string(), status: statusSchema })),
});

/** @public */
export const sloSpecSchema = z.object({
  availability: z.number().optional(),
  latency: z
    .object({ quantile: z.number(), thresholdMs: z.number() })
    .optional(),
  windowDays: z.number(),
});

/** @public */
export const clusterGateSchema = z.object({
  cluster: z.string(),
  decision: z.enum(['pass', 'block', 'not-evaluated']),
  reason: z.string(),
  remaining: z.number().optional(),
  pairs: z.array(
    z.object({
      name: z.string(),
      severity: z.enum(['fast', 'slow']),
      longSeconds: z.number(),
      shortSeconds: z.number(),
      threshold: z.number(),
      longBurn: z.number(),
      shortBurn: z.number(),
      firing: z.boolean(),
    }),
  ),
  errorRatios: z.array(
    z.object({ windowSeconds: z.number(), errorRatio: z.number().optional() }),
  ),
});

/** @public */
export const gateResponseSchema = z.object({
  entityRef: z.string(),
  slo: sloSpecSchema.optional(),
  sloError: z.string().optional(),
  clusters: z.array(clusterGateSchema),
});

/** @public */
export const actionResponseSchema = z.object({
  action: actionSchema,
  cluster: z.string(),
  kind: z.string(),
  namespace: z.string(),
  name: z.string(),
  patches: z.array(
    z.object({
      kind: z.string(),
      name: z.string(),
      subresource: z.literal('status').optional(),
      patchType: z.enum(['merge', 'json']),
      auditId: z.string(),
    }),
  ),
  gate: clusterGateSchema.optional(),
  overridden: z.boolean(),
  warnings: z.array(z.string()),
});
