import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { KindDescriptor } from '@careplane/plugin-clusters-common';
import type { ClusterSupplier } from './types';

/**
 * Lets modules of the clusters plugin add cluster suppliers. Several suppliers compose; a
 * cluster name supplied twice is an error at start.
 * @public
 */
export interface ClustersSupplierExtensionPoint {
  addClusterSupplier(supplier: ClusterSupplier): void;
}

/**
 * Extension point for {@link ClustersSupplierExtensionPoint}.
 * @public
 */
export const clustersSupplierExtensionPoint =
  createExtensionPoint<ClustersSupplierExtensionPoint>({
    id: 'clusters.supplier',
  });

/**
 * Lets modules of the clusters plugin make custom kinds known at start.
 * @public
 */
export interface ClustersKindsExtensionPoint {
  addKinds(kinds: KindDescriptor[]): void;
}

/**
 * Extension point for {@link ClustersKindsExtensionPoint}.
 * @public
 */
export const clustersKindsExtensionPoint =
  createExtensionPoint<ClustersKindsExtensionPoint>({
    id: 'clusters.kinds',
  });
