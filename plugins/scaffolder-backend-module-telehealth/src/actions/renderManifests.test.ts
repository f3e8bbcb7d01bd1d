import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { clustersServiceMock } from '@careplane/plugin-clusters-node/testUtils';
import fs from 'node:fs';
import { parse } from 'yaml';
import { createRenderManifestsAction } from './renderManifests';
import {
  clusterEntity,
  clusterInfo,
  permissionsFor,
  testConfig,
} from '../__testUtils__/testUtils';

describe('telehealth:manifests:render', () => {
  const workspace = createMockDirectory();
  beforeEach(() => workspace.clear());

  function setup(
    options: { groups?: string[]; rolloutsInstalled?: boolean } = {},
  ) {
    const gateway = clustersServiceMock({
      clusters: [
        clusterInfo('cloud-east', true),
        clusterInfo('cloud-west', false),
      ],
    });
    jest.spyOn(gateway, 'getObjects').mockImplementation(async q => ({
      selector: q.selector,
      clusters: (q.clusters ?? []).map(cluster => ({
        cluster,
        status: options.rolloutsInstalled === false ? 'not-installed' : 'ok',
        kinds: [],
        items: [],
      })),
    }));
    const action = createRenderManifestsAction({
      clusters: gateway,
      catalog: catalogServiceMock({
        entities: [
          clusterEntity('cloud-east', true),
          clusterEntity('cloud-west', false),
        ],
      }),
      permissions: permissionsFor(
        options.groups ?? ['group:default/telehealth-video'],
      ),
      auth: mockServices.auth(),
      config: testConfig(),
    });
    return { action, gateway };
  }

  // The scaffolder fills in the schema defaults before the handler runs; these are they.
  const defaults = {
    system: 'telehealth',
    serviceKind: 'video',
    clusters: ['cloud-east'],
    strategy: 'rolling',
    canaryWeights: [20, 50],
    sloAvailability: 99.9,
    minReplicas: 2,
    maxReplicas: 6,
    pdbMinAvailable: 1,
    port: 8080,
    cpuRequest: '100m',
    memoryRequest: '128Mi',
    cpuLimit: '500m',
    memoryLimit: '256Mi',
    dependencies: [],
    scope: 'service',
    targetPath: 'manifests',
  };
  const context = (input: Record<string, unknown>) =>
    createMockActionContext({
      input: {
        ...defaults,
        name: 'visit-notes',
        owner: 'group:default/telehealth-video',
        dataClassification: 'phi',
        ...input,
      } as any,
      workspacePath: workspace.path,
      user: { ref: 'user:default/jordan.lee' },
    });

  it('writes the manifests into the workspace and outputs them', async () => {
    const { action } = setup();
    const ctx = context({});
    await action.handler(ctx as any);

    const files = (ctx.output as jest.Mock).mock.calls.find(
      ([n]) => n === 'files',
    )[1];
    expect(files).toHaveLength(12);
    const deployment = parse(
      fs.readFileSync(
        workspace.resolve('manifests/10-deployment-visit-notes.yaml'),
        'utf8',
      ),
    );
    expect(deployment.spec.template.spec.containers[0].image).toBe(
      testConfig().starterImage,
    );
    const manifests = (ctx.output as jest.Mock).mock.calls.find(
      ([n]) => n === 'manifests',
    )[1];
    expect(manifests[9]).toEqual(deployment);
    expect(ctx.output).toHaveBeenCalledWith('namespace', 'visit-notes');
    expect(ctx.output).toHaveBeenCalledWith('kubernetesId', 'visit-notes');
    expect(ctx.output).toHaveBeenCalledWith('workloadKind', 'Deployment');
    expect(ctx.output).toHaveBeenCalledWith('slo', 'availability=99.9');
    expect(ctx.output).toHaveBeenCalledWith('clusters', ['cloud-east']);
    expect(ctx.output).toHaveBeenCalledWith(
      'owner',
      'group:default/telehealth-video',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'system',
      'system:default/telehealth',
    );
  });

  it('normalises short owner and system refs for catalog-info.yaml', async () => {
    const { action } = setup();
    const ctx = context({
      owner: 'telehealth-video',
      system: 'system:default/telehealth',
    });
    await action.handler(ctx as any);
    expect(ctx.output).toHaveBeenCalledWith(
      'owner',
      'group:default/telehealth-video',
    );
  });

  // Values that would end the YAML document of catalog-info.yaml and start another one.
  const injection = '\n---\napiVersion: backstage.io/v1alpha1\nkind: Component';
  it.each([
    [
      'name',
      { name: `visit-notes${injection}` },
      "The service name 'visit-notes\n---",
    ],
    [
      'owner',
      { owner: `telehealth-video${injection}` },
      'Invalid input: owner: owner must be an entity ref of a group or user (e.g. group:default/telehealth-video), got "telehealth-video\\n---\\napiVersion',
    ],
    [
      'owner',
      { owner: 'component:default/video-consultation' },
      'owner must be an entity ref of a group or user (e.g. group:default/telehealth-video), got "component:default/video-consultation": it is a component, not a group or user',
    ],
    [
      'system',
      { system: `telehealth${injection}` },
      'Invalid input: system: system must be an entity ref of a system (e.g. system:default/telehealth), got "telehealth\\n---',
    ],
    [
      'system',
      { system: 'telehealth "quoted" &anchor' },
      '\'telehealth "quoted" &anchor\' is not a valid entity name',
    ],
    [
      'dependencies',
      { dependencies: ['patient-records:8443', `x${injection}`] },
      'Invalid input: dependencies.1: dependencies: "x\\n---\\napiVersion',
    ],
    [
      'serviceKind',
      { serviceKind: `video${injection}` },
      'Invalid input: serviceKind: Invalid enum value',
    ],
    [
      'dataClassification',
      { dataClassification: 'phi"\n---' },
      'Invalid input: dataClassification: Invalid enum value',
    ],
  ])(
    'refuses an injected %s with an InputError naming it, writing nothing',
    async (_parameter, input, message) => {
      const { action } = setup();
      const result = action.handler(context(input) as any);
      await expect(result).rejects.toThrow(InputError);
      await expect(result).rejects.toThrow(message);
      expect(fs.existsSync(workspace.resolve('manifests'))).toBe(false);
    },
  );

  it.each([
    [
      'a name Kubernetes would reject',
      { name: 'Visit Notes' },
      "The service name 'Visit Notes' would be rejected by Kubernetes",
    ],
    [
      'replicas below the PDB minimum',
      { minReplicas: 2, pdbMinAvailable: 2 },
      "Minimum replicas (2) must be above the disruption budget's minAvailable (2)",
    ],
    [
      'a PHI service on a non-PHI cluster',
      { clusters: ['resource:default/cloud-west'] },
      "Cluster 'cloud-west' is not approved for PHI",
    ],
    [
      'an unknown cluster',
      { clusters: ['mars'] },
      "Unknown cluster 'mars': the cluster gateway knows cloud-east, cloud-west.",
    ],
  ])('refuses %s, writing nothing', async (_what, input, message) => {
    const { action } = setup();
    await expect(action.handler(context(input) as any)).rejects.toThrow(
      message,
    );
    expect(fs.existsSync(workspace.resolve('manifests'))).toBe(false);
  });

  it('refuses an owner group the user is not a member of', async () => {
    const { action } = setup({ groups: ['group:default/telehealth-video'] });
    await expect(
      action.handler(
        context({ owner: 'group:default/clinical-records' }) as any,
      ),
    ).rejects.toThrow(
      'user:default/jordan.lee is not a member of group:default/clinical-records: the cluster writes of a service owned by it would be denied.',
    );
  });

  it('lets the policy allow platform admins for any owner', async () => {
    const { action } = setup();
    const permissions = permissionsFor([]);
    permissions.authorizeConditional.mockResolvedValue([
      { result: AuthorizeResult.ALLOW },
    ]);
    const admin = createRenderManifestsAction({
      clusters: clustersServiceMock({
        clusters: [clusterInfo('cloud-east', true)],
      }),
      catalog: catalogServiceMock({
        entities: [clusterEntity('cloud-east', true)],
      }),
      permissions,
      auth: mockServices.auth(),
      config: testConfig(),
    });
    expect(action).toBeDefined();
    await expect(
      admin.handler(
        context({ owner: 'group:default/clinical-records' }) as any,
      ),
    ).resolves.toBeUndefined();
  });

  it('refuses canary on a cluster without Argo Rollouts', async () => {
    const { action } = setup({ rolloutsInstalled: false });
    await expect(
      action.handler(context({ strategy: 'canary' }) as any),
    ).rejects.toThrow(
      "Argo Rollouts is not installed on cluster 'cloud-east', so a canary rollout cannot run there",
    );
  });
});
