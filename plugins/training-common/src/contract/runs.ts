import { z } from 'zod';
import { runtimeSchema, secretEnvSchema } from './launch';

/**
 * What a run is doing, in the words users ask about (reference §3.4):
 * - `submitted`: created, not yet seen in the cluster cache;
 * - `queued`: waiting in Kueue (reason verbatim, position), or admission checks pending;
 * - `starting`: admitted, pods scheduling / pulling images / initialising;
 * - `running`, `succeeded`, `failed` (with the reason), `cancelled` (by whom);
 * - `preempted`: evicted by Kueue (reason), requeued;
 * - `suspended`: suspended by a person, not by a queue.
 * Never `running` for a suspended or unadmitted job.
 * @public
 */
export const runPhaseSchema = z.enum([
  'submitted',
  'queued',
  'starting',
  'running',
  'succeeded',
  'failed',
  'cancelled',
  'preempted',
  'suspended',
]);

/**
 * Phase of a run.
 * @public
 */
export type RunPhase = z.infer<typeof runPhaseSchema>;

/**
 * The phases a run never leaves.
 * @public
 */
export const TERMINAL_PHASES: ReadonlyArray<RunPhase> = [
  'succeeded',
  'failed',
  'cancelled',
];

/**
 * A run's state at one moment.
 * @public
 */
export const runStateSchema = z.object({
  phase: runPhaseSchema,
  /** Machine reason, e.g. `WaitingForQuota`, `ImagePullBackOff`, `DeadlineExceeded`. */
  reason: z.string().optional(),
  /** The state in words, for people. */
  message: z.string(),
  /** Position in the ClusterQueue (1 = next), while queued. */
  position: z.number().int().optional(),
  /** What `starting` waits for: `scheduling`, `image-pull`, `initializing`, `creating`. */
  detail: z.string().optional(),
  readyPods: z.number().int().optional(),
  expectedPods: z.number().int().optional(),
});

/**
 * A run's state at one moment.
 * @public
 */
export type RunState = z.infer<typeof runStateSchema>;

/**
 * One entry of a run's state history.
 * @public
 */
export const runStateChangeSchema = runStateSchema.extend({
  /** When Careplane saw the change (ISO 8601). */
  at: z.string(),
});

/**
 * One entry of a run's state history.
 * @public
 */
export type RunStateChange = z.infer<typeof runStateChangeSchema>;

/**
 * The parameters of a run as stored (never a secret value: secrets by reference only).
 * @public
 */
export const runParametersSchema = z.object({
  runtime: runtimeSchema,
  image: z.string(),
  command: z.array(z.string()),
  args: z.array(z.string()),
  gpuType: z.string(),
  gpuResource: z.string(),
  gpusPerNode: z.number().int(),
  migProfile: z.string().optional(),
  nodes: z.number().int(),
  cpu: z.string(),
  memory: z.string(),
  datasetPvc: z.string().optional(),
  outputPvc: z.string().optional(),
  hyperParameters: z.record(z.string(), z.string()),
  secretEnv: z.array(secretEnvSchema),
  maxRuntimeMinutes: z.number().int(),
  queue: z.string().optional(),
  pricePerGpuHour: z.number(),
});

/**
 * The parameters of a run as stored.
 * @public
 */
export type RunParameters = z.infer<typeof runParametersSchema>;

/**
 * A training run.
 * @public
 */
export const runSchema = z.object({
  id: z.string(),
  name: z.string(),
  entityRef: z.string(),
  /** Owner of the entity at launch (a group ref), for team views. */
  team: z.string().optional(),
  createdBy: z.string(),
  createdAt: z.string(),
  cluster: z.string(),
  namespace: z.string(),
  /** Kind of the run's object: `Job`, `TrainJob` or `PyTorchJob`. */
  kind: z.string(),
  objectName: z.string(),
  parameters: runParametersSchema,
  state: runStateSchema,
  stateChangedAt: z.string(),
  history: z.array(runStateChangeSchema),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  cancelledBy: z.string().optional(),
  cancelReason: z.string().optional(),
  totalGpus: z.number().int(),
  gpuHours: z.number(),
  cost: z.number(),
});

/**
 * A training run.
 * @public
 */
export type Run = z.infer<typeof runSchema>;

/**
 * Query of `GET /v1/runs`.
 * @public
 */
export const listRunsQuerySchema = z.object({
  entityRef: z.string().optional(),
  team: z.string().optional(),
  phase: runPhaseSchema.optional(),
  cluster: z.string().optional(),
  createdBy: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().optional(),
});

/**
 * Query of `GET /v1/runs`.
 * @public
 */
export type ListRunsQuery = z.infer<typeof listRunsQuerySchema>;

/**
 * Answer of `GET /v1/runs` (newest first; history left out, see `GET /v1/runs/:id`).
 * @public
 */
export const listRunsResponseSchema = z.object({
  items: z.array(runSchema),
  nextCursor: z.string().optional(),
});

/**
 * Answer of `GET /v1/runs`.
 * @public
 */
export type ListRunsResponse = z.infer<typeof listRunsResponseSchema>;

/**
 * Answer of `POST /v1/runs`: the run, and whether this call created it (false when the
 * idempotency key was used before).
 * @public
 */
export const launchResponseSchema = z.object({
  run: runSchema,
  created: z.boolean(),
});

/**
 * Answer of `POST /v1/runs`.
 * @public
 */
export type LaunchResponse = z.infer<typeof launchResponseSchema>;
