import type {
  AuditorService,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef, parseEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError, serializeError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ApplyRequest,
  AuditAction,
  ClusterInfo,
  ClusterObjectsResult,
  ClusterWorkloads,
  CreateNamespaceRequest,
  DeleteRequest,
  EntityWorkloadsResponse,
  ObjectEnvelope,
  ObjectSelector,
  ObjectsResponse,
  parseLabelSelector,
  PatchRequest,
  PodLogsRequest,
  summarizePod,
  summarizeReplicas,
  workloadKinds,
} from '@careplane/plugin-clusters-common';
import type { Request } from 'express';
import type { AuditStore } from '../../database/AuditStore';
import type { ClusterRegistry } from '../ClusterRegistry/ClusterRegistry';
import type { ClusterProbe } from '../ClusterProbe/ClusterProbe';
import type { InformerCache } from '../InformerCache/InformerCache';
import { markImmutable } from '../serialize';
import {
  EntityScope,
  entityScopeOf,
  WriteScope,
} from '../WriteScope/WriteScope';
import { WritePath } from './WritePath';
import { aggregate } from './freshness';

export { actorOf, hashOf } from './auditedWrite';

/** Entities whose scope is cached at most (the cache is cleared when full). */
const MAX_CACHED_ENTITIES = 5000;

/**
 * Workload items decorated with their summary, once per cached envelope (envelopes are
 * immutable): the hot path neither re-summarises nor re-serialises unchanged objects.
 */
const decorated = new WeakMap<ObjectEnvelope, object>();
function decorate<T extends object>(
  envelope: ObjectEnvelope,
  extra: () => T,
): ObjectEnvelope & T {
  let item = decorated.get(envelope);
  if (!item) {
    item = markImmutable({ ...envelope, ...extra() });
    decorated.set(envelope, item);
  }
  return item as ObjectEnvelope & T;
}

/**
 * Per-call context of the gateway.
 * @internal
 */
export interface GatewayCallOptions {
  credentials: BackstageCredentials;
  /** The HTTP request, when there is one, for the auditor. */
  request?: Request;
}

/**
 * The cluster gateway: reads from the informer cache, permission-checked and audited writes.
 * One instance per backend process (the clusters plugin's).
 * @internal
 */
export class ClusterGateway {
  private readonly scopeCache = new Map<
    string,
    { scope: EntityScope; at: number }
  >();
  private readonly writes: WritePath;

  constructor(
    private readonly deps: {
      registry: ClusterRegistry;
      cache: InformerCache;
      catalog: CatalogService;
      permissions: PermissionsService;
      auditor: AuditorService;
      auditStore: AuditStore;
      logger: LoggerService;
      entityTtlMs: number;
      /** The periodic probe (version, optional kinds); without it those fields are absent. */
      probe?: ClusterProbe;
      writeScope: WriteScope;
      rateLimit: { write: number; logs: number };
    },
  ) {
    this.writes = new WritePath({
      ...deps,
      kinds: deps.cache.kinds,
      scope: deps.writeScope,
      scopeFor: (ref, credentials) => this.scopeFor(ref, credentials),
    });
  }

  /** Records a write refused before it could be read (malformed body); see WritePath. */
  recordRefusal(
    action: AuditAction,
    body: unknown,
    error: Error,
    options: GatewayCallOptions,
  ) {
    return this.writes.recordRefusal(action, body, error, options);
  }

  get kinds() {
    return this.deps.cache.kinds;
  }

  listClusters(): ClusterInfo[] {
    return this.deps.registry.list().map(({ definition, source, client }) => {
      const labels = definition.labels ?? {};
      return {
        name: definition.name,
        title: definition.title,
        source,
        environment: labels.environment,
        region: labels.region,
        phi: labels.phi === 'true',
        gpu: labels.gpu,
        labels,
        health: client.health(),
        stats: {
          ...this.deps.cache.stats(definition.name),
          requests: { ...client.requests },
          throttled: client.throttled,
        },
        ...this.deps.probe?.snapshot(definition.name),
      };
    });
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
    let ref: string;
    try {
      ref = stringifyEntityRef(parseEntityRef(entityRef));
    } catch (e) {
      throw new InputError(`Invalid entity ref '${entityRef}'`);
    }
    const cached = this.scopeCache.get(ref);
    if (cached && Date.now() - cached.at < this.deps.entityTtlMs)
      return cached.scope;
    const entity = await this.deps.catalog.getEntityByRef(ref, { credentials });
    if (!entity) throw new NotFoundError(`Entity ${ref} not found`);
    const scope = entityScopeOf(ref, entity);
    if (!scope) {
      throw new InputError(
        `Entity ${ref} has neither a backstage.io/kubernetes-id nor a backstage.io/kubernetes-label-selector annotation`,
      );
    }
    if (this.scopeCache.size >= MAX_CACHED_ENTITIES) this.scopeCache.clear();
    this.scopeCache.set(ref, { scope, at: Date.now() });
    return scope;
  }

  private clusterNames(only?: string[]): string[] {
    if (!only || only.length === 0) return this.deps.registry.names();
    for (const name of only) this.deps.registry.get(name);
    return only;
  }

  /** Objects of kinds matching a selector, one result per cluster; never rejects per cluster. */
  async query(
    selector: ObjectSelector,
    kindNames: string[],
    clusters?: string[],
  ): Promise<ObjectsResponse> {
    const requirements = parseLabelSelector(selector.labelSelector);
    if (kindNames.length === 0)
      throw new InputError('At least one kind is required');
    kindNames.forEach(k => this.kinds.get(k));
    const names = this.clusterNames(clusters);
    const results = await Promise.all(
      names.map(async (cluster): Promise<ClusterObjectsResult> => {
        try {
          const client = this.deps.registry.get(cluster).client;
          const informers = kindNames.map(k => this.deps.cache.get(cluster, k));
          await Promise.all(
            informers.map(i =>
              i.waitForFirstAttempt(client.firstSyncTimeoutMs),
            ),
          );
          const statuses = informers.map(i => i.status());
          const items = informers.flatMap((informer, i) =>
            statuses[i].status === 'ok' || statuses[i].status === 'stale'
              ? informer.select(requirements, selector.namespace)
              : [],
          );
          return { ...aggregate(cluster, statuses), items };
        } catch (e) {
          this.deps.logger.error('Cluster query failed', {
            cluster,
            error: String(e),
          });
          return {
            cluster,
            status: 'unavailable',
            error: serializeError(e as Error),
            kinds: [],
            items: [],
          };
        }
      }),
    );
    return { selector, clusters: results };
  }

  async entityWorkloads(
    entityRef: string,
    options: GatewayCallOptions & { clusters?: string[] },
  ): Promise<EntityWorkloadsResponse> {
    const selector = await this.selectorFor(entityRef, options.credentials);
    const res = await this.query(
      selector,
      [...workloadKinds],
      options.clusters,
    );
    const clusters = res.clusters.map((c): ClusterWorkloads => {
      const { items, ...rest } = c;
      const of = (kind: string) => items.filter(i => i.kind === kind);
      return {
        ...rest,
        deployments: of('Deployment').map(o =>
          decorate(o, () => ({ replicas: summarizeReplicas(o.object) })),
        ),
        statefulSets: of('StatefulSet').map(o =>
          decorate(o, () => ({ replicas: summarizeReplicas(o.object) })),
        ),
        pods: of('Pod').map(o =>
          decorate(o, () => ({ summary: summarizePod(o.object) })),
        ),
        services: of('Service'),
        horizontalPodAutoscalers: of('HorizontalPodAutoscaler'),
        podDisruptionBudgets: of('PodDisruptionBudget'),
        jobs: of('Job'),
      };
    });
    return {
      entityRef: stringifyEntityRef(parseEntityRef(entityRef)),
      selector,
      clusters,
    };
  }

  apply(request: ApplyRequest, options: GatewayCallOptions) {
    return this.writes.apply(request, options);
  }

  patch(request: PatchRequest, options: GatewayCallOptions) {
    return this.writes.patch(request, options);
  }

  delete(request: DeleteRequest, options: GatewayCallOptions) {
    return this.writes.delete(request, options);
  }

  createNamespace(
    request: CreateNamespaceRequest,
    options: GatewayCallOptions,
  ) {
    return this.writes.createNamespace(request, options);
  }

  podLogs(
    request: PodLogsRequest,
    options: GatewayCallOptions & { signal?: AbortSignal },
  ) {
    return this.writes.podLogs(request, options);
  }
}
