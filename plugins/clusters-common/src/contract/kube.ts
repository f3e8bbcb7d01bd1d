import type { SerializedError } from '@backstage/errors';
import { z } from 'zod';

/*
 * The Kubernetes shapes every part of the contract shares, and the limits of names and lists in
 * requests. Everything is JSON-safe; times are ISO 8601 strings.
 */

/**
 * A Kubernetes object name, a cluster name, an entity ref: 1 to 253 characters.
 * @public
 */
export const nameSchema = z.string().min(1).max(253);

/**
 * Why a write (or log read) is made; recorded in the audit log. At most 1,000 characters.
 * @public
 */
export const reasonSchema = z.string().max(1000).optional();

/**
 * Kind names of a read: 1 to 30, each 1 to 100 characters.
 * @public
 */
export const kindNamesSchema = z
  .array(z.string().min(1).max(100))
  .min(1)
  .max(30);

/**
 * Restricts a call to some clusters (at most 100); all clusters when absent.
 * @public
 */
export const clusterNamesSchema = z.array(nameSchema).max(100).optional();

/**
 * A serialised Backstage error (`serializeError` of `@backstage/errors`).
 * @public
 */
export const serializedErrorSchema = z.custom<SerializedError>(
  value =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { message?: unknown }).message === 'string',
  { message: 'expected a serialized error' },
);

/**
 * Metadata of a Kubernetes object as Careplane keeps it (managedFields and the
 * last-applied-configuration annotation are always removed).
 * @public
 */
export const kubeObjectMetadataSchema = z.looseObject({
  name: nameSchema,
  namespace: z.string().max(253).optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.number().optional(),
  creationTimestamp: z.string().optional(),
  deletionTimestamp: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  ownerReferences: z
    .array(
      z.object({
        apiVersion: z.string(),
        kind: z.string(),
        name: z.string(),
        uid: z.string(),
        controller: z.boolean().optional(),
        blockOwnerDeletion: z.boolean().optional(),
      }),
    )
    .optional(),
});

/**
 * Metadata of a Kubernetes object.
 * @public
 */
export type KubeObjectMetadata = z.infer<typeof kubeObjectMetadataSchema>;

/**
 * A Kubernetes object after stripping (see the clusters-backend README: Secret data, ConfigMap
 * values and container env values never leave the backend). `spec` and `status` stay `any`:
 * their shape is the kind's.
 * @public
 */
export const kubeObjectSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: kubeObjectMetadataSchema,
  spec: z.any().optional(),
  status: z.any().optional(),
});

/**
 * A Kubernetes object.
 * @public
 */
export type KubeObject = z.infer<typeof kubeObjectSchema>;

/**
 * An object sent to be written: as {@link KubeObject}, and `apiVersion` and `kind` are required
 * (checked here rather than in the type, so that any `KubeObject` can be passed).
 * @public
 */
export const manifestSchema = kubeObjectSchema.superRefine((object, ctx) => {
  for (const key of ['apiVersion', 'kind'] as const) {
    if (object[key] === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: 'Invalid input: expected string, received undefined',
      });
    }
  }
});

/**
 * How Careplane addresses one Kubernetes kind. `group` is `''` for the core API group.
 * @public
 */
export const kindDescriptorSchema = z.object({
  /** The kind, e.g. `Deployment`; also the name the kind is asked for by. */
  kind: z.string().min(1).max(100),
  /** API group, `''` for core. */
  group: z.string().max(253),
  /** API version, e.g. `v1`. */
  version: z.string().min(1).max(32),
  /** Plural resource name used in URLs, e.g. `deployments`. */
  plural: z.string().min(1).max(253),
  /** Whether objects of the kind live in namespaces. */
  namespaced: z.boolean(),
  /**
   * Optional kinds come from CRDs that a cluster may not have; their absence is reported as
   * `not-installed`, not as an error.
   */
  optional: z.boolean().optional(),
});

/**
 * How Careplane addresses one Kubernetes kind.
 * @public
 */
export type KindDescriptor = z.infer<typeof kindDescriptorSchema>;

/**
 * Selects objects by label selector (Kubernetes syntax: `a=b,c!=d,e in (f,g),!h`) and an optional
 * namespace.
 * @public
 */
export const objectSelectorSchema = z.object({
  labelSelector: z.string().max(2000),
  namespace: z.string().max(63).optional(),
});

/**
 * Selects objects by label selector and an optional namespace.
 * @public
 */
export type ObjectSelector = z.infer<typeof objectSelectorSchema>;
