import { createMockDirectory } from '@backstage/backend-test-utils';
import {
  ConflictError,
  NotAllowedError,
  ResponseError,
} from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type {
  ApplyRequest,
  CreateNamespaceRequest,
} from '@careplane/plugin-clusters-common';
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
    const createNamespace = jest.spyOn(gateway, 'createNamespace');
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
      config: testConfig(options.config),
      pollIntervalMs: 1,
    });
    return { gateway, apply, createNamespace, action };
  }

  /** Each write answers with its own audit id (audit-1, audit-2, …), in call order. */
  function numberAuditIds(gateway: ReturnType<typeof setup>['gateway']) {
    const real = clustersServiceMock();
    let n = 0;
    jest.spyOn(gateway, 'apply').mockImplementation(async (r, o) => ({
      ...(await real.apply(r, o)),
      auditId: `audit-${++n}`,
    }));
    jest.spyOn(gateway, 'createNamespace').mockImplementation(async (r, o) => ({
      ...(await real.createNamespace(r, o)),
      auditId: `audit-${++n}`,
    }));
  }

  const outputOf = (ctx: { output: unknown }, name: string) =>
    (ctx.output as jest.Mock).mock.calls.find(([n]) => n === name)[1];

  // The namespace, its quota and its limit range go through createNamespace; the rest is applied.
  const namespaceGroup = rendered.slice(0, 3).map(m => m.object);
  const appliedOnes = rendered.slice(3).map(m => m.object);
  const NAMESPACE_EXISTS =
    'namespace exists; quotas and limit ranges are changed by platform admins';

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
    const { action, apply, createNamespace } = setup();
    const ctx = context({
      clusters: ['cloud-east', 'resource:default/legacy-onprem'],
      reason: 'CARE-1',
    });
    await action.handler(ctx as any);
    const credentials = await ctx.getInitiatorCredentials();

    // One createNamespace per cluster (namespace + quota + limit range), then the rest.
    expect(createNamespace).toHaveBeenCalledTimes(2);
    expect(createNamespace.mock.calls[0]).toEqual([
      {
        entityRef: 'component:default/visit-notes',
        cluster: 'cloud-east',
        labels: {},
        annotations: {
          'linkerd.io/inject': 'enabled',
          'config.linkerd.io/default-inbound-policy': 'all-authenticated',
        },
        policies: namespaceGroup.slice(1),
        dryRun: false,
        reason: 'CARE-1',
      },
      { credentials },
    ]);
    expect(createNamespace.mock.calls[1][0].cluster).toBe('legacy-onprem');
    expect(apply).toHaveBeenCalledTimes(appliedOnes.length * 2);
    const [firstRequest, firstOptions] = apply.mock.calls[0];
    expect(firstRequest).toEqual({
      entityRef: 'component:default/visit-notes',
      cluster: 'cloud-east',
      manifest: appliedOnes[0],
      dryRun: false,
      reason: 'CARE-1',
    });
    expect(firstOptions.credentials).toEqual(credentials);
    expect(
      apply.mock.calls
        .map(([r]) => r.manifest.kind)
        .slice(0, appliedOnes.length),
    ).toEqual(appliedOnes.map(m => m.kind));

    const results = outputOf(ctx, 'results');
    expect(results.map((r: any) => r.cluster)).toEqual([
      'cloud-east',
      'legacy-onprem',
    ]);
    expect(results[0].objects.map((o: any) => o.kind)).toEqual(
      rendered.map(m => m.object.kind),
    );
    expect(results[0].objects.slice(0, 3)).toEqual([
      {
        kind: 'Namespace',
        name: 'visit-notes',
        outcome: 'created',
        auditId: 'mock-audit-id',
      },
      {
        kind: 'ResourceQuota',
        namespace: 'visit-notes',
        name: 'compute-quota',
        outcome: 'created',
        auditId: 'mock-audit-id',
      },
      {
        kind: 'LimitRange',
        namespace: 'visit-notes',
        name: 'container-defaults',
        outcome: 'created',
        auditId: 'mock-audit-id',
      },
    ]);
    const summary = outputOf(ctx, 'summary');
    expect(summary).toContain(`cloud-east: ${rendered.length} created`);
    expect(summary).toContain(
      'created         Deployment visit-notes/visit-notes',
    );
  });

  it('outputs each audit record once; a namespace shares its record with its quota and limit range', async () => {
    const { action, gateway } = setup();
    numberAuditIds(gateway);
    const ctx = context({ clusters: ['cloud-east', 'legacy-onprem'] });
    await action.handler(ctx as any);
    const perCluster = appliedOnes.length + 1;
    expect(ctx.output).toHaveBeenCalledWith(
      'auditIds',
      Array.from({ length: perCluster * 2 }, (_, i) => `audit-${i + 1}`),
    );
    const [east] = outputOf(ctx, 'results');
    expect(east.objects.slice(0, 4).map((o: any) => o.auditId)).toEqual([
      'audit-1',
      'audit-1',
      'audit-1',
      'audit-2',
    ]);
  });

  it('defaults the audit reason to the template and task', async () => {
    const { action, apply, createNamespace } = setup();
    const ctx = context({ clusters: ['cloud-east'] });
    await action.handler(ctx as any);
    expect(apply.mock.calls[0][0].reason).toBe(
      'Scaffolded component:default/visit-notes from a software template (task mock-task-id)',
    );
    expect(createNamespace.mock.calls[0][0].reason).toBe(
      apply.mock.calls[0][0].reason,
    );
  });

  it('dry-runs without changing anything and says what would happen', async () => {
    const { action, apply, createNamespace } = setup();
    const ctx = context({ clusters: ['cloud-east'], dryRun: true });
    await action.handler(ctx as any);
    expect(apply.mock.calls.every(([r]) => r.dryRun === true)).toBe(true);
    expect(createNamespace.mock.calls[0][0].dryRun).toBe(true);
    const summary = (ctx.output as jest.Mock).mock.calls.find(
      ([n]) => n === 'summary',
    )[1];
    expect(summary).toMatch(
      /^Dry run: nothing was changed\.\ncloud-east: 13 would create/,
    );
  });

  it('applies nothing twice when a failed task is retried', async () => {
    const { action, apply, createNamespace } = setup();
    const real = clustersServiceMock().apply;
    let calls = 0;
    apply.mockImplementation(async (r: ApplyRequest, o) => {
      calls += 1;
      // The second apply: after the namespace group and default-deny-all.
      if (calls === 2) throw new Error('connection reset');
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
    // 10 applied objects + the one attempt that failed; every object succeeded exactly once, and
    // the namespace (with quota and limit range) was created once.
    expect(applied).toHaveLength(appliedOnes.length + 1);
    expect(new Set(applied).size).toBe(appliedOnes.length);
    expect(createNamespace).toHaveBeenCalledTimes(1);
    expect(store.state.size).toBe(appliedOnes.length + 1);
    // A third run (e.g. a retry after a later step failed) applies nothing.
    await run();
    expect(apply).toHaveBeenCalledTimes(appliedOnes.length + 1);
    expect(createNamespace).toHaveBeenCalledTimes(1);
  });

  it('stops at the first denied write with a message naming the user, cluster and entity', async () => {
    const { action, apply, createNamespace } = setup();
    createNamespace.mockRejectedValue(
      new NotAllowedError(
        'Not allowed: clusters.resource.apply on component:default/visit-notes',
      ),
    );
    await expect(
      action.handler(context({ clusters: ['cloud-east'] }) as any),
    ).rejects.toThrow(
      new NotAllowedError(
        'user:default/jordan.lee may not create Namespace visit-notes, ResourceQuota compute-quota, LimitRange container-defaults on cloud-east for component:default/visit-notes: Not allowed: clusters.resource.apply on component:default/visit-notes. Only owners of the entity and platform admins may.',
      ),
    );
    expect(createNamespace).toHaveBeenCalledTimes(1);
    expect(apply).not.toHaveBeenCalled();
  });

  it('stops at the first denied apply and says what was already created', async () => {
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
        'user:default/jordan.lee may not apply NetworkPolicy default-deny-all to cloud-east for component:default/visit-notes: Not allowed: clusters.resource.apply on component:default/visit-notes. Only owners of the entity and platform admins may. Already applied to cloud-east: Namespace visit-notes, ResourceQuota compute-quota, LimitRange container-defaults.',
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
    const { action, apply, createNamespace } = setup({
      config: { skipKinds: ['LimitRange'] },
    });
    const ctx = context({ clusters: ['cloud-east'] });
    await action.handler(ctx as any);
    expect(apply).toHaveBeenCalledTimes(appliedOnes.length);
    expect(createNamespace.mock.calls[0][0].policies).toEqual([
      namespaceGroup[1],
    ]);
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
              kind: 'NetworkPolicy',
              namespace: 'visit-notes',
              name: 'default-deny-all',
              resourceVersion: '7',
              object: { metadata: { name: 'default-deny-all' } },
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
    expect(results[0].objects[3]).toMatchObject({
      name: 'default-deny-all',
      outcome: 'configured',
    });
    expect(results[0].objects[4].outcome).toBe('created');
  });

  describe('when the namespace exists (409 from createNamespace)', () => {
    async function runWithConflict(error: Error, input = {}) {
      const { action, apply, createNamespace } = setup();
      createNamespace.mockRejectedValue(error);
      const store = checkpointStore();
      const ctx = {
        ...context({ clusters: ['cloud-east'], ...input }),
        checkpoint: store.checkpoint,
      };
      await action.handler(ctx as any);
      return { ctx, apply, createNamespace, store };
    }

    it('reports the namespace unchanged, leaves quota and limit range to admins, applies the rest', async () => {
      const { ctx, apply } = await runWithConflict(
        new ConflictError('Namespace visit-notes exists on cloud-east'),
      );
      expect(apply.mock.calls.map(([r]) => r.manifest)).toEqual(appliedOnes);
      const [east] = outputOf(ctx, 'results');
      expect(east.objects.slice(0, 4)).toEqual([
        {
          kind: 'Namespace',
          name: 'visit-notes',
          outcome: 'unchanged',
          message: NAMESPACE_EXISTS,
        },
        {
          kind: 'ResourceQuota',
          namespace: 'visit-notes',
          name: 'compute-quota',
          outcome: 'skipped',
          message: NAMESPACE_EXISTS,
        },
        {
          kind: 'LimitRange',
          namespace: 'visit-notes',
          name: 'container-defaults',
          outcome: 'skipped',
          message: NAMESPACE_EXISTS,
        },
        {
          kind: 'NetworkPolicy',
          namespace: 'visit-notes',
          name: 'default-deny-all',
          outcome: 'created',
          auditId: 'mock-audit-id',
        },
      ]);
      const summary = outputOf(ctx, 'summary');
      expect(summary).toContain(
        `unchanged       Namespace visit-notes (${NAMESPACE_EXISTS})`,
      );
      expect(summary).toContain(
        `skipped         ResourceQuota visit-notes/compute-quota (${NAMESPACE_EXISTS})`,
      );
      expect(summary).toContain(
        'cloud-east: 1 unchanged, 2 skipped, 10 created',
      );
    });

    it('understands the 409 as the clusters client reports it over HTTP', async () => {
      const conflict = await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: {
              name: 'ConflictError',
              message: 'Namespace visit-notes exists on cloud-east',
            },
            request: { method: 'POST', url: '/api/clusters/v1/namespaces' },
            response: { statusCode: 409 },
          }),
          {
            status: 409,
            statusText: 'Conflict',
            headers: { 'content-type': 'application/json' },
          },
        ) as any,
      );
      const { ctx, apply } = await runWithConflict(conflict);
      expect(outputOf(ctx, 'results')[0].objects[0]).toMatchObject({
        outcome: 'unchanged',
        message: NAMESPACE_EXISTS,
      });
      expect(apply).toHaveBeenCalledTimes(appliedOnes.length);
    });

    it('does not ask again when the task is retried', async () => {
      const { createNamespace, store } = await runWithConflict(
        new ConflictError('exists'),
      );
      expect(createNamespace).toHaveBeenCalledTimes(1);
      expect(store.state.size).toBe(appliedOnes.length + 1);
      // Same checkpoint store, fresh gateway: nothing is asked or written again.
      const retry = setup();
      await retry.action.handler({
        ...context({ clusters: ['cloud-east'] }),
        checkpoint: store.checkpoint,
      } as any);
      expect(retry.createNamespace).not.toHaveBeenCalled();
      expect(retry.apply).not.toHaveBeenCalled();
    });

    it('says the same on a dry run', async () => {
      const { ctx, createNamespace } = await runWithConflict(
        new ConflictError('exists'),
        { dryRun: true },
      );
      expect(createNamespace.mock.calls[0][0].dryRun).toBe(true);
      expect(outputOf(ctx, 'summary')).toMatch(
        /^Dry run: nothing was changed\.\ncloud-east: 1 unchanged, 2 skipped, 10 would create/,
      );
    });

    it('still fails on other errors, saying nothing was created', async () => {
      const { action, apply, createNamespace } = setup();
      createNamespace.mockRejectedValue(new Error('connection reset'));
      await expect(
        action.handler(context({ clusters: ['cloud-east'] }) as any),
      ).rejects.toThrow(
        'Creating Namespace visit-notes, ResourceQuota compute-quota, LimitRange container-defaults on cloud-east failed: connection reset. Retrying the task continues from here.',
      );
      expect(apply).not.toHaveBeenCalled();
    });
  });

  it('passes only the mesh labels and annotations of the rendered namespace', async () => {
    const { action, createNamespace } = setup();
    const [ns] = namespaceGroup;
    workspace.addContent({
      [rendered[0].path]: stringify({
        ...ns,
        metadata: {
          ...ns.metadata,
          labels: {
            ...ns.metadata.labels,
            'istio.io/rev': 'stable',
            'istio-injection': 'enabled',
            'pod-security.kubernetes.io/enforce': 'privileged',
          },
          annotations: {
            ...ns.metadata.annotations,
            'scheduler.alpha.kubernetes.io/node-selector': 'pool=phi',
          },
        },
      }),
    });
    await action.handler(context({ clusters: ['cloud-east'] }) as any);
    const request: CreateNamespaceRequest = createNamespace.mock.calls[0][0];
    expect(request.labels).toEqual({
      'istio.io/rev': 'stable',
      'istio-injection': 'enabled',
    });
    expect(request.annotations).toEqual({
      'linkerd.io/inject': 'enabled',
      'config.linkerd.io/default-inbound-policy': 'all-authenticated',
    });
  });

  it("refuses a Namespace that is not the entity's namespace before writing anything", async () => {
    const { action, apply, createNamespace } = setup();
    const [ns] = namespaceGroup;
    workspace.addContent({
      [rendered[0].path]: stringify({
        ...ns,
        metadata: { ...ns.metadata, name: 'patient-records' },
      }),
    });
    await expect(
      action.handler(context({ clusters: ['cloud-east'] }) as any),
    ).rejects.toThrow(
      "Namespace patient-records is for namespace 'patient-records', but the namespace of component:default/visit-notes is 'visit-notes'.",
    );
    expect(createNamespace).not.toHaveBeenCalled();
    expect(apply).not.toHaveBeenCalled();
  });

  it('refuses an entity ref that is not one, naming the parameter', async () => {
    const { action } = setup();
    await expect(
      action.handler(
        context({
          clusters: ['cloud-east'],
          entityRef: 'visit-notes\n---\nkind: Component',
        }) as any,
      ),
    ).rejects.toThrow(
      /^Invalid input: entityRef: entityRef must be an entity ref of a component \(e\.g\. component:default\/visit-notes\), got "visit-notes\\n---\\nkind: Component"/,
    );
  });
});
