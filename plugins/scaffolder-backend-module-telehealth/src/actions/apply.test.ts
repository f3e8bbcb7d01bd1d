import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { ApplyRequest } from '@careplane/plugin-clusters-common';
import { clustersServiceMock } from '@careplane/plugin-clusters-node/testUtils';
import { stringify } from 'yaml';
import { renderManifests } from '../manifests/render';
import { phiService, settings } from '../__testUtils__/testParams';
import { createApplyAction } from './apply';
import {
  checkpointStore,
  clusterEntity,
  clusterInfo,
  serviceEntity,
  testConfig,
} from '../__testUtils__/testUtils';

describe('telehealth:apply', () => {
  const workspace = createMockDirectory();
  const rendered = renderManifests(phiService(), settings);

  function setup(
    options: {
      config?: Parameters<typeof testConfig>[0];
      entities?: any[];
    } = {},
  ) {
    const gateway = clustersServiceMock({
      clusters: [
        clusterInfo('cloud-east', true),
        clusterInfo('legacy-onprem', true),
        clusterInfo('cloud-west', false),
      ],
    });
    const apply = jest.spyOn(gateway, 'apply');
    const catalog = catalogServiceMock({
      entities: options.entities ?? [
        serviceEntity(),
        clusterEntity('cloud-east', true),
        clusterEntity('legacy-onprem', true),
        clusterEntity('cloud-west', false),
      ],
    });
    const action = createApplyAction({
      clusters: gateway,
      catalog,
      auth: mockServices.auth(),
      config: testConfig(options.config),
      pollIntervalMs: 1,
    });
    return { gateway, apply, action };
  }

  const context = (input: Record<string, unknown>) => ({
    ...createMockActionContext({
      // The scaffolder applies the schema defaults before the handler runs; these are they.
      input: {
        entityRef: 'component:default/visit-notes',
        manifestsPath: 'manifests',
        dryRun: false,
        ...input,
      } as any,
      workspacePath: workspace.path,
      user: { ref: 'user:default/jordan.lee' },
    }),
  });

  beforeEach(() => {
    workspace.clear();
    workspace.setContent(
      Object.fromEntries(rendered.map(m => [m.path, stringify(m.object)])),
    );
  });

  it('applies every object to every cluster as the user, in order, and summarises', async () => {
    const { action, apply } = setup();
    const ctx = context({
      clusters: ['cloud-east', 'resource:default/legacy-onprem'],
      reason: 'CARE-1',
    });
    await action.handler(ctx as any);

    expect(apply).toHaveBeenCalledTimes(rendered.length * 2);
    const [firstRequest, firstOptions] = apply.mock.calls[0];
    expect(firstRequest).toEqual({
      entityRef: 'component:default/visit-notes',
      cluster: 'cloud-east',
      manifest: rendered[0].object,
      dryRun: false,
      reason: 'CARE-1',
    });
    expect(firstOptions.credentials).toEqual(
      await ctx.getInitiatorCredentials(),
    );
    expect(
      apply.mock.calls.map(([r]) => r.manifest.kind).slice(0, rendered.length),
    ).toEqual(rendered.map(m => m.object.kind));

    const results = (ctx.output as jest.Mock).mock.calls.find(
      ([n]) => n === 'results',
    )[1];
    expect(results.map((r: any) => r.cluster)).toEqual([
      'cloud-east',
      'legacy-onprem',
    ]);
    expect(results[0].objects[0]).toEqual({
      kind: 'Namespace',
      namespace: undefined,
      name: 'visit-notes',
      outcome: 'created',
      auditId: 'mock-audit-id',
    });
    const summary = (ctx.output as jest.Mock).mock.calls.find(
      ([n]) => n === 'summary',
    )[1];
    expect(summary).toContain(`cloud-east: ${rendered.length} created`);
    expect(summary).toContain(
      'created         Deployment visit-notes/visit-notes',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'auditIds',
      Array(rendered.length * 2).fill('mock-audit-id'),
    );
  });

  it('defaults the audit reason to the template and task', async () => {
    const { action, apply } = setup();
    const ctx = context({ clusters: ['cloud-east'] });
    await action.handler(ctx as any);
    expect(apply.mock.calls[0][0].reason).toBe(
      'Scaffolded component:default/visit-notes from a software template (task mock-task-id)',
    );
  });

  it('dry-runs without changing anything and says what would happen', async () => {
    const { action, apply } = setup();
    const ctx = context({ clusters: ['cloud-east'], dryRun: true });
    await action.handler(ctx as any);
    expect(apply.mock.calls.every(([r]) => r.dryRun === true)).toBe(true);
    const summary = (ctx.output as jest.Mock).mock.calls.find(
      ([n]) => n === 'summary',
    )[1];
    expect(summary).toMatch(
      /^Dry run: nothing was changed\.\ncloud-east: 13 would create/,
    );
  });

  it('applies nothing twice when a failed task is retried', async () => {
    const { action, apply } = setup();
    const real = clustersServiceMock().apply;
    let calls = 0;
    apply.mockImplementation(async (r: ApplyRequest, o) => {
      calls += 1;
      if (calls === 5) throw new Error('connection reset');
      return real(r, o);
    });
    const store = checkpointStore();
    const run = () =>
      action.handler({
        ...context({ clusters: ['cloud-east'] }),
        checkpoint: store.checkpoint,
      } as any);

    await expect(run()).rejects.toThrow(
      /Applying NetworkPolicy visit-notes\/allow-dns-egress to cloud-east failed: connection reset\. Already applied to cloud-east: Namespace visit-notes, ResourceQuota compute-quota, LimitRange container-defaults, NetworkPolicy default-deny-all\. Retrying the task continues from here\./,
    );
    await run();

    const applied = apply.mock.calls.map(
      ([r]) => `${r.manifest.kind}/${r.manifest.metadata.name}`,
    );
    // 13 objects + the one attempt that failed; every object succeeded exactly once.
    expect(applied).toHaveLength(rendered.length + 1);
    expect(new Set(applied).size).toBe(rendered.length);
    expect(store.state.size).toBe(rendered.length);
    // A third run (e.g. a retry after a later step failed) applies nothing.
    await run();
    expect(apply).toHaveBeenCalledTimes(rendered.length + 1);
  });

  it('stops at the first denied write with a message naming the user, cluster and entity', async () => {
    const { action, apply } = setup();
    apply.mockRejectedValue(
      new NotAllowedError(
        'Not allowed: clusters.resource.apply on component:default/visit-notes',
      ),
    );
    await expect(
      action.handler(context({ clusters: ['cloud-east'] }) as any),
    ).rejects.toThrow(
      new NotAllowedError(
        'user:default/jordan.lee may not apply Namespace visit-notes to cloud-east for component:default/visit-notes: Not allowed: clusters.resource.apply on component:default/visit-notes. Only owners of the entity and platform admins may.',
      ),
    );
    expect(apply).toHaveBeenCalledTimes(1);
  });

  it('refuses an unknown cluster before applying anything', async () => {
    const { action, apply } = setup();
    await expect(
      action.handler(context({ clusters: ['cloud-east', 'mars'] }) as any),
    ).rejects.toThrow(
      "Nothing was applied:\n- Unknown cluster 'mars': the cluster gateway knows cloud-east, legacy-onprem, cloud-west.",
    );
    expect(apply).not.toHaveBeenCalled();
  });

  it('refuses a PHI service on a non-PHI cluster before applying anything', async () => {
    const { action, apply } = setup();
    await expect(
      action.handler(context({ clusters: ['cloud-west'] }) as any),
    ).rejects.toThrow(/Cluster 'cloud-west' is not approved for PHI/);
    expect(apply).not.toHaveBeenCalled();
  });

  it('refuses objects that do not carry the entity label', async () => {
    const { action, apply } = setup();
    workspace.addContent({
      'manifests/99-configmap-extra.yaml': stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'extra', namespace: 'visit-notes' },
      }),
    });
    await expect(
      action.handler(context({ clusters: ['cloud-east'] }) as any),
    ).rejects.toThrow(
      'ConfigMap extra is not labelled backstage.io/kubernetes-id=visit-notes, so it does not belong to component:default/visit-notes.',
    );
    expect(apply).not.toHaveBeenCalled();
  });

  it('fails clearly when the entity is not registered yet', async () => {
    const { action, apply } = setup({ entities: [] });
    await expect(
      action.handler(context({ clusters: ['cloud-east'] }) as any),
    ).rejects.toThrow(
      'component:default/visit-notes is not in the catalog (with its owner) yet; register it before applying, the gateway authorises every write against it',
    );
    expect(apply).not.toHaveBeenCalled();
  });

  it('skips configured kinds and says so', async () => {
    const { action, apply } = setup({ config: { skipKinds: ['LimitRange'] } });
    const ctx = context({ clusters: ['cloud-east'] });
    await action.handler(ctx as any);
    expect(apply).toHaveBeenCalledTimes(rendered.length - 1);
    const summary = (ctx.output as jest.Mock).mock.calls.find(
      ([n]) => n === 'summary',
    )[1];
    expect(summary).toContain(
      'skipped         LimitRange visit-notes/container-defaults',
    );
  });

  it('says configured for objects that existed', async () => {
    const { action, gateway } = setup();
    jest.spyOn(gateway, 'getEntityObjects').mockResolvedValue({
      selector: { labelSelector: 'backstage.io/kubernetes-id=visit-notes' },
      clusters: [
        {
          cluster: 'cloud-east',
          status: 'ok',
          kinds: [],
          items: [
            {
              cluster: 'cloud-east',
              kind: 'Namespace',
              name: 'visit-notes',
              resourceVersion: '7',
              object: { metadata: { name: 'visit-notes' } },
            },
          ],
        },
      ],
    });
    const ctx = context({ clusters: ['cloud-east'] });
    await action.handler(ctx as any);
    const results = (ctx.output as jest.Mock).mock.calls.find(
      ([n]) => n === 'results',
    )[1];
    expect(results[0].objects[0].outcome).toBe('configured');
    expect(results[0].objects[1].outcome).toBe('created');
  });
});
