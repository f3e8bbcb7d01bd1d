/*
 * Catalog annotations of the migrations feature (DESIGN.md §3). Defined here, in the package of
 * the feature that reads them; @careplane/plugin-clusters-common keeps deprecated copies.
 */

/**
 * Migration wave membership of a service: the name of a catalog `Resource` of type
 * {@link MIGRATION_WAVE_RESOURCE_TYPE}, e.g. `wave-1`.
 * @public
 */
export const ANNOTATION_MIGRATION_WAVE = 'careplane.io/migration-wave';

/**
 * Source cluster (and optional namespace, `cluster/namespace`) of a migrating service.
 * @public
 */
export const ANNOTATION_MIGRATION_SOURCE = 'careplane.io/migration-source';

/**
 * Target cluster (and optional namespace, `cluster/namespace`) of a migrating service.
 * @public
 */
export const ANNOTATION_MIGRATION_TARGET = 'careplane.io/migration-target';

/**
 * Catalog `Resource` `spec.type` of migration waves.
 * @public
 */
export const MIGRATION_WAVE_RESOURCE_TYPE = 'migration-wave';

/**
 * One side of a migration: a cluster, and the namespace when the annotation names one.
 * @public
 */
export interface MigrationEndpoint {
  cluster: string;
  namespace?: string;
}

/**
 * The outcome of parsing an annotation: the value, or an error that says what to fix. Never
 * throws, so that one malformed service does not break a wave's page.
 * @public
 */
export type ParseResult<T> =
  | { ok: true; value: T }
  | { ok: false; error: string };

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function checkName(
  annotation: string,
  what: string,
  name: string,
): string | undefined {
  if (name.length > 63 || !DNS_LABEL.test(name)) {
    return `${annotation}: '${name}' is not a valid ${what} name (lower-case letters, digits and '-', at most 63 characters)`;
  }
  return undefined;
}

/**
 * Parses a `careplane.io/migration-source` or `-target` value: `cluster` or `cluster/namespace`.
 * @public
 */
export function parseMigrationEndpoint(
  annotation: string,
  value: string | undefined,
): ParseResult<MigrationEndpoint> {
  const trimmed = value?.trim();
  if (!trimmed) {
    return {
      ok: false,
      error: `${annotation} is missing: set it to 'cluster' or 'cluster/namespace'`,
    };
  }
  const parts = trimmed.split('/');
  if (parts.length > 2) {
    return {
      ok: false,
      error: `${annotation}: '${trimmed}' has more than one '/'; use 'cluster' or 'cluster/namespace'`,
    };
  }
  const [cluster, namespace] = parts;
  const error =
    checkName(annotation, 'cluster', cluster) ??
    (namespace !== undefined
      ? checkName(annotation, 'namespace', namespace)
      : undefined);
  if (error) return { ok: false, error };
  return {
    ok: true,
    value: namespace === undefined ? { cluster } : { cluster, namespace },
  };
}

/**
 * The source and target of a migrating service from its annotations; refuses a source equal to
 * its target.
 * @public
 */
export function parseMigrationEndpoints(
  annotations: Record<string, string | undefined> | undefined,
): ParseResult<{ source: MigrationEndpoint; target: MigrationEndpoint }> {
  const source = parseMigrationEndpoint(
    ANNOTATION_MIGRATION_SOURCE,
    annotations?.[ANNOTATION_MIGRATION_SOURCE],
  );
  if (!source.ok) return source;
  const target = parseMigrationEndpoint(
    ANNOTATION_MIGRATION_TARGET,
    annotations?.[ANNOTATION_MIGRATION_TARGET],
  );
  if (!target.ok) return target;
  const same =
    source.value.cluster === target.value.cluster &&
    (source.value.namespace ?? '') === (target.value.namespace ?? '');
  if (same) {
    return {
      ok: false,
      error: `${ANNOTATION_MIGRATION_SOURCE} and ${ANNOTATION_MIGRATION_TARGET} are the same (${
        source.value.cluster
      }${
        source.value.namespace ? `/${source.value.namespace}` : ''
      }): a migration moves a service to another cluster or namespace`,
    };
  }
  return { ok: true, value: { source: source.value, target: target.value } };
}
