/*
 * The clusters plugin and the rollouts plugin on a running simulator with the demo scenario, the
 * demo's rollout entities (catalog/components.yaml: owned by telehealth-video, Jordan's team) and
 * a policy like Careplane's.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { RunningSimulator } from '@careplane/cluster-simulator';
import clustersPlugin from '@careplane/plugin-clusters-backend';
import { dirname, join } from 'node:path';
import { clustersModuleRolloutsKinds } from '../module';
import { rolloutsPlugin } from '../plugin';
import { JORDAN, PRIYA } from './world';

export const DEMO_SCENARIO = join(
  dirname(require.resolve('@careplane/cluster-simulator/package.json')),
  'scenarios/demo.yaml',
);

const SLO: Record<string, string> = {
  'video-consultation': 'availability=99.95,latency-p99=300ms',
  'session-service': 'availability=99.9',
  'triage-assistant': 'availability=99.5',
};

const demoEntities = Object.entries(SLO).map(([name, slo]) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': name,
      'careplane.io/slo': slo,
    },
  },
  spec: {
    type: 'service',
    owner: 'group:default/telehealth-video',
    lifecycle: 'production',
  },
}));

/** Reads open; entity permissions for Jordan (telehealth-video owns every entity here) and admins. */
const demoPolicy = mockServices.permissions.mock({
  async authorize(requests, options) {
    const user = (options.credentials.principal as { userEntityRef?: string })
      .userEntityRef;
    return requests.map(r => {
      const p = r.permission;
      let allow = user === PRIYA;
      if (
        p.attributes.action === 'read' &&
        !['clusters.pod.logs', 'clusters.audit.read'].includes(p.name)
      ) {
        allow = true;
      } else if ('resourceType' in p && p.resourceType === 'catalog-entity') {
        allow ||= user === JORDAN;
      }
      return { result: allow ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    });
  },
});

export const as = (user: string) => ({
  Authorization: mockCredentials.user.header(user),
});

/** Both plugins, every simulated cluster with its metrics source. */
export function startDemoBackend(sim: RunningSimulator) {
  return startTestBackend({
    features: [
      clustersPlugin,
      rolloutsPlugin,
      clustersModuleRolloutsKinds,
      demoPolicy.factory,
      catalogServiceMock.factory({ entities: demoEntities }),
      mockServices.rootConfig.factory({
        data: {
          clusters: {
            locations: sim.clusters.map(c => ({
              name: c.name,
              url: c.url,
              auth: { type: 'serviceAccountToken', token: c.token },
              metrics: { url: sim.controlUrl, clusterLabel: 'cluster' },
            })),
            timeouts: { request: '5s', firstSync: '10s' },
            retry: { maxRetries: 2, baseDelay: '1ms', maxDelay: '10s' },
          },
        },
      }),
    ],
  });
}
