import { z } from 'zod';

/**
 * A Kubernetes toleration.
 * @public
 */
export const tolerationSchema = z.object({
  key: z.string().optional(),
  operator: z.enum(['Exists', 'Equal']).optional(),
  value: z.string().optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
});

/**
 * A Kubernetes toleration.
 * @public
 */
export type Toleration = z.infer<typeof tolerationSchema>;

/**
 * A MIG profile of a GPU type: a slice requested as its own extended resource.
 * @public
 */
export const migProfileSchema = z.object({
  /** Profile name, e.g. `1g.10gb`. */
  name: z.string(),
  /** Extended resource, e.g. `nvidia.com/mig-1g.10gb`. */
  resourceName: z.string(),
  /** Price of one slice for an hour. */
  pricePerHour: z.number().nonnegative(),
});

/**
 * A MIG profile of a GPU type.
 * @public
 */
export type MigProfile = z.infer<typeof migProfileSchema>;

/**
 * A GPU type from config (`training.gpuTypes`): how to place a run on it and what it costs.
 * @public
 */
export const gpuTypeSchema = z.object({
  /** Id, e.g. `nvidia-a100-80gb`; a cluster offers it when its `gpu` label names it. */
  name: z.string(),
  title: z.string(),
  /** Extended resource of a whole GPU, default `nvidia.com/gpu`. */
  resourceName: z.string(),
  nodeSelector: z.record(z.string(), z.string()),
  tolerations: z.array(tolerationSchema),
  pricePerGpuHour: z.number().nonnegative(),
  /** Most GPUs (or slices) one run may ask for. */
  maxPerRun: z.number().int().positive(),
  migProfiles: z.array(migProfileSchema),
  /** Clusters that offer this type (from their `gpu` label). */
  clusters: z.array(z.string()),
});

/**
 * A GPU type as the API returns it.
 * @public
 */
export type GpuType = z.infer<typeof gpuTypeSchema>;

/**
 * Answer of `GET /v1/gpu-types`.
 * @public
 */
export const gpuTypesResponseSchema = z.object({
  items: z.array(gpuTypeSchema),
  currency: z.string(),
});

/**
 * Answer of `GET /v1/gpu-types`.
 * @public
 */
export type GpuTypesResponse = z.infer<typeof gpuTypesResponseSchema>;
