import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import plugin from './index';
import { workloadsEntityContent } from './extensions/entityContent';
import { clustersPage } from './extensions/pages';

const component = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'x', annotations },
});

describe('clusters plugin', () => {
  it('has the clusters plugin id', () => {
    expect(plugin.id).toBe('clusters');
  });

  it('mounts the Workloads tab at workloads for entities with a Kubernetes annotation', () => {
    const tester = createExtensionTester(workloadsEntityContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('workloads');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Workloads');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(component({ 'backstage.io/kubernetes-id': 'scheduling' }))).toBe(true);
    expect(
      filter(component({ 'backstage.io/kubernetes-label-selector': 'app=scheduling' })),
    ).toBe(true);
    expect(filter(component({}))).toBe(false);
  });

  it('puts the Clusters page at /clusters with a sidebar title', () => {
    const tester = createExtensionTester(clustersPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/clusters');
    expect(tester.get(coreExtensionData.title)).toBe('Clusters');
  });
});
