/* Benchmark helper (not a test): the upstream Kubernetes backend
 * (`@backstage/plugin-kubernetes-backend`, a dev dependency of this package for the benchmark
 * only) in its own process, configured against the same simulator clusters, so its heap is
 * measured apart from Careplane's. The parent sends the clusters and the entity; this process
 * starts the backend and answers with its port, then with its heap after GC on request. */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import type { Entity } from '@backstage/catalog-model';

type Cluster = { name: string; url: string; token: string };

export async function runUpstreamWorker(): Promise<void> {
  process.on('message', (msg: any) => {
    if (msg.type === 'start') {
      void start(msg.clusters, msg.entity).then(
        port => process.send!({ type: 'started', id: msg.id, port }),
        e => process.send!({ type: 'started', id: msg.id, error: String(e) }),
      );
    } else if (msg.type === 'memory') {
      (globalThis as { gc?: () => void }).gc?.();
      const { heapUsed, rss } = process.memoryUsage();
      process.send!({ type: 'memory', id: msg.id, heapUsed, rss });
    } else if (msg.type === 'stop') {
      process.exit(0);
    }
  });
  process.send!({ type: 'ready' });
}

async function start(clusters: Cluster[], entity: Entity): Promise<number> {
  const backend = await startTestBackend({
    features: [
      kubernetesPlugin,
      catalogServiceMock.factory({ entities: [entity] }),
      mockServices.rootConfig.factory({
        data: {
          kubernetes: {
            serviceLocatorMethod: { type: 'multiTenant' },
            clusterLocatorMethods: [
              {
                type: 'config',
                clusters: clusters.map(c => ({
                  name: c.name,
                  url: c.url,
                  authProvider: 'serviceAccount',
                  serviceAccountToken: c.token,
                  skipTLSVerify: true,
                  // the simulator serves no metrics.k8s.io; Careplane reads no pod metrics either
                  skipMetricsLookup: true,
                })),
              },
            ],
          },
        },
      }),
    ],
  });
  return (backend.server.address() as { port: number }).port;
}
