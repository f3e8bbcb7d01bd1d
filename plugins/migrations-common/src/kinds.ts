import type { KindDescriptor } from '@careplane/plugin-clusters-common';

/**
 * Custom kinds the migrations feature reads: CloudNativePG logical-replication `Subscription`s
 * (replication lag of a data stream). Optional: a cluster without the CRD answers
 * `not-installed` for it. Registered with the clusters plugin at start-up by a kinds module.
 * @public
 */
export const migrationsKinds: KindDescriptor[] = [
  {
    kind: 'Subscription',
    group: 'postgresql.cnpg.io',
    version: 'v1',
    plural: 'subscriptions',
    namespaced: true,
    optional: true,
  },
];
