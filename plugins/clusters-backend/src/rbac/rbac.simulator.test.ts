/*
 * The generated RBAC (deploy/rbac/careplane-cluster.yaml) against the simulated demo clusters,
 * whose RBAC decides as kube-apiserver's does: the gateway runs with a TokenRequest token of the
 * `careplane` service account bound to exactly those ClusterRoles, on every cluster. Every read and
 * write the features need works through the gateway; everything else is refused by the clusters.
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import { clustersKindsExtensionPoint } from '@careplane/plugin-clusters-node';
import {
  startSimulator,
  type RunningSimulator,
} from '@careplane/cluster-simulator';
import request from 'supertest';
import {
  as,
  DEMO_SCENARIO,
  ID,
  JORDAN,
  PRIYA,
  startDemoBackend,
} from '../__testUtils__/demoWorld';
import { KindRegistry } from '../services/InformerCache/KindRegistry';
import { featureKinds } from './featureKinds';
import { CAREPLANE_RBAC, careplaneClusterManifests } from './manifests';

jest.setTimeout(120_000);

/** What the feature plugins' kinds modules do in the real backend. */
const featureKindsModule = createBackendModule({
  pluginId: 'clusters',
  moduleId: 'test-feature-kinds',
  register(reg) {
    reg.registerInit({
      deps: { kinds: clustersKindsExtensionPoint },
      async init({ kinds }) {
        kinds.addKinds(featureKinds);
      },
    });
  },
});

const VIDEO = 'component:default/video-consultation';
const LEGACY = 'legacy-onprem';
const EAST = 'cloud-east';
const WEST = 'cloud-west';

let sim: RunningSimulator;
let backend: Awaited<ReturnType<typeof startDemoBackend>>;
const tokens: Record<string, string> = {};

async function raw(
  cluster: string,
  method: string,
  path: string,
  token: string,
  body?: unknown,
  contentType = 'application/json',
) {
  const endpoint = sim.clusters.find(c => c.name === cluster)!;
  const res = await fetch(`${endpoint.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body ? { 'content-type': contentType } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, json: await res.json().catch(() => undefined) };
}

const api = (
  method: 'get' | 'post',
  path: string,
  user: string,
  body?: object,
) => {
  const req = request(backend.server)
    [method](`/api/clusters/v1${path}`)
    .set(as(user));
  return body ? req.send(body) : req;
};

beforeAll(async () => {
  sim = await startSimulator({
    scenarioFile: DEMO_SCENARIO,
    ports: 'ephemeral',
    speed: 0,
  });
  const { namespace, serviceAccount } = CAREPLANE_RBAC;
  for (const c of sim.clusters) {
    // what `kubectl apply -f deploy/rbac/careplane-cluster.yaml` does, as the cluster admin
    for (const manifest of careplaneClusterManifests())
      sim.upsert(c.name, manifest as any);
    const res = await raw(
      c.name,
      'POST',
      `/api/v1/namespaces/${namespace}/serviceaccounts/${serviceAccount}/token`,
      c.token,
      { spec: { expirationSeconds: 86400 } },
    );
    if (res.status !== 201) throw new Error(`TokenRequest: ${res.status}`);
    tokens[c.name] = res.json.status.token;
  }
  backend = await startDemoBackend(sim, {
    location: c => ({
      auth: { type: 'serviceAccountToken', token: tokens[c.name] },
    }),
    clusters: { rateLimit: { writesPerMinute: 1000, logReadsPerMinute: 1000 } },
    // the kinds the feature modules register at start-up
    features: [featureKindsModule],
  });
});

afterAll(async () => {
  await backend?.stop();
  await sim?.stop();
});

describe('the gateway with a token limited to deploy/rbac/careplane-cluster.yaml', () => {
  it('probes every cluster (version and discovery)', async () => {
    let items: any[] = [];
    while (!items.length || !items.every(c => c.version)) {
      await new Promise(r => setTimeout(r, 100));
      items = (await api('get', '/clusters', PRIYA)).body.items ?? [];
    }
    expect(items.map(c => [c.name, c.health.status])).toEqual(
      sim.clusters.map(c => [c.name, 'healthy']),
    );
  });

  it('reads every kind it serves (except Secret) on every cluster', async () => {
    const kinds = new KindRegistry();
    kinds.register(featureKinds);
    const names = kinds
      .list()
      .map(k => k.kind)
      .filter(k => k !== 'Secret');
    // at most 30 kinds per request (kindNamesSchema)
    const answers = [];
    for (let i = 0; i < names.length; i += 10) {
      const res = await api('post', '/objects/by-entity', JORDAN, {
        entityRef: VIDEO,
        kinds: names.slice(i, i + 10),
      });
      expect(res.status).toBe(200);
      answers.push(...res.body.clusters);
    }
    expect(answers.flatMap((c: any) => c.kinds)).toHaveLength(
      names.length * sim.clusters.length,
    );
    for (const cluster of answers) {
      for (const kind of cluster.kinds) {
        // what a cluster without the CRD answers is fine; a refusal is not
        expect({
          cluster: cluster.cluster,
          kind: kind.kind,
          status: kind.status,
        }).toEqual({
          cluster: cluster.cluster,
          kind: kind.kind,
          status: expect.stringMatching(/^(ok|not-installed)$/),
        });
      }
    }
    const workloads = await api(
      'get',
      `/entities/component/default/video-consultation/workloads?clusters=${LEGACY},${EAST}`,
      JORDAN,
    );
    expect(workloads.body.clusters.map((c: any) => c.status)).toEqual([
      'ok',
      'ok',
    ]);
  });

  it('reads pod logs of the entity', async () => {
    const pod = sim.simulation
      .cluster(LEGACY)
      .objectsOf('', 'Pod')
      .find(p => p.metadata.labels?.[ID] === 'video-consultation')!;
    const res = await api(
      'get',
      `/logs?entityRef=${encodeURIComponent(
        VIDEO,
      )}&cluster=${LEGACY}&namespace=${pod.metadata.namespace}&pod=${
        pod.metadata.name
      }`,
      JORDAN,
    );
    expect(res.status).toBe(200);
  });

  it('applies (creating), patches, patches status and deletes in the write scope', async () => {
    const configMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'rbac-check',
        namespace: 'video-consultation',
        labels: { [ID]: 'video-consultation' },
      },
      data: { mode: 'a' },
    };
    const target = { entityRef: VIDEO, cluster: LEGACY, reason: 'rbac test' };
    const applied = await api('post', '/apply', JORDAN, {
      ...target,
      manifest: configMap,
    });
    expect(applied.status).toBe(200);
    const ref = {
      kind: 'ConfigMap',
      namespace: 'video-consultation',
      name: 'rbac-check',
    };
    const patched = await api('post', '/patch', JORDAN, {
      ...target,
      ...ref,
      patchType: 'merge',
      patch: { data: { mode: 'b' } },
    });
    expect(patched.status).toBe(200);
    const rollout = await api('post', '/patch', JORDAN, {
      ...target,
      cluster: EAST,
      kind: 'Rollout',
      namespace: 'video-consultation',
      name: 'video-consultation',
      subresource: 'status',
      patchType: 'merge',
      patch: { status: { abort: false } },
    });
    expect(rollout.status).toBe(200);
    const deleted = await api('post', '/delete', JORDAN, { ...target, ...ref });
    expect(deleted.status).toBe(200);
    expect(
      sim.simulation
        .cluster(LEGACY)
        .objectOf('', 'ConfigMap', 'video-consultation', 'rbac-check'),
    ).toBeUndefined();
  });

  it('creates a new namespace with its guard rails', async () => {
    const res = await api('post', '/namespaces', JORDAN, {
      entityRef: VIDEO,
      cluster: WEST,
      reason: 'rbac test',
      policies: [
        {
          apiVersion: 'v1',
          kind: 'ResourceQuota',
          metadata: { name: 'quota' },
          spec: { hard: { pods: '10' } },
        },
        {
          apiVersion: 'v1',
          kind: 'LimitRange',
          metadata: { name: 'limits' },
          spec: { limits: [{ type: 'Container', default: { cpu: '500m' } }] },
        },
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: { name: 'deny' },
          spec: { podSelector: {}, policyTypes: ['Ingress'] },
        },
      ],
    });
    expect(res.status).toBe(201);
  });

  it('is refused by the cluster for a Secret, even for a platform admin', async () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'db',
        namespace: 'video-consultation',
        labels: { [ID]: 'video-consultation' },
      },
      stringData: { password: 'x' },
    };
    const write = await api('post', '/apply', PRIYA, {
      entityRef: VIDEO,
      cluster: LEGACY,
      reason: 'rbac test',
      manifest: secret,
    });
    expect(write.status).toBe(403);
    const read = await api('post', '/objects/by-entity', PRIYA, {
      entityRef: VIDEO,
      kinds: ['Secret'],
      clusters: [LEGACY],
    });
    expect(read.body.clusters[0].kinds[0].error.message).toMatch(
      /refused Careplane's credentials \(HTTP 403/,
    );
  });
});

describe('the same token straight at the cluster', () => {
  const ns = '/api/v1/namespaces/video-consultation';
  it.each([
    ['list Secrets', 'GET', '/api/v1/secrets'],
    ['read a Secret', 'GET', `${ns}/secrets/video-consultation-db`],
    [
      'mint tokens for other accounts',
      'POST',
      `${ns}/serviceaccounts/default/token`,
      { spec: {} },
    ],
    [
      'create a RoleBinding',
      'POST',
      '/apis/rbac.authorization.k8s.io/v1/namespaces/video-consultation/rolebindings',
      {
        metadata: { name: 'x' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'cluster-admin',
        },
        subjects: [],
      },
    ],
    [
      'create a ClusterRoleBinding',
      'POST',
      '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
      {
        metadata: { name: 'x' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'cluster-admin',
        },
        subjects: [],
      },
    ],
    ['delete a Namespace', 'DELETE', '/api/v1/namespaces/video-consultation'],
    [
      'relabel a Namespace',
      'PATCH',
      '/api/v1/namespaces/video-consultation',
      { metadata: { labels: { a: 'b' } } },
      'application/merge-patch+json',
    ],
    [
      'patch a Node',
      'PATCH',
      '/api/v1/nodes/x',
      { spec: { unschedulable: true } },
      'application/merge-patch+json',
    ],
    [
      'replace (PUT) a Deployment',
      'PUT',
      '/apis/apps/v1/namespaces/video-consultation/deployments/x',
      { metadata: { name: 'x' } },
    ],
    ['delete every Pod at once', 'DELETE', `${ns}/pods`],
    ['exec into a Pod', 'POST', `${ns}/pods/x/exec`],
    [
      'create a CRD',
      'POST',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
      { metadata: { name: 'x' } },
    ],
    [
      'create a DaemonSet',
      'POST',
      '/apis/apps/v1/namespaces/video-consultation/daemonsets',
      { metadata: { name: 'x' } },
    ],
    [
      'scale a Deployment',
      'PATCH',
      '/apis/apps/v1/namespaces/video-consultation/deployments/x/scale',
      { spec: { replicas: 9 } },
      'application/merge-patch+json',
    ],
  ])(
    '%s: 403',
    // one argument: jest treats a test function with more parameters than the row as `done`-style
    async (...row: unknown[]) => {
      const [, method, path, body, contentType] = row as [
        string,
        string,
        string,
        object | undefined,
        string | undefined,
      ];
      const res = await raw(
        LEGACY,
        method,
        path,
        tokens[LEGACY],
        body,
        contentType,
      );
      expect(res.status).toBe(403);
      expect(res.json.message).toContain(
        `User "system:serviceaccount:${CAREPLANE_RBAC.namespace}:${CAREPLANE_RBAC.serviceAccount}" cannot`,
      );
    },
  );
});
