import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createRegisterAction } from './register';
import {
  checkpointStore,
  serviceEntity,
  testConfig,
} from '../__testUtils__/testUtils';

describe('telehealth:catalog:register', () => {
  function setup() {
    const catalog = catalogServiceMock.mock({
      addLocation: jest.fn(
        async (location: any): Promise<any> => ({
          location: { id: 'l1', type: location.type, target: location.target },
          entities: location.dryRun ? [serviceEntity()] : [],
        }),
      ),
      getEntityByRef: jest.fn(async () => serviceEntity()),
    });
    const action = createRegisterAction({
      catalog,
      config: testConfig(),
      pollIntervalMs: 1,
    });
    return { catalog, action };
  }

  it('registers a local file location as the user, once, and outputs the entity', async () => {
    const { catalog, action } = setup();
    const store = checkpointStore();
    const ctx = {
      ...createMockActionContext({
        input: {
          catalogInfoPath: '/repos/visit-notes/catalog-info.yaml',
          wait: true,
        } as any,
      }),
      checkpoint: store.checkpoint,
    };
    await action.handler(ctx as any);
    await action.handler(ctx as any);

    expect(catalog.addLocation).toHaveBeenCalledTimes(2); // one real, one dry run
    expect(catalog.addLocation).toHaveBeenNthCalledWith(
      1,
      {
        type: 'careplane-local-repo',
        target: '/repos/visit-notes/catalog-info.yaml',
      },
      { credentials: await ctx.getInitiatorCredentials() },
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'component:default/visit-notes',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'locationRef',
      'careplane-local-repo:/repos/visit-notes/catalog-info.yaml',
    );
  });

  it('needs exactly one of url and path', async () => {
    const { action } = setup();
    await expect(
      action.handler(
        createMockActionContext({ input: { wait: true } as any }) as any,
      ),
    ).rejects.toThrow('Give exactly one of catalogInfoUrl and catalogInfoPath');
  });
});
