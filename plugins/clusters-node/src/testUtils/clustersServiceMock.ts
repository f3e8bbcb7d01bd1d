import { createServiceFactory } from '@backstage/backend-plugin-api';
import { createServiceMock, ServiceMock } from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import {
  ClusterInfo,
  ClustersStreamEvent,
  KubeObject,
  matchesLabelSelector,
  MetricsQueryRequest,
  MetricsResultType,
  MetricsSeries,
  ObjectEnvelope,
  ObjectSelector,
  ObjectsResponse,
  parseLabelSelector,
  selectorForEntity,
} from '@careplane/plugin-clusters-common';
import { clustersServiceRef } from '../clustersServiceRef';
import type { ClustersService } from '../types';

/**
 * Seed data of {@link clustersServiceMock}.
 * @public
 */
export interface ClustersServiceMockOptions {
  /** Cluster names (all healthy) or full infos; default one cluster `test-cluster`. */
  clusters?: Array<string | ClusterInfo>;
  /** Objects, tagged with their cluster and kind. */
  objects?: ObjectEnvelope[];
  /** Entities by ref, for `getEntityObjects` (only their annotations are read). */
  entities?: Record<
    string,
    { metadata: { annotations?: Record<string, string> } }
  >;
  /**
   * Series that `queryMetrics` returns, by cluster: a list, or a function of the request (e.g. to
   * answer by query). Clusters without an entry answer `not-configured`.
   */
  metrics?: Record<
    string,
    MetricsSeries[] | ((request: MetricsQueryRequest) => MetricsSeries[])
  >;
}

/**
 * The in-memory service with an `emit` helper to push stream events to subscribers.
 * @public
 */
export type ClustersServiceFake = ClustersService & {
  emit(event: ClustersStreamEvent): void;
};

function toInfo(c: string | ClusterInfo): ClusterInfo {
  if (typeof c !== 'string') return c;
  return {
    name: c,
    source: 'config',
    phi: false,
    labels: {},
    health: { status: 'healthy', circuit: 'closed' },
    stats: {
      informers: 0,
      objects: 0,
      approxBytes: 0,
      requests: {},
      throttled: 0,
    },
  };
}

function fake(options?: ClustersServiceMockOptions): ClustersServiceFake {
  const clusters = (options?.clusters ?? ['test-cluster']).map(toInfo);
  const objects = [...(options?.objects ?? [])];
  const listeners = new Set<(e: ClustersStreamEvent) => void>();

  const query = (
    selector: ObjectSelector,
    kinds: string[],
    only?: string[],
  ): ObjectsResponse => {
    const requirements = parseLabelSelector(selector.labelSelector);
    return {
      selector,
      clusters: clusters
        .filter(c => !only || only.includes(c.name))
        .map(c => ({
          cluster: c.name,
          status: 'ok' as const,
          kinds: kinds.map(kind => ({ kind, status: 'ok' as const })),
          items: objects.filter(
            o =>
              o.cluster === c.name &&
              kinds.includes(o.kind) &&
              (!selector.namespace || o.namespace === selector.namespace) &&
              matchesLabelSelector(requirements, o.object.metadata.labels),
          ),
        })),
    };
  };

  const written = (
    r: {
      cluster: string;
      kind: string;
      namespace?: string;
      name: string;
      dryRun?: boolean;
    },
    object?: KubeObject,
  ) => ({
    cluster: r.cluster,
    kind: r.kind,
    namespace: r.namespace,
    name: r.name,
    dryRun: Boolean(r.dryRun),
    auditId: 'mock-audit-id',
    object: object && {
      cluster: r.cluster,
      kind: r.kind,
      namespace: r.namespace,
      name: r.name,
      object,
    },
  });

  return {
    async listClusters() {
      return clusters;
    },
    async getObjects(q) {
      return query(q.selector, q.kinds, q.clusters);
    },
    async getEntityObjects(r) {
      const entity = options?.entities?.[r.entityRef];
      const selector = entity && selectorForEntity(entity);
      if (!selector) {
        throw new NotFoundError(
          `No Kubernetes selector for entity ${r.entityRef}`,
        );
      }
      return query(selector, r.kinds, r.clusters);
    },
    subscribe(_request, listener) {
      listeners.add(listener);
      return {
        ready: Promise.resolve(),
        unsubscribe: () => listeners.delete(listener),
      };
    },
    async apply(r) {
      const m = r.manifest;
      return written(
        {
          ...r,
          kind: m.kind ?? 'Unknown',
          namespace: m.metadata.namespace,
          name: m.metadata.name,
        },
        m,
      );
    },
    async patch(r) {
      return written(r);
    },
    async createNamespace(r) {
      return {
        ...written({
          ...r,
          kind: 'Namespace',
          name: r.entityRef.split('/').pop() ?? r.entityRef,
        }),
        policies: (r.policies ?? []).map(p => ({
          kind: p.kind ?? 'Unknown',
          name: p.metadata.name,
        })),
      };
    },
    async delete(r) {
      return written(r);
    },
    async getPodLogs() {
      return '';
    },
    async queryMetrics(r) {
      const resultType: MetricsResultType = r.range ? 'matrix' : 'vector';
      return {
        clusters: clusters
          .filter(c => !r.clusters || r.clusters.includes(c.name))
          .map(c => {
            const series = options?.metrics?.[c.name];
            if (!series) {
              return {
                cluster: c.name,
                status: 'not-configured' as const,
                resultType,
                result: [],
              };
            }
            return {
              cluster: c.name,
              status: 'ok' as const,
              resultType,
              result: typeof series === 'function' ? series(r) : series,
            };
          }),
      };
    },
    emit(event) {
      listeners.forEach(l => l(event));
    },
  };
}

const createMock = createServiceMock(clustersServiceRef, () => ({
  listClusters: jest.fn(),
  getObjects: jest.fn(),
  getEntityObjects: jest.fn(),
  subscribe: jest.fn(),
  apply: jest.fn(),
  patch: jest.fn(),
  createNamespace: jest.fn(),
  delete: jest.fn(),
  getPodLogs: jest.fn(),
  queryMetrics: jest.fn(),
}));

/**
 * An in-memory {@link ClustersService} for other plugins' tests, like `catalogServiceMock`.
 * @public
 */
export function clustersServiceMock(
  options?: ClustersServiceMockOptions,
): ClustersServiceFake {
  return fake(options);
}

/**
 * Factories and jest mocks of the clusters service.
 * @public
 */
export namespace clustersServiceMock {
  /** A service factory with the in-memory fake, for `startTestBackend({ features })`. */
  export const factory = (options?: ClustersServiceMockOptions) =>
    createServiceFactory({
      service: clustersServiceRef,
      deps: {},
      factory: () => fake(options),
    });

  /** A service whose methods are `jest.fn()`, optionally with some implemented. */
  export const mock = (
    partialImpl?: Partial<ClustersService>,
  ): ServiceMock<ClustersService> => createMock(partialImpl);
}
