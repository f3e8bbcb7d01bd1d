import type { AuthService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  ANNOTATION_KUBERNETES_NAMESPACE,
} from '@careplane/plugin-clusters-common';

/** The catalog entity that claims a `backstage.io/kubernetes-id`, with its owner. */
export interface EntityOwner {
  entityRef: string;
  owner?: string;
  /** The entity's Kubernetes id. */
  kubernetesId: string;
  /**
   * Its objects are exactly those labelled with its id (no label-selector or namespace
   * annotation), so the fleet index can answer for it as the hub would.
   */
  plain: boolean;
}

/**
 * Maps Kubernetes ids to catalog entities and their owners for the fleet query. One catalog
 * query per TTL with the plugin's own credentials (catalog reads are open; only names, kinds and
 * owners are read); a stale map is answered at once while it refreshes.
 */
export class EntityOwners {
  private map = new Map<string, EntityOwner>();
  private byRef = new Map<string, EntityOwner>();
  private loadedAt = 0;

  /** When the map was last loaded (for answer caches). */
  get version(): number {
    return this.loadedAt;
  }
  private loading?: Promise<void>;

  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly ttlMs: number,
  ) {}

  /** An entity of the last loaded map by its ref (undefined until loaded or when unknown). */
  byEntity(entityRef: string): EntityOwner | undefined {
    return this.byRef.get(entityRef);
  }

  /** The map, loading it on first use and refreshing it in the background after the TTL. */
  async get(): Promise<Map<string, EntityOwner>> {
    const age = Date.now() - this.loadedAt;
    if (this.loadedAt === 0) await this.refresh();
    else if (age > this.ttlMs) this.refresh().catch(() => {});
    return this.map;
  }

  private refresh(): Promise<void> {
    this.loading ??= (async () => {
      try {
        const { items } = await this.catalog.getEntities(
          {
            filter: {
              [`metadata.annotations.${ANNOTATION_KUBERNETES_ID}`]:
                CATALOG_FILTER_EXISTS,
            },
            fields: [
              'kind',
              'metadata.name',
              'metadata.namespace',
              'metadata.annotations',
              'spec.owner',
            ],
          },
          { credentials: await this.auth.getOwnServiceCredentials() },
        );
        const next = new Map<string, EntityOwner>();
        const refs = new Map<string, EntityOwner>();
        for (const e of items) {
          const id = e.metadata.annotations?.[ANNOTATION_KUBERNETES_ID];
          if (!id || next.has(id)) continue;
          const annotations = e.metadata.annotations ?? {};
          const owner = (e.spec as { owner?: unknown } | undefined)?.owner;
          const entry: EntityOwner = {
            entityRef: stringifyEntityRef(e),
            kubernetesId: id,
            plain:
              !annotations[ANNOTATION_KUBERNETES_LABEL_SELECTOR] &&
              !annotations[ANNOTATION_KUBERNETES_NAMESPACE],
            owner:
              typeof owner === 'string'
                ? stringifyEntityRef(
                    parseEntityRef(owner, {
                      defaultKind: 'group',
                      defaultNamespace: e.metadata.namespace ?? 'default',
                    }),
                  )
                : undefined,
          };
          next.set(id, entry);
          refs.set(entry.entityRef, entry);
        }
        this.map = next;
        this.byRef = refs;
        this.loadedAt = Date.now();
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }
}
