import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  CatalogProcessor,
  catalogProcessingExtensionPoint,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { KubernetesClaimsProcessor } from './KubernetesClaimsProcessor';
import { catalogModuleKubernetesClaims } from './module';

describe('catalogModuleKubernetesClaims', () => {
  it('adds the claims processor to the catalog, trusting the configured locations', async () => {
    const processors: CatalogProcessor[] = [];
    await startTestBackend({
      extensionPoints: [
        [
          catalogProcessingExtensionPoint,
          {
            addProcessor: (...p: any[]) => processors.push(...p.flat()),
            addEntityProvider: () => {},
            addPlaceholderResolver: () => {},
            setOnProcessingErrorHandler: () => {},
          },
        ],
      ],
      features: [
        catalogModuleKubernetesClaims,
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              locations: [{ type: 'url', target: 'https://x/a.yaml' }],
            },
          },
        }),
      ],
    });
    expect(processors).toHaveLength(1);
    const [processor] = processors as KubernetesClaimsProcessor[];
    expect(processor.getProcessorName()).toBe(
      'CareplaneKubernetesClaimsProcessor',
    );
    expect(
      processor.isTrusted({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'x',
          annotations: {
            'backstage.io/managed-by-origin-location': 'url:https://x/a.yaml',
          },
        },
      }),
    ).toBe(true);
  });
});
