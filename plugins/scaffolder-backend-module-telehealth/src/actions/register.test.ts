import { createMockDirectory } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { stringify } from 'yaml';
import { catalogInfoProblems, createRegisterAction } from './register';
import {
  checkpointStore,
  serviceEntity,
  testConfig,
} from '../__testUtils__/testUtils';

/** What the skeleton renders for visit-notes (every value serialised). */
const catalogInfo = (overrides: Record<string, any> = {}) =>
  stringify({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'visit-notes',
      description: 'Visit notes',
      annotations: {
        'backstage.io/kubernetes-id': 'visit-notes',
        'backstage.io/kubernetes-namespace': 'visit-notes',
      },
      ...overrides.metadata,
    },
    spec: {
      type: 'service',
      lifecycle: 'experimental',
      owner: 'group:default/telehealth-video',
      system: 'system:default/telehealth',
      ...overrides.spec,
    },
    ...overrides.root,
  });

const locationEntity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Location',
  metadata: { name: 'generated-1', namespace: 'default' },
  spec: { type: 'careplane-local-repo', target: 'x' },
};

describe('telehealth:catalog:register', () => {
  const dir = createMockDirectory();
  const repos = dir.resolve('repos');
  const file = dir.resolve('repos/visit-notes/catalog-info.yaml');
  const workspace = dir.resolve('workspace');

  beforeEach(() => {
    dir.setContent({
      'repos/visit-notes/catalog-info.yaml': catalogInfo(),
      'workspace/catalog-info.yaml': catalogInfo(),
    });
  });

  function setup(preview: any[] = [locationEntity, serviceEntity()]) {
    const catalog = catalogServiceMock.mock({
      addLocation: jest.fn(
        async (location: any): Promise<any> => ({
          location: { id: 'l1', type: location.type, target: location.target },
          entities: location.dryRun ? preview : [],
        }),
      ),
      getEntityByRef: jest.fn(async () => serviceEntity()),
    });
    const action = createRegisterAction({
      catalog,
      config: testConfig({
        publish: { provider: 'local', localDirectory: repos },
      }),
      pollIntervalMs: 1,
    });
    return { catalog, action };
  }

  const context = (input: Record<string, unknown>) =>
    createMockActionContext({
      input: {
        name: 'visit-notes',
        owner: 'group:default/telehealth-video',
        wait: true,
        ...input,
      } as any,
      workspacePath: workspace,
    });

  it('registers a local repository as the user, once, after a dry run, and outputs the entity', async () => {
    const { catalog, action } = setup();
    const store = checkpointStore();
    const ctx = {
      ...context({ catalogInfoPath: file }),
      checkpoint: store.checkpoint,
    };
    await action.handler(ctx as any);
    await action.handler(ctx as any);

    const credentials = await ctx.getInitiatorCredentials();
    expect(catalog.addLocation).toHaveBeenCalledTimes(2); // one dry run, one real
    expect(catalog.addLocation).toHaveBeenNthCalledWith(
      1,
      { type: 'careplane-local-repo', target: file, dryRun: true },
      { credentials },
    );
    expect(catalog.addLocation).toHaveBeenNthCalledWith(
      2,
      { type: 'careplane-local-repo', target: file },
      { credentials },
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'component:default/visit-notes',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'locationRef',
      `careplane-local-repo:${file}`,
    );
  });

  it('registers a URL after checking the rendered workspace file', async () => {
    const { catalog, action } = setup();
    const url =
      'https://github.com/northwind-health/visit-notes/blob/main/catalog-info.yaml';
    const ctx = context({ catalogInfoUrl: url, owner: 'telehealth-video' });
    await action.handler(ctx as any);
    expect(catalog.addLocation).toHaveBeenLastCalledWith(
      { type: 'url', target: url },
      expect.anything(),
    );
  });

  it('needs exactly one of url and path', async () => {
    const { action } = setup();
    await expect(action.handler(context({}) as any)).rejects.toThrow(
      'Give exactly one of catalogInfoUrl and catalogInfoPath',
    );
  });

  it('reads only the catalog-info.yaml of a local repository', async () => {
    const { catalog, action } = setup();
    await expect(
      action.handler(context({ catalogInfoPath: '/etc/passwd' }) as any),
    ).rejects.toThrow(
      `catalogInfoPath /etc/passwd is not the catalog-info.yaml of a local repository under ${repos}`,
    );
    expect(catalog.addLocation).not.toHaveBeenCalled();
  });

  // The attack of issue 8: a `system` value that closed the document and started another.
  const injected = `${catalogInfo({
    spec: { system: 'telehealth' },
  })}---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: everything
  annotations:
    backstage.io/kubernetes-label-selector: app.kubernetes.io/managed-by=careplane
spec: { type: service, lifecycle: production, owner: group:default/telehealth-video }
`;

  it.each([
    [
      'a second document (an injected entity)',
      injected,
      "it holds 2 YAML documents ('---'); it must be exactly one",
    ],
    [
      'another kind',
      catalogInfo({ root: { kind: 'Location' } }),
      'kind is "Location", not "Component"',
    ],
    [
      'another name',
      catalogInfo({ metadata: { name: 'patient-records' } }),
      'metadata.name is "patient-records", not "visit-notes"',
    ],
    [
      'another namespace',
      catalogInfo({ metadata: { name: 'visit-notes', namespace: 'ops' } }),
      'metadata.namespace is "ops", not "default"',
    ],
    [
      'another owner',
      catalogInfo({ spec: { owner: 'group:default/clinical-records' } }),
      'spec.owner is "group:default/clinical-records", not "group:default/telehealth-video"',
    ],
    [
      "another service's Kubernetes id",
      catalogInfo({
        metadata: {
          annotations: { 'backstage.io/kubernetes-id': 'patient-records' },
        },
      }),
      'the backstage.io/kubernetes-id annotation is "patient-records", not "visit-notes"',
    ],
    [
      'a label selector',
      catalogInfo({
        metadata: {
          annotations: {
            'backstage.io/kubernetes-id': 'visit-notes',
            'backstage.io/kubernetes-label-selector': 'app=x',
          },
        },
      }),
      'it has a backstage.io/kubernetes-label-selector annotation',
    ],
    ['no document', '', 'it holds no YAML document'],
    ['broken YAML', 'kind: [Component', 'it is not valid YAML'],
  ])(
    'refuses a file with %s, registering nothing',
    async (_what, text, message) => {
      const { catalog, action } = setup();
      dir.addContent({ 'repos/visit-notes/catalog-info.yaml': text });
      const result = action.handler(context({ catalogInfoPath: file }) as any);
      await expect(result).rejects.toThrow(InputError);
      await expect(result).rejects.toThrow(
        `Refusing to register ${file}: a new service registers exactly one entity, component:default/visit-notes owned by group:default/telehealth-video, but\n- `,
      );
      await expect(result).rejects.toThrow(message);
      expect(catalog.addLocation).not.toHaveBeenCalled();
    },
  );

  it('refuses when the catalog reads other entities from the location than the file checked', async () => {
    const { catalog, action } = setup([
      locationEntity,
      serviceEntity(),
      serviceEntity('everything'),
    ]);
    await expect(
      action.handler(
        context({
          catalogInfoUrl: 'https://github.com/nw/visit-notes/catalog-info.yaml',
        }) as any,
      ),
    ).rejects.toThrow(
      '- the catalog reads component:default/visit-notes, component:default/everything from it',
    );
    expect(catalog.addLocation).toHaveBeenCalledTimes(1); // the dry run only
  });

  it("passes on the catalog's refusal of the dry run", async () => {
    const { catalog, action } = setup();
    catalog.addLocation.mockRejectedValueOnce(
      new InputError(
        'backstage.io/kubernetes-id patient-records is already claimed by component:default/patient-records',
      ),
    );
    await expect(
      action.handler(context({ catalogInfoPath: file }) as any),
    ).rejects.toThrow(
      '- the catalog refused it: backstage.io/kubernetes-id patient-records is already claimed by component:default/patient-records',
    );
    expect(catalog.addLocation).toHaveBeenCalledTimes(1);
  });

  it.each([
    [
      'name',
      { name: 'visit-notes\n---' },
      'name: name must be a valid entity name',
    ],
    [
      'owner',
      { owner: 'telehealth\n---\nkind: Component' },
      'owner: owner must be an entity ref of a group or user',
    ],
    [
      'owner',
      { owner: 'system:default/telehealth' },
      'it is a system, not a group or user',
    ],
  ])('refuses an invalid %s input, naming it', async (_p, input, message) => {
    const { action } = setup();
    await expect(
      action.handler(context({ catalogInfoPath: file, ...input }) as any),
    ).rejects.toThrow(message);
  });
});

describe('catalogInfoProblems', () => {
  it('accepts the one entity the template rendered, with a short owner ref', () => {
    expect(
      catalogInfoProblems(
        catalogInfo({ spec: { owner: 'telehealth-video' } }),
        {
          name: 'visit-notes',
          owner: 'group:default/telehealth-video',
        },
      ),
    ).toEqual([]);
  });
});
