/*
 * Catalog annotations of the shared cluster plugin (DESIGN.md §3). Annotations that only one
 * feature reads belong to that feature's -common package, with a parse function; the copies
 * below marked deprecated stay for one release for code that imported them from here.
 */

/**
 * Objects labelled `backstage.io/kubernetes-id=<id>` belong to the entity (upstream annotation).
 * @public
 */
export const ANNOTATION_KUBERNETES_ID = 'backstage.io/kubernetes-id';

/**
 * Alternative label selector for the entity's objects (upstream annotation).
 * @public
 */
export const ANNOTATION_KUBERNETES_LABEL_SELECTOR =
  'backstage.io/kubernetes-label-selector';

/**
 * Optional namespace restriction for the entity's objects (upstream annotation).
 * @public
 */
export const ANNOTATION_KUBERNETES_NAMESPACE =
  'backstage.io/kubernetes-namespace';

/**
 * The label Kubernetes objects carry to belong to an entity with `backstage.io/kubernetes-id`.
 * @public
 */
export const LABEL_KUBERNETES_ID = 'backstage.io/kubernetes-id';

/**
 * Data classification of a service: `phi`, `internal` or `public`. PHI services get stricter checks.
 * @public
 */
export const ANNOTATION_DATA_CLASSIFICATION =
  'careplane.io/data-classification';

/**
 * Values of {@link ANNOTATION_DATA_CLASSIFICATION}.
 * @public
 */
export type DataClassification = 'phi' | 'internal' | 'public';

/**
 * Availability / latency objectives used by the rollout gate, e.g. `availability=99.9`.
 * @public
 * @deprecated Owned by the rollouts feature: import `ANNOTATION_SLO` (and its parser) from
 * `@careplane/plugin-rollouts-common`. Kept as a copy because that package depends on this one.
 */
export const ANNOTATION_SLO = 'careplane.io/slo';

/**
 * Migration wave membership of a service.
 * @public
 * @deprecated Owned by the migrations feature: import `ANNOTATION_MIGRATION_WAVE` from
 * `@careplane/plugin-migrations-common`. Kept as a copy because that package depends on this one.
 */
export const ANNOTATION_MIGRATION_WAVE = 'careplane.io/migration-wave';

/**
 * Source cluster (and optional namespace, `cluster/namespace`) of a migrating service.
 * @public
 * @deprecated Owned by the migrations feature: import `ANNOTATION_MIGRATION_SOURCE` from
 * `@careplane/plugin-migrations-common`. Kept as a copy because that package depends on this one.
 */
export const ANNOTATION_MIGRATION_SOURCE = 'careplane.io/migration-source';

/**
 * Target cluster (and optional namespace, `cluster/namespace`) of a migrating service.
 * @public
 * @deprecated Owned by the migrations feature: import `ANNOTATION_MIGRATION_TARGET` from
 * `@careplane/plugin-migrations-common`. Kept as a copy because that package depends on this one.
 */
export const ANNOTATION_MIGRATION_TARGET = 'careplane.io/migration-target';

/**
 * Default Kueue queue / GPU quota of the owning team.
 * @public
 * @deprecated Owned by the training feature: import `ANNOTATION_TRAINING_QUEUE` from
 * `@careplane/plugin-training-common`. Kept as a copy because that package depends on this one.
 */
export const ANNOTATION_TRAINING_QUEUE = 'careplane.io/training-queue';

/**
 * Catalog `Resource` `spec.type` of cluster entities.
 * @public
 */
export const CLUSTER_RESOURCE_TYPE = 'kubernetes-cluster';

/**
 * The field manager Careplane uses for server-side apply.
 * @public
 */
export const CAREPLANE_FIELD_MANAGER = 'careplane';
