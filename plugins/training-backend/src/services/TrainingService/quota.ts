import {
  clusterQueueQuota,
  QuotaResponse,
  TERMINAL_PHASES,
} from '@careplane/plugin-training-common';
import type { TrainingDeps } from './deps';

/**
 * GPU quota per queue: Kueue ClusterQueues on clusters that have Kueue (GPU resources of the
 * configured types only), `training.teamQuotas` elsewhere (used = GPUs of the team's unfinished
 * runs). ClusterQueues are read from the cache under the plugin's own credentials.
 */
export async function quotaView(deps: TrainingDeps): Promise<QuotaResponse> {
  const credentials = await deps.auth.getOwnServiceCredentials();
  const clusters = await deps.clusters.listClusters({ credentials });
  const gpuResources = new Set(
    deps.config.gpuTypes.flatMap(t => [
      t.resourceName,
      ...t.migProfiles.map(m => m.resourceName),
    ]),
  );
  const kueueClusters = clusters
    .filter(
      c =>
        c.kinds?.find(k => k.kind === 'ClusterQueue')?.status === 'installed',
    )
    .map(c => c.name);
  const items: QuotaResponse['items'] = [];
  const unavailable: QuotaResponse['unavailable'] = [];
  if (kueueClusters.length) {
    const answer = await deps.clusters.getObjects(
      {
        selector: { labelSelector: '' },
        kinds: ['ClusterQueue'],
        clusters: kueueClusters,
      },
      { credentials },
    );
    for (const c of answer.clusters) {
      if (c.status !== 'ok' && c.status !== 'stale') {
        unavailable.push({
          cluster: c.cluster,
          error: c.error?.message ?? c.status,
        });
        continue;
      }
      for (const cq of c.items) {
        for (const line of clusterQueueQuota(cq.object)) {
          if (!gpuResources.has(line.resource)) continue;
          items.push({
            cluster: c.cluster,
            source: 'kueue',
            queue: cq.name,
            flavor: line.flavor,
            resource: line.resource,
            nominal: line.nominal,
            used: line.used,
            pendingWorkloads: cq.object.status?.pendingWorkloads ?? 0,
          });
        }
      }
    }
  }
  if (deps.config.teamQuotas.length) {
    const unfinished = await deps.store.listUnfinished();
    for (const q of deps.config.teamQuotas) {
      if (kueueClusters.includes(q.cluster)) continue;
      const type = deps.config.gpuTypes.find(t => t.name === q.gpuType);
      items.push({
        cluster: q.cluster,
        source: 'config',
        queue: q.team,
        resource: type?.resourceName ?? 'nvidia.com/gpu',
        nominal: q.gpus,
        used: unfinished
          .filter(
            r =>
              r.team === q.team &&
              r.cluster === q.cluster &&
              r.parameters.gpuType === q.gpuType &&
              !TERMINAL_PHASES.includes(r.state.phase),
          )
          .reduce((n, r) => n + r.totalGpus, 0),
      });
    }
  }
  return { items, unavailable };
}
