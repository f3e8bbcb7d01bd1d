import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { ObjectSelector } from '@careplane/plugin-clusters-common';
import { EntityScope, entityScopeOf } from '../WriteScope/WriteScope';
import { TtlLruCache } from './TtlLruCache';

/** Entities whose scope is cached at most; the least recently used one makes room. */
export const MAX_CACHED_ENTITIES = 5000;

/**
 * Entity selector resolution: an entity ref to the label selector and write scope its
 * annotations give (`backstage.io/kubernetes-id` or `backstage.io/kubernetes-label-selector`).
 * Answers are cached for `entityTtlMs` (`clusters.cache.entityTtl`, 30 s by default) and for at
 * most {@link MAX_CACHED_ENTITIES} entities (least recently used first out). The catalog offers
 * no change event to invalidate on, so the short TTL is what bounds how long an edited
 * annotation takes to apply.
 * @internal
 */
export class EntitySelectors {
  private readonly cache: TtlLruCache<string, EntityScope>;

  constructor(
    private readonly deps: {
      catalog: CatalogService;
      entityTtlMs: number;
      maxEntries?: number;
      now?: () => number;
    },
  ) {
    this.cache = new TtlLruCache({
      maxEntries: deps.maxEntries ?? MAX_CACHED_ENTITIES,
      ttlMs: deps.entityTtlMs,
      now: deps.now,
    });
  }

  /** Entities whose scope is cached now. */
  get cachedEntities() {
    return this.cache.size;
  }

  /** The entity's selector from its annotations (cached briefly). */
  async selectorFor(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<ObjectSelector> {
    return (await this.scopeFor(entityRef, credentials)).selector;
  }

  /** The entity's selector and write scope from its annotations (cached briefly). */
  async scopeFor(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<EntityScope> {
    const ref = canonicalRef(entityRef);
    const cached = this.cache.get(ref);
    if (cached) return cached;
    const entity = await this.deps.catalog.getEntityByRef(ref, { credentials });
    if (!entity) throw new NotFoundError(`Entity ${ref} not found`);
    const scope = entityScopeOf(ref, entity);
    if (!scope) {
      throw new InputError(
        `Entity ${ref} has neither a backstage.io/kubernetes-id nor a backstage.io/kubernetes-label-selector annotation`,
      );
    }
    this.cache.set(ref, scope);
    return scope;
  }
}

/**
 * The canonical form of an entity ref (`kind:namespace/name`), or a 400 saying it is not one.
 * @internal
 */
export function canonicalRef(entityRef: string): string {
  try {
    return stringifyEntityRef(parseEntityRef(entityRef));
  } catch {
    // the parser's message names the ref's parts; the caller needs only which ref was refused
    throw new InputError(`Invalid entity ref '${entityRef}'`);
  }
}
