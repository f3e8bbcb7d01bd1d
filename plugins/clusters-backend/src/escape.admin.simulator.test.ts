/*
 * The escape suite, continued (see escape.simulator.test.ts): Priya (platform admin) may do what
 * admins may, but not what nobody may; a service owner gets a namespace only through the narrow
 * new-namespace path.
 */
import { ID, KENJI, PRIYA } from './__testUtils__/demoWorld';
import {
  apply,
  clusterQueue,
  deployment,
  EAST,
  expectRefused,
  GPU,
  hostPathPod,
  lastAudit,
  LEGACY,
  namespaceManifest,
  patchOwnDeployment,
  post,
  secret,
  sim,
  useEscapeWorld,
  VIDEO,
  WEST,
} from './__testUtils__/escapeWorld';

jest.setTimeout(120_000);

useEscapeWorld();

describe('as a platform admin', () => {
  it.each([
    [
      "another team's namespace",
      apply(EAST, deployment('patient-records', 'video-consultation')),
    ],
    ['kube-system', apply(LEGACY, hostPathPod)],
    [
      'a Namespace',
      apply(EAST, namespaceManifest('jordans-own', 'video-consultation')),
    ],
    ['a ClusterQueue', apply(GPU, clusterQueue)],
    ['a Secret', apply(LEGACY, secret)],
    [
      'an owner label change',
      apply(EAST, namespaceManifest('patient-records', 'video-consultation'), {
        force: true,
      }),
    ],
  ])('may write %s (dry run)', async (_what, body) => {
    const res = await post('/apply', { ...body, dryRun: true }, PRIYA);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('ESCAPE-CANARY');
    expect(await lastAudit(PRIYA)).toMatchObject({ outcome: 'success' });
  });

  it('may not send reading JSON patch operations or bad names either', async () => {
    const copy = await post(
      '/patch',
      patchOwnDeployment('json', [
        { op: 'copy', from: '/spec', path: '/metadata/annotations/x' },
      ]),
      PRIYA,
    );
    await expectRefused(copy, 400, /op "copy" is not allowed/, PRIYA);
    const dots = await post(
      '/delete',
      {
        entityRef: VIDEO,
        cluster: LEGACY,
        kind: 'Pod',
        namespace: 'video-consultation',
        name: '..',
        reason: 'x',
      },
      PRIYA,
    );
    await expectRefused(dots, 400, /not a valid Kubernetes object name/, PRIYA);
  });
});

describe('a new namespace through the narrow path', () => {
  it('creates the entity’s namespace once, labelled by the platform, then lets the owner write in it', async () => {
    const created = await post('/namespaces', {
      entityRef: VIDEO,
      cluster: WEST,
      labels: { 'istio-injection': 'enabled' },
      policies: [
        {
          apiVersion: 'v1',
          kind: 'LimitRange',
          metadata: { name: 'container-defaults' },
          spec: { limits: [{ type: 'Container', default: { cpu: '500m' } }] },
        },
      ],
      reason: 'new home',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      kind: 'Namespace',
      name: 'video-consultation',
      policies: [{ kind: 'LimitRange', name: 'container-defaults' }],
    });
    const ns = sim.simulation
      .cluster(WEST)
      .objectsOf('', 'Namespace')
      .find(n => n.metadata.name === 'video-consultation')!;
    expect(ns.metadata.labels).toMatchObject({
      [ID]: 'video-consultation',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'istio-injection': 'enabled',
    });
    expect(ns.metadata.annotations).toMatchObject({
      'careplane.io/data-classification': 'phi',
    });
    const write = await post(
      '/apply',
      apply(WEST, deployment('video-consultation', 'video-consultation')),
    );
    expect(write.status).toBe(200);

    const again = await post('/namespaces', {
      entityRef: VIDEO,
      cluster: WEST,
      reason: 'again',
    });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(
      /Namespace 'video-consultation' already exists on cluster cloud-west/,
    );
  });

  it.each([
    [
      'a Pod Security label of its own',
      { labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } },
      400,
      /label "pod-security.kubernetes.io\/enforce" may not be set on a new namespace/,
    ],
    [
      'a Secret as a policy',
      {
        policies: [
          { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } },
        ],
      },
      400,
      /"Secret" cannot come with a new namespace/,
    ],
  ])('refuses %s', async (_what, extra, status, message) => {
    const res = await post('/namespaces', {
      entityRef: VIDEO,
      cluster: GPU,
      reason: 'x',
      ...extra,
    });
    await expectRefused(res, status, message);
  });

  it('refuses a namespace for an entity the caller does not own', async () => {
    const res = await post(
      '/namespaces',
      { entityRef: VIDEO, cluster: GPU, reason: 'x' },
      KENJI,
    );
    await expectRefused(
      res,
      403,
      /Not allowed: clusters.resource.apply/,
      KENJI,
    );
  });
});
