import type { AuthService } from '@backstage/backend-plugin-api';
import {
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  parseLocationRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { ConflictError, InputError } from '@backstage/errors';
import type {
  CatalogProcessor,
  CatalogService,
} from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  LABEL_KUBERNETES_ID,
  LabelRequirement,
  parseLabelSelector,
} from '@careplane/plugin-clusters-common';
import path from 'node:path';

/**
 * A location as in app-config `catalog.locations`: type and target.
 * @public
 */
export interface ClaimsLocation {
  type: string;
  target: string;
}

/** `file` targets are compared as resolved absolute paths, as the catalog resolves them. */
export function normalizeLocation(location: ClaimsLocation): ClaimsLocation {
  return location.type === 'file'
    ? { type: 'file', target: path.resolve(location.target) }
    : { type: location.type, target: location.target };
}

// A Kubernetes label value: what `backstage.io/kubernetes-id` becomes on every object.
const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** Whether a selector requirement means "`backstage.io/kubernetes-id` is exactly `id`". */
function pinsId(r: LabelRequirement, id: string): boolean {
  if (r.key !== LABEL_KUBERNETES_ID) return false;
  if (r.op === '=') return r.value === id;
  if (r.op === 'in') return r.values.length === 1 && r.values[0] === id;
  return false;
}

/**
 * Refuses entities that claim Kubernetes objects of other entities, so that the cluster gateway,
 * which authorises reads and writes of objects by the entity they belong to, can trust the tie:
 *
 * - a `backstage.io/kubernetes-id` that another entity in the catalog already has;
 * - a `backstage.io/kubernetes-label-selector` that does not pin `backstage.io/kubernetes-id` to
 *   the entity's own id by equality (it could select any team's objects).
 *
 * Entities from locations the platform owns (app-config `catalog.locations` and
 * `clusters.claims.trustedLocations`, by their `backstage.io/managed-by-origin-location`) may
 * claim anything. A refusal fails the entity's processing: a new entity never appears in the
 * catalog, an existing one is not updated (it keeps its last accepted version, with the error).
 * @public
 */
export class KubernetesClaimsProcessor implements CatalogProcessor {
  private readonly catalog: CatalogService;
  private readonly auth: AuthService;
  private readonly trusted: ClaimsLocation[];

  constructor(options: {
    catalog: CatalogService;
    auth: AuthService;
    trustedLocations: ClaimsLocation[];
  }) {
    this.catalog = options.catalog;
    this.auth = options.auth;
    this.trusted = options.trustedLocations.map(normalizeLocation);
  }

  getProcessorName(): string {
    return 'CareplaneKubernetesClaimsProcessor';
  }

  /** Whether the entity comes from a location the platform owns. */
  isTrusted(entity: Entity): boolean {
    const origin = entity.metadata.annotations?.[ANNOTATION_ORIGIN_LOCATION];
    if (!origin) return false;
    let location: ClaimsLocation;
    try {
      location = normalizeLocation(parseLocationRef(origin));
    } catch {
      return false;
    }
    return this.trusted.some(
      t => t.type === location.type && t.target === location.target,
    );
  }

  // Pre-processing runs before the entity is stored, for every source (locations, providers and
  // the dry run of a registration), and a throw here fails the whole processing of the entity.
  async preProcessEntity(entity: Entity): Promise<Entity> {
    const annotations = entity.metadata.annotations ?? {};
    const id = annotations[ANNOTATION_KUBERNETES_ID];
    const selector = annotations[ANNOTATION_KUBERNETES_LABEL_SELECTOR];
    if (id === undefined && selector === undefined) return entity;
    if (this.isTrusted(entity)) return entity;

    const ref = stringifyEntityRef(entity);
    const origin =
      annotations[ANNOTATION_ORIGIN_LOCATION] ?? 'an unknown location';
    const ask = `or ask a platform admin to register it from a location the platform owns (catalog.locations or clusters.claims.trustedLocations; this one comes from ${origin})`;

    if (id !== undefined && !LABEL_VALUE.test(id)) {
      throw new InputError(
        `${ref}: ${ANNOTATION_KUBERNETES_ID} '${id}' is not a Kubernetes label value (letters, digits, '-', '_', '.', at most 63 characters, starting and ending with a letter or digit); use e.g. '${entity.metadata.name}'.`,
      );
    }
    if (selector !== undefined) {
      if (id === undefined) {
        throw new InputError(
          `${ref}: a ${ANNOTATION_KUBERNETES_LABEL_SELECTOR} needs the entity's own ${ANNOTATION_KUBERNETES_ID}, and must pin it ('${LABEL_KUBERNETES_ID}=<your id>,…'); otherwise it could select other entities' objects. Add ${ANNOTATION_KUBERNETES_ID}, ${ask}.`,
        );
      }
      let requirements: LabelRequirement[];
      try {
        requirements = parseLabelSelector(selector);
      } catch (e) {
        throw new InputError(
          `${ref}: ${ANNOTATION_KUBERNETES_LABEL_SELECTOR} '${selector}' is not a label selector: ${
            (e as Error).message
          }`,
        );
      }
      if (!requirements.some(r => pinsId(r, id))) {
        throw new InputError(
          `${ref}: ${ANNOTATION_KUBERNETES_LABEL_SELECTOR} '${selector}' does not pin ${LABEL_KUBERNETES_ID}=${id}, so it could select objects of other entities. Write '${LABEL_KUBERNETES_ID}=${id}${
            selector.trim() ? `,${selector}` : ''
          }' (or drop the selector and use ${ANNOTATION_KUBERNETES_ID} alone), ${ask}.`,
        );
      }
    }
    if (id !== undefined) {
      const { items } = await this.catalog.getEntities(
        {
          filter: { [`metadata.annotations.${ANNOTATION_KUBERNETES_ID}`]: id },
          fields: ['kind', 'metadata.namespace', 'metadata.name'],
        },
        { credentials: await this.auth.getOwnServiceCredentials() },
      );
      const others = items
        .map(e => stringifyEntityRef(e))
        .filter(other => other !== ref);
      if (others.length > 0) {
        throw new ConflictError(
          `${ref}: ${ANNOTATION_KUBERNETES_ID} '${id}' is already claimed by ${others.join(
            ', ',
          )}; the objects labelled ${LABEL_KUBERNETES_ID}=${id} are theirs. Use an id of your own, ${ask}.`,
        );
      }
    }
    return entity;
  }
}
