/*
 * The demo world for the whole-plugin test: the simulator's demo scenario, the demo catalog, the
 * clusters plugin (the hub) and the compliance plugin in one test backend. Copied in miniature
 * from clusters-backend's demoWorld harness (its test utilities are not exported).
 */
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { RunningSimulator } from '@careplane/cluster-simulator';
import clustersPlugin from '@careplane/plugin-clusters-backend';
import { dirname, join } from 'node:path';
import { clustersModuleComplianceKinds } from '../module';
import { compliancePlugin } from '../plugin';

export const DEMO_SCENARIO = join(
  dirname(require.resolve('@careplane/cluster-simulator/package.json')),
  'scenarios/demo.yaml',
);

const component = (
  name: string,
  owner: string,
  annotations: Record<string, string>,
) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': name, ...annotations },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner,
    system: 'telehealth',
  },
});

/** Two services of catalog/components.yaml as they are there (no YAML parser is a dependency here). */
export const entities = [
  component('video-consultation', 'telehealth-video', {
    'careplane.io/data-classification': 'phi',
  }),
  component('e-prescribing', 'clinical-records', {
    'careplane.io/data-classification': 'phi',
  }),
];

/** Both plugins on the demo catalog against every cluster of a running simulator. */
export async function startComplianceDemo(sim: RunningSimulator) {
  const scheduler = mockServices.scheduler.mock();
  const send = jest.fn();
  const backend = await startTestBackend({
    features: [
      clustersPlugin,
      clustersModuleComplianceKinds,
      compliancePlugin,
      scheduler.factory,
      mockServices.permissions.mock({
        async authorize(requests) {
          return requests.map(() => ({ result: AuthorizeResult.ALLOW })) as any;
        },
      }).factory,
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({ send }),
      }),
      createServiceFactory({
        service: actionsRegistryServiceRef,
        deps: {},
        factory: () => actionsRegistryServiceMock(),
      }),
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({
        data: {
          compliance: {
            checks: {
              allowedRegistries: ['registry.northwind-health.example'],
            },
          },
          clusters: {
            locations: sim.clusters.map(c => ({
              name: c.name,
              url: c.url,
              auth: { type: 'serviceAccountToken', token: c.token },
            })),
            timeouts: { request: '5s', firstSync: '10s' },
            retry: { maxRetries: 2, baseDelay: '1ms', maxDelay: '10s' },
          },
        },
      }),
    ],
  });
  const tasks = new Map(
    scheduler.scheduleTask.mock.calls.map(([t]) => [t.id, t]),
  );
  const run = (id: string) => tasks.get(id)!.fn(new AbortController().signal);
  return { backend, run, send };
}
