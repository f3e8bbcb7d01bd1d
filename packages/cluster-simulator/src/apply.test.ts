import {
  AppsV1Api,
  CoreV1Api,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { RunningSimulator, startSimulator } from './server';
import { kubeConfigFor, testScenario } from './__testUtils__/testUtils';

describe('server-side apply with the real @kubernetes/client-node', () => {
  let sim: RunningSimulator;
  let core: CoreV1Api;
  let apps: AppsV1Api;

  beforeAll(async () => {
    sim = await startSimulator({
      scenario: testScenario(),
      ports: 'ephemeral',
      speed: 0,
    });
    sim.advance(30);
    const kc = kubeConfigFor(sim.clusters[0]);
    core = kc.makeApiClient(CoreV1Api);
    apps = kc.makeApiClient(AppsV1Api);
  });
  afterAll(() => sim.stop());

  const statusOf = async (p: Promise<unknown>) => {
    try {
      await p;
      return undefined;
    } catch (e: any) {
      let body = e.body;
      if (typeof body === 'string') {
        try {
          body = JSON.parse(body);
        } catch {
          // A plain-text answer (e.g. "404 page not found") stays a string.
        }
      }
      return { code: e.code, body };
    }
  };

  it('server-side applies with field managers, conflicts, force and dry run', async () => {
    const objects = KubernetesObjectApi.makeApiClient(
      kubeConfigFor(sim.clusters[0]),
    );
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'ssa', namespace: 'web' },
      data: { owner: 'a', shared: 'x' },
    };
    const applied = await objects.patch(
      cm,
      undefined,
      undefined,
      'team-a',
      undefined,
      PatchStrategy.ServerSideApply,
    );
    expect(
      (applied as any).metadata.managedFields.find(
        (m: any) => m.manager === 'team-a',
      ).operation,
    ).toBe('Apply');

    const conflict = await statusOf(
      objects.patch(
        { ...cm, data: { owner: 'b' } },
        undefined,
        undefined,
        'team-b',
        undefined,
        PatchStrategy.ServerSideApply,
      ),
    );
    expect(conflict?.code).toBe(409);
    expect(conflict?.body.details.causes[0]).toMatchObject({
      reason: 'FieldManagerConflict',
      field: '.data.owner',
    });

    const dry = await objects.patch(
      { ...cm, data: { owner: 'b' } },
      undefined,
      'All',
      'team-b',
      true,
      PatchStrategy.ServerSideApply,
    );
    expect((dry as any).data.owner).toBe('b');
    expect(
      (await core.readNamespacedConfigMap({ name: 'ssa', namespace: 'web' }))
        .data?.owner,
    ).toBe('a');

    const forced = await objects.patch(
      { ...cm, data: { owner: 'b' } },
      undefined,
      undefined,
      'team-b',
      true,
      PatchStrategy.ServerSideApply,
    );
    expect((forced as any).data).toEqual({ owner: 'b', shared: 'x' });
    // team-a re-applies without "owner": it no longer owns it, so the field stays.
    const reapplied = await objects.patch(
      { ...cm, data: { shared: 'x' } },
      undefined,
      undefined,
      'team-a',
      undefined,
      PatchStrategy.ServerSideApply,
    );
    expect((reapplied as any).data).toEqual({ owner: 'b', shared: 'x' });
    // team-b drops "owner" from its config: nobody owns it any more, so it is removed.
    const dropped = await objects.patch(
      { ...cm, data: {} },
      undefined,
      undefined,
      'team-b',
      undefined,
      PatchStrategy.ServerSideApply,
    );
    expect((dropped as any).data).toEqual({ shared: 'x' });

    const missingManager = await statusOf(
      objects.patch(
        cm,
        undefined,
        undefined,
        undefined,
        undefined,
        PatchStrategy.ServerSideApply,
      ),
    );
    expect(missingManager?.code).toBe(422);
  });

  it('creates objects by server-side apply and bumps generation only on spec changes', async () => {
    const objects = KubernetesObjectApi.makeApiClient(
      kubeConfigFor(sim.clusters[0]),
    );
    const dep = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api', namespace: 'web', labels: { app: 'api' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'api' } },
        template: {
          metadata: { labels: { app: 'api' } },
          spec: { containers: [{ name: 'api', image: 'api:1' }] },
        },
      },
    };
    const created: any = await objects.patch(
      dep,
      undefined,
      undefined,
      'careplane',
      undefined,
      PatchStrategy.ServerSideApply,
    );
    expect(created.metadata.generation).toBe(1);
    sim.advance(10);
    const ready = await apps.readNamespacedDeployment({
      name: 'api',
      namespace: 'web',
    });
    expect(ready.status?.observedGeneration).toBe(1);
    const labelled = await apps.patchNamespacedDeployment(
      {
        name: 'api',
        namespace: 'web',
        body: { metadata: { labels: { extra: 'yes' } } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(labelled.metadata?.generation).toBe(1);
    const scaled = await apps.patchNamespacedDeployment(
      {
        name: 'api',
        namespace: 'web',
        body: [{ op: 'replace', path: '/spec/replicas', value: 3 }],
      },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    expect(scaled.metadata?.generation).toBe(2);
    expect(scaled.status?.observedGeneration).toBe(1);
    sim.advance(10);
    const after = await apps.readNamespacedDeployment({
      name: 'api',
      namespace: 'web',
    });
    expect(after.status).toMatchObject({
      observedGeneration: 2,
      readyReplicas: 3,
      availableReplicas: 3,
    });
  });
});
