import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type {
  ClusterDefinition,
  ClusterSupplier,
} from '@careplane/plugin-clusters-node';
import type { ClustersOptions } from '../../config';
import { KubeClient, KubeClientOptions } from '../KubeClient/KubeClient';
import { pinnedLookup, resolveSafeClusterUrl } from './ssrfGuard';

/**
 * A known cluster: its definition (with secrets; never serialised), where it came from, and
 * its client.
 * @internal
 */
export interface RegisteredCluster {
  definition: ClusterDefinition;
  source: string;
  client: KubeClient;
}

/**
 * The clusters of this backend: from config (trusted, written by the operator) and from
 * suppliers (checked by the SSRF guard). Names are unique across all sources.
 * @internal
 */
export class ClusterRegistry {
  private readonly clusters = new Map<string, RegisteredCluster>();
  readonly clients = new Map<string, KubeClient>();

  static async create(options: {
    configured: ClusterDefinition[];
    suppliers: ClusterSupplier[];
    clustersOptions: ClustersOptions;
    logger: LoggerService;
    clientOptions?: Partial<KubeClientOptions>;
  }): Promise<ClusterRegistry> {
    const registry = new ClusterRegistry();
    const { clustersOptions, logger } = options;
    const clientOptions: KubeClientOptions = {
      retry: clustersOptions.retry,
      circuitBreaker: clustersOptions.circuitBreaker,
      logger,
      ...options.clientOptions,
    };
    for (const definition of options.configured) {
      registry.add(definition, 'config', clientOptions);
    }
    for (const supplier of options.suppliers) {
      let supplied: ClusterDefinition[];
      try {
        supplied = await supplier.getClusters();
      } catch (e) {
        logger.error('Cluster supplier failed; its clusters are skipped', {
          supplier: supplier.id,
          error: String(e),
        });
        continue;
      }
      for (const definition of supplied) {
        try {
          if (!definition.url)
            throw new InputError(`Supplied cluster has no url`);
          if (
            definition.skipTLSVerify &&
            clustersOptions.production &&
            !clustersOptions.allowInsecure
          ) {
            throw new InputError('skipTLSVerify is refused in production');
          }
          // resolved once; the client connects to exactly the addresses checked (no rebinding)
          const checked = await resolveSafeClusterUrl(definition.url, {
            ...clustersOptions.ssrf,
            allowInsecure: clustersOptions.allowInsecure,
          });
          registry.add(definition, supplier.id, {
            ...clientOptions,
            lookup: pinnedLookup(checked),
          });
        } catch (e) {
          logger.error('Refused a supplied cluster', {
            supplier: supplier.id,
            cluster: definition.name,
            error: (e as Error).message,
          });
        }
      }
    }
    return registry;
  }

  private add(
    definition: ClusterDefinition,
    source: string,
    clientOptions: KubeClientOptions,
  ) {
    if (this.clusters.has(definition.name)) {
      throw new InputError(
        `Cluster '${definition.name}' from ${source} is already defined by ${
          this.clusters.get(definition.name)!.source
        }`,
      );
    }
    const client = KubeClient.create(definition, clientOptions);
    this.clusters.set(definition.name, { definition, source, client });
    this.clients.set(definition.name, client);
  }

  list(): RegisteredCluster[] {
    return [...this.clusters.values()];
  }

  names(): string[] {
    return [...this.clusters.keys()];
  }

  get(name: string): RegisteredCluster {
    const cluster = this.clusters.get(name);
    if (!cluster) throw new InputError(`Unknown cluster '${name}'`);
    return cluster;
  }

  async close() {
    await Promise.all(this.list().map(c => c.client.close()));
  }
}
