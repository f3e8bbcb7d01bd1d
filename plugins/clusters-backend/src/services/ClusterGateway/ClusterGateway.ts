import type {
  AuditorService,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ApplyRequest,
  AuditAction,
  ClusterInfo,
  clustersClusterReadPermission,
  ClustersStreamEvent,
  clustersResourceReadPermission,
  CreateNamespaceRequest,
  CreateNamespaceResult,
  DeleteRequest,
  EntityWorkloadsResponse,
  MetricsQueryRequest,
  MetricsQueryResponse,
  ObjectSelector,
  ObjectsQuery,
  ObjectsResponse,
  PatchRequest,
  PodLogsRequest,
  WatchRequest,
  WriteResult,
} from '@careplane/plugin-clusters-common';
import type {
  ClustersCallOptions,
  ClustersService,
  ClustersSubscription,
} from '@careplane/plugin-clusters-node';
import {
  Authorize,
  createAuthorize,
  isServiceCall,
} from '../../actions/authorize';
import type { AuditStore } from '../../database/AuditStore';
import type { ClusterProbe } from '../ClusterProbe/ClusterProbe';
import type { ClusterRegistry } from '../ClusterRegistry/ClusterRegistry';
import type { InformerCache } from '../InformerCache/InformerCache';
import type { MetricsQueries } from '../Metrics/MetricsQueries';
import { planWatch, watchObjects } from '../StreamHub/watchObjects';
import { watchSelector } from '../StreamHub/watchSelector';
import type { EntityScope, WriteScope } from '../WriteScope/WriteScope';
import { canonicalRef, EntitySelectors } from './EntitySelectors';
import type { PodLogAnswer } from './podLogRead';
import { ReadModel } from './ReadModel';
import { WritePath } from './WritePath';
import type { WriteCallOptions } from './WriteSession';

export { actorOf, hashOf } from './auditedWrite';

/**
 * Per-call context of the gateway: the caller's credentials and, for HTTP calls, the request
 * (for the auditor).
 * @internal
 */
export type GatewayCallOptions = WriteCallOptions;

/**
 * The cluster gateway, one per backend process (the clusters plugin's): a facade over its roles,
 * as `ClustersService` describes it to feature backends.
 * - {@link ReadModel}: clusters and objects from the informer cache;
 * - {@link EntitySelectors}: an entity's selector and write scope, in a bounded cache;
 * - {@link WritePath}: permission-checked, scope-held writes, one audit session each.
 * The `ClustersService` methods check the same permissions as the HTTP routes that serve them;
 * the other methods are the router's, which checks (and audits reads) itself.
 * @internal
 */
export class ClusterGateway implements ClustersService {
  readonly read: ReadModel;
  readonly selectors: EntitySelectors;
  private readonly writes: WritePath;
  private readonly authorize: Authorize;

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
      /** PromQL per cluster; without it `queryMetrics` answers that metrics are not set up. */
      metrics?: MetricsQueries;
    },
  ) {
    this.read = new ReadModel(deps);
    this.selectors = new EntitySelectors(deps);
    this.authorize = createAuthorize(deps.permissions);
    this.writes = new WritePath({
      ...deps,
      kinds: deps.cache.kinds,
      scope: deps.writeScope,
      scopeFor: (ref, credentials) => this.scopeFor(ref, credentials),
    });
  }

  get kinds() {
    return this.deps.cache.kinds;
  }

  // --- ClustersService ------------------------------------------------------------------------

  async listClusters(options: ClustersCallOptions): Promise<ClusterInfo[]> {
    await this.authorize(options.credentials, clustersClusterReadPermission);
    return this.read.listClusters();
  }

  async getEntityObjects(
    request: { entityRef: string; kinds: string[]; clusters?: string[] },
    options: ClustersCallOptions,
  ): Promise<ObjectsResponse> {
    const entityRef = canonicalRef(request.entityRef);
    await this.authorize(
      options.credentials,
      clustersResourceReadPermission,
      entityRef,
    );
    const selector = await this.selectorFor(entityRef, options.credentials);
    return this.read.query(selector, request.kinds, request.clusters);
  }

  async getObjects(
    query: ObjectsQuery,
    options: ClustersCallOptions,
  ): Promise<ObjectsResponse> {
    // as on POST /v1/objects/query: users go through entities, which the policy reasons about
    if (!isServiceCall(options.credentials)) {
      throw new NotAllowedError(
        'Raw selector queries are for backend callers only',
      );
    }
    return this.read.query(query.selector, query.kinds, query.clusters);
  }

  subscribe(
    request: WatchRequest,
    listener: (event: ClustersStreamEvent) => void,
    options: ClustersCallOptions,
  ): ClustersSubscription {
    let unsubscribe: (() => void) | undefined;
    let stopped = false;
    const ready = (async () => {
      if (!request.entityRef && !request.selector) {
        throw new InputError('A watch needs an entityRef or a selector');
      }
      await this.authorize(options.credentials, clustersClusterReadPermission);
      const selector = await watchSelector(request, options.credentials, {
        gateway: this,
        authorize: this.authorize,
      });
      if (stopped) return;
      const plan = planWatch(
        this.read,
        selector,
        request.kinds,
        request.clusters,
      );
      unsubscribe = watchObjects(this.deps.cache, plan, 'w1', listener);
    })();
    // callers that ignore `ready` must not see an unhandled rejection; the log keeps the reason
    ready.catch(e =>
      this.deps.logger.warn('Subscription did not start', {
        error: String(e),
      }),
    );
    return {
      ready,
      unsubscribe: () => {
        stopped = true;
        unsubscribe?.();
        unsubscribe = undefined;
      },
    };
  }

  apply(
    request: ApplyRequest,
    options: GatewayCallOptions,
  ): Promise<WriteResult> {
    return this.writes.apply(request, options);
  }

  patch(
    request: PatchRequest,
    options: GatewayCallOptions,
  ): Promise<WriteResult> {
    return this.writes.patch(request, options);
  }

  delete(
    request: DeleteRequest,
    options: GatewayCallOptions,
  ): Promise<WriteResult> {
    return this.writes.delete(request, options);
  }

  createNamespace(
    request: CreateNamespaceRequest,
    options: GatewayCallOptions,
  ): Promise<CreateNamespaceResult> {
    return this.writes.createNamespace(request, options);
  }

  async getPodLogs(
    request: Omit<PodLogsRequest, 'follow'>,
    options: GatewayCallOptions,
  ): Promise<string> {
    const { text } = await this.writes.podLogs(
      { ...request, follow: false },
      options,
    );
    return text ?? '';
  }

  async queryMetrics(
    request: MetricsQueryRequest,
    options: ClustersCallOptions,
  ): Promise<MetricsQueryResponse> {
    await this.authorize(options.credentials, clustersClusterReadPermission);
    if (!this.deps.metrics) {
      throw new InputError('Metrics queries are not set up on this backend');
    }
    return this.deps.metrics.query(request);
  }

  // --- for the router (which checks permissions and audits reads itself) -----------------------

  /** Records a write refused before it could be read (malformed body); see WriteSessions. */
  recordRefusal(
    action: AuditAction,
    body: unknown,
    error: Error,
    options: GatewayCallOptions,
  ) {
    return this.writes.recordRefusal(action, body, error, options);
  }

  /** The entity's selector from its annotations (cached briefly). */
  selectorFor(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<ObjectSelector> {
    return this.selectors.selectorFor(entityRef, credentials);
  }

  /** The entity's selector and write scope from its annotations (cached briefly). */
  scopeFor(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<EntityScope> {
    return this.selectors.scopeFor(entityRef, credentials);
  }

  /** Objects of kinds matching a selector, one result per cluster (no permission check). */
  query(
    selector: ObjectSelector,
    kindNames: string[],
    clusters?: string[],
  ): Promise<ObjectsResponse> {
    return this.read.query(selector, kindNames, clusters);
  }

  /** An entity's workloads per cluster (the caller has checked the read permission). */
  async entityWorkloads(
    entityRef: string,
    options: GatewayCallOptions & { clusters?: string[] },
  ): Promise<EntityWorkloadsResponse> {
    const selector = await this.selectorFor(entityRef, options.credentials);
    const clusters = await this.read.workloads(selector, options.clusters);
    return { entityRef: canonicalRef(entityRef), selector, clusters };
  }

  /** Pod logs as text, or as a stream when following (see readPodLogs). */
  podLogs(
    request: PodLogsRequest,
    options: GatewayCallOptions & { signal?: AbortSignal },
  ): Promise<PodLogAnswer> {
    return this.writes.podLogs(request, options);
  }
}
