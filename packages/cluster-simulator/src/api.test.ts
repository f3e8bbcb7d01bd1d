import {
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  V1ConfigMap,
} from '@kubernetes/client-node';
import { RunningSimulator, startSimulator } from './server';
import { kubeConfigFor, testScenario } from './__testUtils__/testUtils';

describe('simulated API server with the real @kubernetes/client-node', () => {
  let sim: RunningSimulator;
  let core: CoreV1Api;

  beforeAll(async () => {
    sim = await startSimulator({
      scenario: testScenario(),
      ports: 'ephemeral',
      speed: 0,
    });
    sim.advance(30);
    const kc = kubeConfigFor(sim.clusters[0]);
    core = kc.makeApiClient(CoreV1Api);
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

  it('does CRUD on config maps with resourceVersion and conflict semantics', async () => {
    const body: V1ConfigMap = {
      metadata: { name: 'settings', labels: { tier: 'backend' } },
      data: { a: '1' },
    };
    const created = await core.createNamespacedConfigMap({
      namespace: 'web',
      body,
    });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(created.metadata?.resourceVersion)).toBeGreaterThan(0);
    expect(created.metadata?.managedFields?.[0]?.operation).toBe('Update');

    const again = await statusOf(
      core.createNamespacedConfigMap({ namespace: 'web', body }),
    );
    expect(again?.code).toBe(409);
    expect(again?.body.reason).toBe('AlreadyExists');

    const updated = await core.replaceNamespacedConfigMap({
      name: 'settings',
      namespace: 'web',
      body: { ...created, data: { a: '2' } },
    });
    expect(updated.data).toEqual({ a: '2' });
    expect(Number(updated.metadata?.resourceVersion)).toBeGreaterThan(
      Number(created.metadata?.resourceVersion),
    );

    const stale = await statusOf(
      core.replaceNamespacedConfigMap({
        name: 'settings',
        namespace: 'web',
        body: { ...created, data: { a: '3' } },
      }),
    );
    expect(stale?.code).toBe(409);
    expect(stale?.body).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Conflict',
      code: 409,
    });

    await core.deleteNamespacedConfigMap({
      name: 'settings',
      namespace: 'web',
    });
    const gone = await statusOf(
      core.readNamespacedConfigMap({ name: 'settings', namespace: 'web' }),
    );
    expect(gone?.code).toBe(404);
    expect(gone?.body.message).toBe('configmaps "settings" not found');
  });

  it('rejects invalid objects with 422 and causes', async () => {
    const bad = await statusOf(
      core.createNamespacedConfigMap({
        namespace: 'web',
        body: { metadata: { name: 'Not_Valid' } },
      }),
    );
    expect(bad?.code).toBe(422);
    expect(bad?.body.reason).toBe('Invalid');
    expect(bad?.body.details.causes[0].field).toBe('metadata.name');
    const noNs = await statusOf(
      core.createNamespacedConfigMap({
        namespace: 'nope',
        body: { metadata: { name: 'x' } },
      }),
    );
    expect(noNs?.code).toBe(404);
  });

  it('filters lists with label and field selectors', async () => {
    const pods = await core.listNamespacedPod({
      namespace: 'web',
      labelSelector: 'app=web,backstage.io/kubernetes-id in (web)',
    });
    expect(pods.items).toHaveLength(2);
    const none = await core.listNamespacedPod({
      namespace: 'web',
      labelSelector: 'app!=web',
    });
    expect(none.items).toHaveLength(0);
    const running = await core.listPodForAllNamespaces({
      fieldSelector: 'status.phase=Running',
    });
    expect(running.items.length).toBe(2);
    const one = await core.listNamespacedPod({
      namespace: 'web',
      fieldSelector: `metadata.name=${pods.items[0].metadata!.name}`,
    });
    expect(one.items.map(p => p.metadata!.name)).toEqual([
      pods.items[0].metadata!.name,
    ]);
    const bad = await statusOf(
      core.listNamespacedPod({ namespace: 'web', labelSelector: 'a in (b' }),
    );
    expect(bad?.code).toBe(400);
  });

  it('paginates with limit and continue', async () => {
    for (let i = 0; i < 7; i++) {
      await core.createNamespacedConfigMap({
        namespace: 'web',
        body: { metadata: { name: `page-${i}`, labels: { paged: 'yes' } } },
      });
    }
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await core.listNamespacedConfigMap({
        namespace: 'web',
        labelSelector: 'paged=yes',
        limit: 3,
        _continue: token,
      });
      seen.push(...page.items.map(c => c.metadata!.name!));
      token = page.metadata?._continue;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6].map(i => `page-${i}`));
    const first = await core.listNamespacedConfigMap({
      namespace: 'web',
      limit: 2,
    });
    expect(first.metadata?.remainingItemCount).toBeGreaterThan(0);
  });

  it('serves status subresources separately from the main resource', async () => {
    const custom = kubeConfigFor(sim.clusters[0]).makeApiClient(
      CustomObjectsApi,
    );
    const ro = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'shop', namespace: 'web' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'shop' } },
        template: {
          metadata: { labels: { app: 'shop' } },
          spec: { containers: [{ name: 'shop', image: 'shop:1' }] },
        },
        strategy: { canary: { steps: [{ setWeight: 50 }, { pause: {} }] } },
      },
      status: { phase: 'Bogus' },
    };
    const created: any = await custom.createNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace: 'web',
      plural: 'rollouts',
      body: ro,
    });
    expect(created.status).toBeUndefined();
    const viaMain: any = await custom.patchNamespacedCustomObject(
      {
        group: 'argoproj.io',
        version: 'v1alpha1',
        namespace: 'web',
        plural: 'rollouts',
        name: 'shop',
        body: { status: { abort: true } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(viaMain.status?.abort).toBeUndefined();
    const viaStatus: any = await custom.patchNamespacedCustomObjectStatus(
      {
        group: 'argoproj.io',
        version: 'v1alpha1',
        namespace: 'web',
        plural: 'rollouts',
        name: 'shop',
        body: { status: { abort: true }, spec: { replicas: 9 } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(viaStatus.status.abort).toBe(true);
    expect(viaStatus.spec.replicas).toBe(1);
    const strategic = await statusOf(
      custom.patchNamespacedCustomObject(
        {
          group: 'argoproj.io',
          version: 'v1alpha1',
          namespace: 'web',
          plural: 'rollouts',
          name: 'shop',
          body: { spec: { replicas: 2 } },
        },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
      ),
    );
    expect(strategic?.code).toBe(415);
  });

  it('answers 404 for kinds whose CRD is absent and reflects CRDs in discovery', async () => {
    const beta = kubeConfigFor(sim.clusters[1]);
    const custom = beta.makeApiClient(CustomObjectsApi);
    const missing = await statusOf(
      custom.listNamespacedCustomObject({
        group: 'argoproj.io',
        version: 'v1alpha1',
        namespace: 'default',
        plural: 'rollouts',
      }),
    );
    // Past the CRD handler the apiserver answers Go's plain-text NotFound.
    expect(missing?.code).toBe(404);
    expect(missing?.body).toBe('404 page not found\n');
    const res = await fetch(`${sim.clusters[1].url}/apis`, {
      headers: { authorization: `Bearer ${sim.clusters[1].token}` },
    });
    const groups = (await res.json()).groups.map((g: any) => g.name);
    expect(groups).toContain('apps');
    expect(groups).not.toContain('argoproj.io');
    const alpha = await fetch(
      `${sim.clusters[0].url}/apis/argoproj.io/v1alpha1`,
      { headers: { authorization: `Bearer ${sim.clusters[0].token}` } },
    );
    const resources = (await alpha.json()).resources.map((r: any) => r.name);
    expect(resources).toEqual(
      expect.arrayContaining(['rollouts', 'rollouts/status', 'analysisruns']),
    );
  });

  it('rejects a wrong token with 401 and forbidden verbs with 403', async () => {
    const noToken = kubeConfigFor(sim.clusters[0], 'wrong-token').makeApiClient(
      CoreV1Api,
    );
    const unauth = await statusOf(noToken.listNamespace());
    expect(unauth?.code).toBe(401);
    const viewer = kubeConfigFor(sim.clusters[0], 'viewer-token').makeApiClient(
      CoreV1Api,
    );
    expect(
      (
        await viewer.listNamespacedPod({
          namespace: 'web',
          labelSelector: 'app=web',
        })
      ).items.length,
    ).toBe(2);
    const forbidden = await statusOf(
      viewer.createNamespacedConfigMap({
        namespace: 'web',
        body: { metadata: { name: 'nope' } },
      }),
    );
    expect(forbidden?.code).toBe(403);
    expect(forbidden?.body.message).toBe(
      'configmaps is forbidden: User "viewer" cannot create resource "configmaps" in API group "" in the namespace "web"',
    );
  });

  it('serves pod logs', async () => {
    sim.advance(60);
    const pod = (
      await core.listNamespacedPod({
        namespace: 'web',
        labelSelector: 'app=web',
      })
    ).items[0];
    const log = await core.readNamespacedPodLog({
      name: pod.metadata!.name!,
      namespace: 'web',
      tailLines: 3,
    });
    const lines = log.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[2])).toMatchObject({
      service: 'web',
      msg: 'request completed',
    });
    const again = await core.readNamespacedPodLog({
      name: pod.metadata!.name!,
      namespace: 'web',
      tailLines: 3,
    });
    expect(again).toBe(log);
  });
});
