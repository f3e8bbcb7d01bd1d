import { metrics } from '@opentelemetry/api';
import type { ReadModel } from './ClusterGateway/ReadModel';

/**
 * Publishes per-cluster cache size, memory and API-server traffic as OpenTelemetry observables
 * (no-ops unless the backend installs a meter provider).
 * @internal
 */
export function registerMetrics(gateway: ReadModel) {
  const meter = metrics.getMeter('careplane-clusters');
  const objects = meter.createObservableGauge(
    'careplane_clusters_cache_objects',
    {
      description: 'Objects held in the informer cache, per cluster',
    },
  );
  const bytes = meter.createObservableGauge('careplane_clusters_cache_bytes', {
    description: 'Approximate size of the informer cache, per cluster',
    unit: 'By',
  });
  const informers = meter.createObservableGauge(
    'careplane_clusters_informers',
    {
      description: 'Running informers, per cluster',
    },
  );
  const requests = meter.createObservableCounter(
    'careplane_clusters_api_requests',
    {
      description: 'API-server requests, per cluster and verb',
    },
  );
  meter.addBatchObservableCallback(
    result => {
      for (const c of gateway.listClusters()) {
        result.observe(objects, c.stats.objects, { cluster: c.name });
        result.observe(bytes, c.stats.approxBytes, { cluster: c.name });
        result.observe(informers, c.stats.informers, { cluster: c.name });
        for (const [verb, n] of Object.entries(c.stats.requests)) {
          result.observe(requests, n, { cluster: c.name, verb });
        }
      }
    },
    [objects, bytes, informers, requests],
  );
}
