import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, serializeError } from '@backstage/errors';
import {
  ClusterInfo,
  ClusterObjectsResult,
  ClusterWorkloads,
  ObjectEnvelope,
  ObjectSelector,
  ObjectsResponse,
  parseLabelSelector,
  summarizePod,
  summarizeReplicas,
  workloadKinds,
} from '@careplane/plugin-clusters-common';
import type { ClusterProbe } from '../ClusterProbe/ClusterProbe';
import type { ClusterRegistry } from '../ClusterRegistry/ClusterRegistry';
import type { InformerCache } from '../InformerCache/InformerCache';
import { markImmutable } from '../serialize';
import { aggregate } from './freshness';

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
 * The read model of the gateway: clusters and the objects a selector selects, answered from the
 * informer cache (never a LIST per call), one result per cluster with its freshness, so a broken
 * cluster never fails the whole answer. No permission checks here: the facade and the router
 * check before they ask.
 * @internal
 */
export class ReadModel {
  constructor(
    private readonly deps: {
      registry: ClusterRegistry;
      cache: InformerCache;
      logger: LoggerService;
      /** The periodic probe (version, optional kinds); without it those fields are absent. */
      probe?: ClusterProbe;
    },
  ) {}

  get kinds() {
    return this.deps.cache.kinds;
  }

  /** The names of the registered clusters. */
  clusterNames(): string[] {
    return this.deps.registry.names();
  }

  /** Clusters with labels, health and cache statistics. */
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

  private clusterNamesOf(only?: string[]): string[] {
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
    const names = this.clusterNamesOf(clusters);
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

  /** The workloads a selector selects, per cluster, with replica and pod summaries. */
  async workloads(
    selector: ObjectSelector,
    clusters?: string[],
  ): Promise<ClusterWorkloads[]> {
    const res = await this.query(selector, [...workloadKinds], clusters);
    return res.clusters.map((c): ClusterWorkloads => {
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
  }
}
