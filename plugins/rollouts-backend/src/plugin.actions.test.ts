import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import {
  CLUSTER,
  entities,
  fakeClusters,
  JORDAN,
  KENJI,
  policy,
} from './__testUtils__/world';
import { rolloutsPlugin } from './plugin';

const auditor = mockServices.auditor.mock();
const auditEvent = { success: jest.fn(), fail: jest.fn() };

async function start() {
  const clusters = fakeClusters();
  auditor.createEvent.mockResolvedValue(auditEvent);
  const { server } = await startTestBackend({
    features: [
      rolloutsPlugin,
      clusters.factory,
      policy.factory,
      auditor.factory,
      catalogServiceMock.factory({ entities }),
    ],
  });
  return { server, ...clusters };
}

const as = (user: string) => ({
  Authorization: mockCredentials.user.header(user),
});
const VIDEO = '/api/rollouts/v1/entities/component/default/video-consultation';
const body = (extra: object) => ({
  cluster: CLUSTER,
  kind: 'Rollout',
  namespace: 'video-consultation',
  name: 'video-consultation',
  reason: 'clinical sign-off CHG-1042',
  ...extra,
});

describe('exact patches through the gateway, with the user and reason', () => {
  it('promote clears the pause conditions on the status subresource', async () => {
    const { server, patch } = await start();
    const res = await request(server)
      .post(`${VIDEO}/actions`)
      .set(as(JORDAN))
      .send(body({ action: 'promote' }));
    expect(res.status).toBe(200);
    expect(patch).toHaveBeenCalledTimes(1);
    const [req, opts] = patch.mock.calls[0];
    expect(req).toEqual({
      entityRef: 'component:default/video-consultation',
      cluster: CLUSTER,
      kind: 'Rollout',
      namespace: 'video-consultation',
      name: 'video-consultation',
      patchType: 'merge',
      patch: { status: { pauseConditions: null } },
      subresource: 'status',
      reason: 'rollouts promote: clinical sign-off CHG-1042',
    });
    expect(opts.credentials.principal).toMatchObject({ userEntityRef: JORDAN });
    expect(res.body).toMatchObject({
      overridden: false,
      patches: [
        { kind: 'Rollout', subresource: 'status', auditId: 'mock-audit-id' },
      ],
    });
    expect(res.body.gate).toMatchObject({ decision: 'pass' });
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'rollout-action',
        meta: expect.objectContaining({
          action: 'promote',
          reason: 'clinical sign-off CHG-1042',
        }),
      }),
    );
    expect(auditEvent.success).toHaveBeenCalled();
  });

  it('abort and undo', async () => {
    const { server, patch } = await start();
    await request(server)
      .post(`${VIDEO}/actions`)
      .set(as(JORDAN))
      .send(body({ action: 'abort' }));
    expect(patch.mock.calls[0][0]).toMatchObject({
      subresource: 'status',
      patch: { status: { abort: true } },
    });
    await request(server)
      .post(`${VIDEO}/actions`)
      .set(as(JORDAN))
      .send(body({ action: 'undo', revision: 1 }));
    expect(patch.mock.calls[1][0]).toMatchObject({
      patchType: 'json',
      patch: [
        {
          op: 'replace',
          path: '/spec/template/spec/containers/0/image',
          value: 'video:2.3.1',
        },
      ],
    });
    expect(patch.mock.calls[1][0].subresource).toBeUndefined();
  });
});

describe('error-budget gate', () => {
  const SESSION = '/api/rollouts/v1/entities/component/default/session-service';
  const promote = (extra: object = {}) =>
    body({
      namespace: 'session-service',
      name: 'session-service',
      action: 'promote',
      ...extra,
    });

  it('shows the exhausted budget', async () => {
    const { server } = await start();
    const res = await request(server)
      .get(`${SESSION}/gate?cluster=${CLUSTER}`)
      .set(as(KENJI));
    expect(res.body.clusters[0]).toMatchObject({
      cluster: CLUSTER,
      decision: 'block',
      reason: 'error budget exhausted: -150.0 % of the 30-day budget left',
    });
  });

  it('refuses a promotion with an exhausted budget, unless an owner overrides it (audited as an override)', async () => {
    const { server, patch } = await start();
    const refused = await request(server)
      .post(`${SESSION}/actions`)
      .set(as(JORDAN))
      .send(promote());
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(
      /refused by the error-budget gate on cloud-east: error budget exhausted/,
    );
    expect(patch).not.toHaveBeenCalled();
    const other = await request(server)
      .post(`${SESSION}/actions`)
      .set(as(KENJI))
      .send(promote({ overrideGate: true }));
    expect(other.status).toBe(403);
    const ok = await request(server)
      .post(`${SESSION}/actions`)
      .set(as(JORDAN))
      .send(promote({ overrideGate: true }));
    expect(ok.status).toBe(200);
    expect(ok.body.overridden).toBe(true);
    expect(patch.mock.calls[0][0].reason).toBe(
      'rollouts promote (error-budget gate overridden): clinical sign-off CHG-1042',
    );
    expect(auditEvent.success).toHaveBeenCalledWith({
      meta: expect.objectContaining({ overridden: true, gate: 'block' }),
    });
  });

  it('missing metrics: "no metrics: gate not evaluated", never a pass', async () => {
    const { server } = await start();
    const res = await request(server)
      .get(
        `/api/rollouts/v1/entities/component/default/triage-assistant/gate?cluster=${CLUSTER}`,
      )
      .set(as(KENJI));
    expect(res.body.clusters[0]).toMatchObject({
      decision: 'not-evaluated',
      reason: 'no metrics: gate not evaluated',
    });
    const west = await request(server)
      .get(
        '/api/rollouts/v1/entities/component/default/triage-assistant/gate?cluster=cloud-west',
      )
      .set(as(KENJI));
    expect(west.body.clusters[0].reason).toBe(
      'no metrics: gate not evaluated (not-configured)',
    );
  });

  it('a malformed SLO annotation is a 400 that says what to fix', async () => {
    const { server } = await start();
    const res = await request(server)
      .get('/api/rollouts/v1/entities/component/default/scheduling/gate')
      .set(as(KENJI));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(
      /availability must be a percentage above 0 and below 100, e.g. availability=99.9 \(got "ninety"\)/,
    );
  });
});

describe('bad input is a 4xx that says what to fix', () => {
  it.each([
    [
      { action: 'promote', cluster: 'mars' },
      400,
      /Unknown cluster 'mars'; known clusters: cloud-east, cloud-west/,
    ],
    [{ action: 'promote', kind: 'Pod' }, 400, /kind: Invalid option/],
    [{ action: 'promote', reason: '' }, 400, /reason: say why/],
    [{ action: 'launch' }, 400, /action: Invalid option/],
    [
      { action: 'promote', name: 'nope' },
      404,
      /No Rollout video-consultation\/nope of component:default\/video-consultation on cloud-east/,
    ],
    [
      { action: 'undo', revision: 7 },
      409,
      /revision 7 is not in the history \(known revisions: 2, 1\)/,
    ],
    [
      {
        action: 'promote',
        kind: 'Deployment',
        namespace: 'scheduling',
        name: 'scheduling',
      },
      404,
      /No Deployment/,
    ],
  ])('%j', async (extra, status, message) => {
    const { server } = await start();
    const res = await request(server)
      .post(`${VIDEO}/actions`)
      .set(as(JORDAN))
      .send(body(extra));
    expect(res.status).toBe(status);
    expect(res.body.error.message).toMatch(message);
  });

  it('a promote of a Deployment is a 409 that says Deployments roll out by themselves', async () => {
    const { server } = await start();
    const res = await request(server)
      .post('/api/rollouts/v1/entities/component/default/scheduling/actions')
      .set(as(JORDAN))
      .send(
        body({
          action: 'promote',
          kind: 'Deployment',
          namespace: 'scheduling',
          name: 'scheduling',
        }),
      );
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(
      /promote applies to Argo Rollouts and Flagger Canaries; Deployment scheduling rolls out by itself/,
    );
  });
});
