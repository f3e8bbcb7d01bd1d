import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  clustersPermissions,
  KindDescriptor,
  workloadKinds,
} from '@careplane/plugin-clusters-common';
import {
  ClusterSupplier,
  clustersKindsExtensionPoint,
  clustersSupplierExtensionPoint,
} from '@careplane/plugin-clusters-node';
import { registerActions } from './actions';
import { readClustersConfig } from './config';
import { DatabaseAuditStore } from './database/DatabaseAuditStore';
import { createRouter } from './router';
import { ClusterGateway } from './services/ClusterGateway/ClusterGateway';
import { ClusterProbe } from './services/ClusterProbe/ClusterProbe';
import { ClusterRegistry } from './services/ClusterRegistry/ClusterRegistry';
import { InformerCache } from './services/InformerCache/InformerCache';
import { KindRegistry } from './services/InformerCache/KindRegistry';
import { MetricsQueries } from './services/Metrics/MetricsQueries';
import { registerMetrics } from './services/metrics';
import { StreamHub } from './services/StreamHub/StreamHub';
import { WriteScope } from './services/WriteScope/WriteScope';

/**
 * The shared cluster plugin (`/api/clusters`): cluster registry, informer cache, audited writes,
 * REST + SSE.
 * @public
 */
export const clustersPlugin = createBackendPlugin({
  pluginId: 'clusters',
  register(env) {
    const suppliers: ClusterSupplier[] = [];
    const extraKinds: KindDescriptor[] = [];
    env.registerExtensionPoint(clustersSupplierExtensionPoint, {
      addClusterSupplier(supplier) {
        if (suppliers.some(s => s.id === supplier.id)) {
          throw new Error(
            `Cluster supplier '${supplier.id}' is already registered`,
          );
        }
        suppliers.push(supplier);
      },
    });
    env.registerExtensionPoint(clustersKindsExtensionPoint, {
      addKinds(kinds) {
        extraKinds.push(...kinds);
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        database: coreServices.database,
        lifecycle: coreServices.lifecycle,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init(deps) {
        const { config, logger, lifecycle } = deps;
        const { locations, metrics, options } = readClustersConfig(config);
        deps.permissionsRegistry.addPermissions(clustersPermissions);

        const registry = await ClusterRegistry.create({
          configured: locations,
          suppliers,
          clustersOptions: options,
          logger,
        });
        const kinds = new KindRegistry();
        kinds.register(extraKinds);
        const cache = new InformerCache(registry.clients, kinds, {
          logger,
          idleTimeoutMs: options.cache.idleTimeoutMs,
          crdRecheckIntervalMs: options.cache.crdRecheckIntervalMs,
          informer: { watchList: options.cache.watchList },
        });
        const auditStore = await DatabaseAuditStore.create({
          database: deps.database,
        });
        const probe = new ClusterProbe({
          registry,
          cache,
          logger,
          scheduler: deps.scheduler,
          intervalMs: options.probe.intervalMs,
        });
        const metricsQueries = MetricsQueries.create({
          clusterNames: () => registry.names(),
          sources: metrics,
          circuitBreaker: options.circuitBreaker,
          logger,
        });
        const gateway = new ClusterGateway({
          registry,
          cache,
          catalog: deps.catalog,
          permissions: deps.permissions,
          auditor: deps.auditor,
          auditStore,
          logger,
          entityTtlMs: options.cache.entityTtlMs,
          probe,
          writeScope: new WriteScope(options.writeScope),
          rateLimit: options.rateLimit,
          metrics: metricsQueries,
        });
        const hub = new StreamHub({
          cache,
          known: gateway.read,
          logger,
          heartbeatMs: options.stream.heartbeatMs,
        });
        registerMetrics(gateway.read);
        registerActions({
          actionsRegistry: deps.actionsRegistry,
          gateway,
          permissions: deps.permissions,
        });
        logger.info('Clusters registered', {
          clusters: registry.names().join(','),
        });

        // version, optional kinds and health of every cluster: now, then every probe.interval;
        // both are local scheduler tasks (in init, so a test scheduler runs them at startup)
        await probe.start();
        await cache.scheduleSweep(deps.scheduler);
        if (options.cache.warmOnStart) {
          // nobody waits for a cold cache: the entity pages' kinds sync from the start
          lifecycle.addStartupHook(() => {
            cache.warm([...workloadKinds]).then(
              ({ started, ms }) =>
                logger.info(`Started ${started} informers in ${ms} ms`),
              e =>
                logger.error('Starting informers failed', { error: String(e) }),
            );
          });
        }
        lifecycle.addShutdownHook(async () => {
          await probe.stop();
          hub.closeAll();
          cache.close();
          await registry.close();
        });

        deps.httpRouter.use(
          await createRouter({
            gateway,
            hub,
            auditStore,
            metrics: metricsQueries,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            auditor: deps.auditor,
            logger,
          }),
        );
      },
    });
  },
});
