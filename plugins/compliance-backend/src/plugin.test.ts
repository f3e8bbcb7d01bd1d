import { createServiceFactory } from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { clustersServiceRef } from '@careplane/plugin-clusters-node';
import { clustersServiceMock } from '@careplane/plugin-clusters-node/testUtils';
import request from 'supertest';
import { app, deploymentOf, entity } from './__testUtils__/apps';
import { compliancePlugin } from './plugin';

jest.setTimeout(30_000);

const EP = 'component:default/e-prescribing';
const VN = 'component:default/visit-notes';
const JORDAN = 'user:default/jordan.lee'; // clinical-records: owns both
const PRIYA = 'user:default/priya.shah'; // platform admin
const KENJI = 'user:default/kenji.watanabe'; // owns nothing
const as = (user: string) => ({
  Authorization: mockCredentials.user.header(user),
});

async function start() {
  const clusters = clustersServiceMock({
    objects: [
      ...app('e-prescribing', { compliant: false }),
      ...app('visit-notes'),
    ],
    entities: {},
  });
  const send = jest.fn();
  const scheduler = mockServices.scheduler.mock();
  const actions = actionsRegistryServiceMock();
  const permissions = mockServices.permissions.mock({
    async authorize(requests, options) {
      const user = (options.credentials.principal as { userEntityRef?: string })
        .userEntityRef;
      return requests.map(r => {
        const isAdmin = user === PRIYA;
        const owner = user === JORDAN && 'resourceRef' in r;
        return {
          result:
            isAdmin || owner ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
        };
      }) as any;
    },
  });
  const backend = await startTestBackend({
    features: [
      compliancePlugin,
      createServiceFactory({
        service: clustersServiceRef,
        deps: {},
        factory: () => clusters,
      }),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({ send }),
      }),
      createServiceFactory({
        service: actionsRegistryServiceRef,
        deps: {},
        factory: () => actions,
      }),
      scheduler.factory,
      permissions.factory,
      catalogServiceMock.factory({
        entities: [
          entity('e-prescribing', 'clinical-records'),
          entity('visit-notes', 'clinical-records'),
        ],
      }),
      mockServices.rootConfig.factory({
        data: {
          compliance: {
            checks: {
              allowedRegistries: ['registry.northwind-health.example'],
            },
          },
        },
      }),
    ],
  });
  const tasks = new Map(
    scheduler.scheduleTask.mock.calls.map(([t]) => [t.id, t]),
  );
  const run = async (id: string) =>
    tasks.get(id)!.fn(new AbortController().signal);
  return { backend, clusters, send, tasks, run, actions };
}

const get = (b: { server: any }, path: string, user = KENJI) =>
  request(b.server).get(`/api/compliance${path}`).set(as(user));
const post = (b: { server: any }, path: string, body: object, user = JORDAN) =>
  request(b.server).post(`/api/compliance${path}`).set(as(user)).send(body);

describe('compliance plugin', () => {
  it('schedules the full evaluation globally (one instance) and evaluates nothing on page load', async () => {
    const { backend, tasks } = await start();
    expect(tasks.get('compliance-full-evaluation')).toMatchObject({
      scope: 'global',
    });
    expect(tasks.get('compliance-local-sync')).toMatchObject({
      scope: 'local',
    });
    expect(tasks.get('compliance-retention')).toMatchObject({
      scope: 'global',
    });
    const res = await get(
      backend,
      '/v1/entities/component/default/e-prescribing',
    );
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([]);
    expect(res.body.score.grade).toBe('N/A');
  });

  it('scores e-prescribing low with evidence and visit-notes high', async () => {
    const { backend, run } = await start();
    await run('compliance-full-evaluation');
    const ep = (
      await get(backend, '/v1/entities/component/default/e-prescribing')
    ).body;
    const failing = new Set(
      ep.results
        .filter((r: any) => r.status === 'fail')
        .map((r: any) => r.checkId),
    );
    for (const id of [
      'K8S-AC-002',
      'K8S-AC-003',
      'K8S-INT-002',
      'K8S-TX-001',
      'K8S-AV-002',
      'K8S-AC-010',
    ])
      expect(failing).toContain(id);
    const root = ep.results.find((r: any) => r.checkId === 'K8S-AC-003');
    expect(root.evidence).toContainEqual({
      object: 'Deployment e-prescribing/e-prescribing on test-cluster',
      path: 'spec.template.spec.containers[0].securityContext.runAsUser',
      value: '0',
    });
    expect(ep.score.score).toBeLessThan(80);
    expect(['C', 'D', 'F']).toContain(ep.score.grade);
    const vn = (
      await get(backend, '/v1/entities/component/default/visit-notes')
    ).body;
    expect(vn.score.score).toBeGreaterThan(ep.score.score);
    expect(
      vn.results
        .filter((r: any) => r.status === 'fail')
        .map((r: any) => r.checkId),
    ).not.toContain('K8S-AC-003');
    // unknown never counts as pass: cluster facts are not reported in this world
    expect(
      vn.results.find((r: any) => r.checkId === 'K8S-AUD-001').status,
    ).toBe('unknown');
    expect(JSON.stringify(ep)).not.toContain('SERVICE_NAME=');
  });

  it('re-evaluates only the affected entity on a stream event, writes history once and notifies the owner once', async () => {
    const { backend, run, clusters, send } = await start();
    await run('compliance-full-evaluation');
    // a second full evaluation with nothing changed writes no history
    const first = (
      await get(backend, '/v1/entities/component/default/visit-notes/history')
    ).body.changes.length;
    await run('compliance-full-evaluation');
    const before = (
      await get(backend, '/v1/entities/component/default/visit-notes/history')
    ).body.changes.length;
    expect(before).toBe(first);
    const broken = deploymentOf('visit-notes', 'test-cluster', false);
    clusters.emit({ type: 'upsert', watchId: 'w', object: broken });
    await waitFor(async () =>
      (
        await get(backend, '/v1/entities/component/default/visit-notes')
      ).body.results.some(
        (r: any) => r.checkId === 'K8S-AC-003' && r.status === 'fail',
      ),
    );
    // the same object again (e.g. a status-only update): no new history, no second notification
    clusters.emit({ type: 'upsert', watchId: 'w', object: broken });
    await new Promise(r => setTimeout(r, 100));
    const history = (
      await get(backend, '/v1/entities/component/default/visit-notes/history')
    ).body;
    const ac3 = history.changes.filter((c: any) => c.checkId === 'K8S-AC-003');
    expect(ac3.map((c: any) => [c.previousStatus, c.status])).toEqual([
      ['pass', 'fail'],
      [null, 'pass'],
    ]);
    expect(history.changes.length).toBeGreaterThan(before);
    const regressions = send.mock.calls.filter(([n]) =>
      n.payload.title.includes('K8S-AC-003'),
    );
    expect(regressions).toHaveLength(1);
    expect(regressions[0][0]).toMatchObject({
      recipients: {
        type: 'entity',
        entityRef: 'group:default/clinical-records',
      },
      payload: {
        title: 'visit-notes: K8S-AC-003 was passing, now failing',
        topic: 'compliance-regression',
      },
    });
    const ep = (
      await get(backend, '/v1/entities/component/default/e-prescribing/history')
    ).body;
    expect(ep.changes.every((c: any) => c.previousStatus === null)).toBe(true);
  });

  it('runs the exemption flow: owner requests, the requester cannot approve, an admin approves, the failure turns exempt', async () => {
    const { backend, run } = await start();
    await run('compliance-full-evaluation');
    const bad = await post(backend, '/v1/exemptions', {
      entityRef: EP,
      checkId: 'K8S-AC-003',
      justification: '',
      expiresAt: '2020-01-01T00:00:00Z',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(
      /justification: say why.*expiresAt: .* is in the past/,
    );
    expect(
      (
        await post(
          backend,
          '/v1/exemptions',
          {
            entityRef: EP,
            checkId: 'K8S-AC-003',
            justification: 'Legacy image needs root until wave-2',
            expiresAt: future(30),
          },
          KENJI,
        )
      ).status,
    ).toBe(403);
    const created = await post(backend, '/v1/exemptions', {
      entityRef: EP,
      checkId: 'K8S-AC-003',
      justification: 'Legacy image needs root until wave-2',
      expiresAt: future(30),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      state: 'pending',
      requestedBy: JORDAN,
      target: '*',
    });
    const id = created.body.id;
    expect(
      (
        await post(
          backend,
          `/v1/exemptions/${id}/decision`,
          { decision: 'approve', comment: 'fine' },
          JORDAN,
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await post(
          backend,
          `/v1/exemptions/${id}/decision`,
          { decision: 'approve' },
          PRIYA,
        )
      ).body.error.message,
    ).toMatch(/comment/);
    const approved = await post(
      backend,
      `/v1/exemptions/${id}/decision`,
      { decision: 'approve', comment: 'until wave-2' },
      PRIYA,
    );
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      state: 'approved',
      decidedBy: PRIYA,
    });
    expect(
      (
        await post(
          backend,
          `/v1/exemptions/${id}/decision`,
          { decision: 'approve', comment: 'again' },
          PRIYA,
        )
      ).status,
    ).toBe(409);
    const ep = (
      await get(backend, '/v1/entities/component/default/e-prescribing')
    ).body;
    expect(
      ep.results.find((r: any) => r.checkId === 'K8S-AC-003'),
    ).toMatchObject({ status: 'exempt', exemptionId: id });
  });

  it('exports evidence as CSV and JSON with who and when', async () => {
    const { backend, run } = await start();
    await run('compliance-full-evaluation');
    const csv = await get(
      backend,
      `/v1/export?format=csv&entityRef=${EP}`,
      KENJI,
    );
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toMatch(
      /attachment; filename="compliance-evidence-.*\.csv"/,
    );
    expect(csv.text).toContain(`# exported by ${KENJI}`);
    expect(csv.text).toMatch(
      /component:default\/e-prescribing,K8S-AC-003,1,Runs as non-root,high,164\.312\(a\)\(1\),test-cluster\/Deployment\/e-prescribing\/e-prescribing,fail/,
    );
    const json = await get(
      backend,
      '/v1/export?format=json&safeguard=164.312(e)&phiOnly=true',
      KENJI,
    );
    expect(
      json.body.results.every((r: any) => r.hipaa.includes('164.312(e)')),
    ).toBe(true);
    expect(json.body.results.length).toBeGreaterThan(0);
    const bad = await get(backend, '/v1/export?safeguard=999', KENJI);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(
      /^safeguard: must be one of 164\.312\(a\)/,
    );
  });

  it('answers the overview and the MCP actions from stored results', async () => {
    const { backend, run, actions } = await start();
    await run('compliance-full-evaluation');
    const o = (await get(backend, '/v1/overview')).body;
    expect(o.entities.map((e: any) => e.entityRef)).toEqual([EP, VN]);
    expect(o.teams).toEqual([
      expect.objectContaining({
        key: 'group:default/clinical-records',
        entities: 2,
      }),
    ]);
    expect(o.safeguards.find((s: any) => s.key === '164.312(e)').title).toBe(
      'Transmission security across PHI services',
    );
    const failing = await actions.invoke({
      id: 'test:failing',
      input: { safeguard: '164.312(e)', phiOnly: true },
      credentials: mockCredentials.user(KENJI),
    });
    expect(
      (failing.output as any).services.map((s: any) => s.entityRef),
    ).toContain(EP);
    const score = await actions.invoke({
      id: 'test:score',
      input: { entityRef: 'e-prescribing' },
      credentials: mockCredentials.user(KENJI),
    });
    expect((score.output as any).entities[0]).toMatchObject({
      entityRef: EP,
      grade: expect.stringMatching(/[CDF]/),
    });
  });
});

function future(days: number) {
  return new Date(Date.now() + days * 86_400_000).toISOString();
}

async function waitFor(predicate: () => Promise<boolean>) {
  for (let i = 0; i < 100; i++) {
    if (await predicate()) return;
    await new Promise(r => setTimeout(r, 20));
  }
  throw new Error('condition not reached');
}
