import type { Entity } from '@backstage/catalog-model';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { ClusterInfo } from '@careplane/plugin-clusters-common';
import type { TelehealthConfig } from '../config';

export const testConfig = (
  overrides: Partial<TelehealthConfig> = {},
): TelehealthConfig => ({
  mesh: 'linkerd',
  gatewayNamespace: 'ingress-gateway',
  meshNamespace: 'linkerd',
  starterImage: `ghcr.io/northwind-health/telehealth-starter@sha256:${'b'.repeat(
    64,
  )}`,
  skipKinds: [],
  publish: { provider: 'local', localDirectory: '/tmp/unused' },
  registerTimeoutMs: 0,
  ...overrides,
});

export const clusterInfo = (name: string, phi: boolean): ClusterInfo => ({
  name,
  source: 'config',
  phi,
  labels: { phi: String(phi) },
  health: { status: 'healthy', circuit: 'closed' },
  stats: {
    informers: 0,
    objects: 0,
    approxBytes: 0,
    requests: {},
    throttled: 0,
  },
});

export const clusterEntity = (name: string, phi: boolean): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name,
    namespace: 'default',
    labels: { 'careplane.io/phi': String(phi) },
  },
  spec: { type: 'kubernetes-cluster', owner: 'platform-admins' },
});

export const serviceEntity = (
  name = 'visit-notes',
  dataClassification = 'phi',
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': name,
      'backstage.io/kubernetes-namespace': name,
      'careplane.io/data-classification': dataClassification,
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'experimental',
    owner: 'group:default/telehealth-video',
  },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/telehealth-video' }],
});

/** A permissions service answering like the Careplane policy for a member of `groups`. */
export function permissionsFor(groups: string[]) {
  const permissions = mockServices.permissions.mock();
  permissions.authorizeConditional.mockImplementation(
    async requests =>
      requests.map(() => ({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          rule: 'IS_ENTITY_OWNER',
          resourceType: 'catalog-entity',
          params: { claims: ['user:default/jordan.lee', ...groups] },
        },
      })) as any,
  );
  return permissions;
}

/** A checkpoint store like the task's: a key that completed before returns its stored value. */
export function checkpointStore() {
  const state = new Map<string, unknown>();
  return {
    state,
    async checkpoint<T>(opts: {
      key: string;
      fn: () => Promise<T> | T;
    }): Promise<T> {
      if (state.has(opts.key)) return state.get(opts.key) as T;
      const value = await opts.fn();
      state.set(opts.key, value);
      return value;
    },
  };
}
