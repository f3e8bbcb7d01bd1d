import type { ClusterInfo } from '@careplane/plugin-clusters-common';
import type { GpuType } from '@careplane/plugin-training-common';
import type { ConfiguredGpuType } from '../../config';

/**
 * The configured GPU types with the clusters offering each: those the type lists, and those
 * whose `gpu` label (comma-separated) names it.
 */
export function gpuTypesWithClusters(
  types: ConfiguredGpuType[],
  clusters: ClusterInfo[],
): GpuType[] {
  return types.map(t => ({
    ...t,
    clusters: clusters
      .filter(
        c =>
          t.clusters.includes(c.name) ||
          (c.gpu ?? c.labels.gpu ?? '')
            .split(',')
            .map(s => s.trim())
            .includes(t.name),
      )
      .map(c => c.name),
  }));
}
