import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import plugin from './index';
import { rolloutsEntityContent } from './extensions/entityContent';
import { waitingPage } from './extensions/pages';

const component = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'x', annotations },
});

describe('rollouts plugin', () => {
  it('has the rollouts plugin id', () => {
    expect(plugin.id).toBe('rollouts');
  });

  it('mounts the Rollouts tab for entities with a Kubernetes id', () => {
    const tester = createExtensionTester(rolloutsEntityContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('rollouts');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Rollouts');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(
      filter(component({ 'backstage.io/kubernetes-id': 'video-consultation' })),
    ).toBe(true);
    expect(filter(component({}))).toBe(false);
  });

  it('puts "Waiting for you" at /rollouts with a sidebar title', () => {
    const tester = createExtensionTester(waitingPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/rollouts');
    expect(tester.get(coreExtensionData.title)).toBe('Waiting for you');
  });
});
