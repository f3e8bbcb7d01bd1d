import { z } from 'zod';

/**
 * Where a run executes: a plain `batch/v1` Job (default, works on every cluster), a Kubeflow
 * Trainer v2 `TrainJob`, or a Training Operator v1 `PyTorchJob` (where their CRDs are installed).
 * @public
 */
export const runtimeSchema = z.enum(['job', 'trainjob', 'pytorchjob']);

/**
 * Runtime of a run.
 * @public
 */
export type TrainingRuntime = z.infer<typeof runtimeSchema>;

/**
 * An environment variable taken from a Secret, by name only (never a value).
 * @public
 */
export const secretEnvSchema = z.object({
  name: z.string().max(128).describe('Environment variable name'),
  secretName: z
    .string()
    .max(253)
    .describe('Name of a Secret in the run namespace'),
  key: z.string().max(253).describe('Key in that Secret'),
});

/**
 * Body of `POST /v1/runs` (and the input of `training:run:create`). The server validates it
 * again with {@link validateLaunch}; this schema only checks shapes.
 * @public
 */
export const launchRequestSchema = z.object({
  idempotencyKey: z
    .string()
    .max(64)
    .describe(
      'Client-chosen key, 8 to 64 of [A-Za-z0-9_-]; a retried launch with the same key returns the same run',
    ),
  entityRef: z
    .string()
    .max(255)
    .describe('The catalog entity that owns the run, e.g. component:default/x'),
  name: z
    .string()
    .max(63)
    .describe('Run name prefix, a DNS label of at most 40 characters'),
  cluster: z.string().max(255).describe('Cluster offering the GPU type'),
  runtime: runtimeSchema.optional().describe('Default job'),
  queue: z
    .string()
    .optional()
    .describe(
      "Kueue LocalQueue; default the entity's careplane.io/training-queue",
    ),
  image: z
    .string()
    .max(512)
    .describe('Container image; pinned by @sha256 digest for PHI data'),
  command: z.array(z.string().max(4096)).max(100).optional(),
  args: z.array(z.string().max(4096)).max(100).optional(),
  gpu: z.object({
    type: z.string().describe('GPU type from config'),
    count: z.number().describe('GPUs (or MIG slices) per node'),
    migProfile: z.string().optional().describe('MIG profile, e.g. 1g.10gb'),
  }),
  nodes: z.number().optional().describe('Nodes (pods), default 1'),
  cpu: z.string().describe('CPU request per node, e.g. 8 or 500m'),
  memory: z.string().describe('Memory request per node, e.g. 64Gi'),
  datasetPvc: z.string().optional().describe('PVC mounted read-only at /data'),
  outputPvc: z.string().optional().describe('PVC mounted at /output'),
  hyperParameters: z
    .record(z.string().max(128), z.string().max(4096))
    .refine(r => Object.keys(r).length <= 100, 'at most 100 entries')
    .optional()
    .describe('Environment variables; no secret values'),
  secretEnv: z.array(secretEnvSchema).max(50).optional(),
  maxRuntimeMinutes: z.number().describe('Deadline of the run, 1 to 10080'),
  reason: z
    .string()
    .max(1000)
    .optional()
    .describe('Why; recorded in the audit log'),
});

/**
 * Body of `POST /v1/runs`.
 * @public
 */
export type LaunchRequest = z.infer<typeof launchRequestSchema>;

/**
 * Body of `POST /v1/runs/:id/cancel`.
 * @public
 */
export const cancelRequestSchema = z.object({
  reason: z.string().min(1).max(1000),
});

/**
 * Body of `POST /v1/runs/:id/cancel`.
 * @public
 */
export type CancelRequest = z.infer<typeof cancelRequestSchema>;
