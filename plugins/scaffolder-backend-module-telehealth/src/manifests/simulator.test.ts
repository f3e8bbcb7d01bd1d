import {
  createSimulatorHandlers,
  type Scenario,
} from '@careplane/cluster-simulator';
import {
  builtInKinds,
  KubeObject,
  wellKnownCustomKinds,
} from '@careplane/plugin-clusters-common';
import { setupServer } from 'msw/node';
import { renderManifests } from './render';
import { phiService, settings } from '../__testUtils__/testParams';

// The rendered objects go to the simulated API server exactly as the gateway sends them:
// server-side apply with field manager `careplane`, here with dryRun=All (after creating the
// namespace, as a real API server refuses namespaced dry runs in a missing namespace).
describe('rendered manifests on the simulated cluster', () => {
  const scenario: Scenario = {
    seed: 7,
    startTime: '2026-03-01T09:00:00Z',
    clusters: [{ name: 'cloud-east', addons: ['argo-rollouts'] }],
  };
  const sim = createSimulatorHandlers({ scenario });
  const [cluster] = sim.clusters;
  const server = setupServer(...sim.handlers);
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => {
    server.close();
    sim.simulation.dispose();
  });

  const kinds = [...builtInKinds, ...wellKnownCustomKinds];
  const pathOf = (o: KubeObject) => {
    const k = kinds.find(d => d.kind === o.kind)!;
    const base = k.group
      ? `/apis/${k.group}/${k.version}`
      : `/api/${k.version}`;
    const ns = k.namespaced ? `/namespaces/${o.metadata.namespace}` : '';
    return `${base}${ns}/${k.plural}/${o.metadata.name}`;
  };
  const apply = (o: KubeObject, dryRun: boolean) =>
    fetch(
      `${cluster.url}${pathOf(o)}?fieldManager=careplane${
        dryRun ? '&dryRun=All' : ''
      }`,
      {
        method: 'PATCH',
        headers: {
          authorization: `Bearer ${cluster.token}`,
          'content-type': 'application/apply-patch+yaml',
        },
        body: JSON.stringify(o),
      },
    );
  const served = async (o: KubeObject) => {
    const k = kinds.find(d => d.kind === o.kind)!;
    const res = await fetch(
      `${cluster.url}${
        k.group ? `/apis/${k.group}/${k.version}` : `/api/${k.version}`
      }`,
      { headers: { authorization: `Bearer ${cluster.token}` } },
    );
    const list = (await res.json()) as { resources: Array<{ name: string }> };
    return list.resources.some(r => r.name === k.plural);
  };

  it.each(['rolling', 'canary', 'blue-green'] as const)(
    'accepts every object of a %s service in a server-side dry run',
    async strategy => {
      const objects = renderManifests(
        phiService({
          strategy,
          name: `svc-${strategy}`,
          namespace: `svc-${strategy}`,
        }),
        settings,
      ).map(m => m.object);
      const ns = await apply(objects[0], false);
      expect(ns.status).toBeLessThan(300);

      const notServed: string[] = [];
      const failures: string[] = [];
      for (const o of objects) {
        if (!(await served(o))) {
          notServed.push(o.kind!);
          continue;
        }
        const res = await apply(o, true);
        if (res.status >= 300) {
          failures.push(
            `${o.kind} ${o.metadata.name}: ${res.status} ${await res.text()}`,
          );
        }
      }
      expect(failures).toEqual([]);
      // Every rendered kind is served (a real API server serves them all too).
      expect(notServed).toEqual([]);

      // A dry run changed nothing: the namespace exists, its objects do not.
      const store = sim.simulation.cluster('cloud-east');
      expect(
        store.objectsOf('', 'Namespace').map(n => n.metadata.name),
      ).toContain(`svc-${strategy}`);
      expect(store.objectsOf('apps', 'Deployment', `svc-${strategy}`)).toEqual(
        [],
      );
      expect(
        store.objectsOf(
          'networking.k8s.io',
          'NetworkPolicy',
          `svc-${strategy}`,
        ),
      ).toEqual([]);
    },
  );
});
