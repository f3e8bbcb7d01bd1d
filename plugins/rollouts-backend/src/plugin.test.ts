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
  PRIYA,
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

describe('GET rollouts', () => {
  it('shows the paused canary with step, weights, pause, pods, history and valid actions', async () => {
    const { server } = await start();
    const res = await request(server).get(`${VIDEO}/rollouts`).set(as(KENJI));
    expect(res.status).toBe(200);
    const east = res.body.clusters.find((c: any) => c.cluster === CLUSTER);
    const ro = east.rollouts.find((r: any) => r.name === 'video-consultation');
    expect(ro).toMatchObject({
      phase: 'Paused',
      step: { index: 1, total: 4 },
      weights: { set: 20, actual: 16 },
      pause: {
        reason: 'CanaryPauseStep',
        since: '2026-03-01T09:02:30Z',
        needsHuman: true,
      },
      pods: [
        { role: 'stable', replicas: 5 },
        { role: 'canary', replicas: 1 },
      ],
      history: [
        { revision: 2, current: true, images: ['app=video:2.4.0'] },
        { revision: 1, current: false, images: ['app=video:2.3.1'] },
      ],
    });
    const valid = ro.actions
      .filter((a: any) => a.valid)
      .map((a: any) => a.action);
    expect(valid).toEqual([
      'promote',
      'promote-full',
      'abort',
      'restart',
      'pause',
      'undo',
    ]);
    expect(ro.actions.find((a: any) => a.action === 'retry')).toEqual({
      action: 'retry',
      valid: false,
      reason: 'only an aborted rollout can be retried; it is Paused',
    });
  });

  it('shows a Flagger canary without its target and primary Deployments as releases of their own', async () => {
    const { server } = await start();
    const res = await request(server)
      .get(
        '/api/rollouts/v1/entities/component/default/triage-assistant/rollouts',
      )
      .set(as(KENJI));
    const east = res.body.clusters.find((c: any) => c.cluster === CLUSTER);
    expect(east.rollouts.map((r: any) => [r.kind, r.name, r.phase])).toEqual([
      ['Canary', 'triage-assistant', 'Progressing'],
    ]);
    expect(east.rollouts[0]).toMatchObject({
      step: { index: 2, total: 5 },
      weights: { set: 20 },
    });
  });

  it('once the fleet index is filled, answers from it exactly as from the hub, after the read permission', async () => {
    const { server } = await start();
    const fromHub = await request(server)
      .get(`${VIDEO}/rollouts`)
      .set(as(KENJI));
    await request(server).get('/api/rollouts/v1/waiting').set(as(KENJI));
    policy.authorize.mockClear();
    const fromIndex = await request(server)
      .get(`${VIDEO}/rollouts`)
      .set(as(KENJI));
    expect(fromIndex.status).toBe(200);
    expect(fromIndex.body).toEqual(fromHub.body);
    expect(policy.authorize).toHaveBeenCalledWith(
      [
        {
          permission: expect.objectContaining({
            name: 'clusters.resource.read',
          }),
          resourceRef: 'component:default/video-consultation',
        },
      ],
      expect.anything(),
    );
  });

  it('an unknown entity is a 404', async () => {
    const { server } = await start();
    const res = await request(server)
      .get('/api/rollouts/v1/entities/component/default/nope/rollouts')
      .set(as(KENJI));
    expect(res.status).toBe(404);
  });
});

describe('permission × precondition', () => {
  const cases: Array<[string, object, number, number]> = [
    // action, target, as owner, as non-owner
    ['promote', {}, 200, 403],
    ['promote-full', {}, 200, 403],
    ['abort', {}, 200, 403],
    ['restart', {}, 200, 403],
    ['pause', {}, 200, 403],
    ['retry', {}, 409, 403],
    ['resume', {}, 409, 403],
    ['undo', { revision: 1 }, 200, 403],
    ['undo', { revision: 2 }, 409, 403],
    ['retry', { name: 'video-aborted' }, 200, 403],
    ['promote', { name: 'video-aborted' }, 409, 403],
    ['abort', { name: 'video-aborted' }, 409, 403],
  ];
  it.each(cases)(
    '%s %j: owner %d, non-owner %d',
    async (action, target, owner, other) => {
      const { server, patch } = await start();
      const r1 = await request(server)
        .post(`${VIDEO}/actions`)
        .set(as(KENJI))
        .send(body({ action, ...target }));
      expect(r1.status).toBe(other);
      expect(patch).not.toHaveBeenCalled();
      const r2 = await request(server)
        .post(`${VIDEO}/actions`)
        .set(as(JORDAN))
        .send(body({ action, ...target }));
      expect(r2.status).toBe(owner);
      expect(patch.mock.calls.length > 0).toBe(owner === 200);
    },
  );

  it('an admin may act on what they do not own', async () => {
    const { server } = await start();
    const res = await request(server)
      .post(`${VIDEO}/actions`)
      .set(as(PRIYA))
      .send(body({ action: 'abort' }));
    expect(res.status).toBe(200);
  });

  it('409 says why: no promote on an aborted rollout', async () => {
    const { server } = await start();
    const res = await request(server)
      .post(`${VIDEO}/actions`)
      .set(as(JORDAN))
      .send(body({ action: 'promote', name: 'video-aborted' }));
    expect(res.body.error).toMatchObject({
      name: 'ConflictError',
      message:
        'Cannot promote Rollout video-consultation/video-aborted on cloud-east: the rollout is aborted: a promote would change nothing; retry it first',
    });
  });
});

describe('GET waiting', () => {
  it('lists what waits for a person across the fleet, with owner and state, and filters', async () => {
    const { server } = await start();
    const res = await request(server)
      .get('/api/rollouts/v1/waiting')
      .set(as(KENJI));
    expect(res.status).toBe(200);
    expect(
      res.body.items.map((i: any) => [i.name, i.state, i.entityRef, i.owner]),
    ).toEqual(
      expect.arrayContaining([
        [
          'video-consultation',
          'paused',
          'component:default/video-consultation',
          'group:default/telehealth-video',
        ],
        [
          'video-aborted',
          'aborted',
          'component:default/video-consultation',
          'group:default/telehealth-video',
        ],
        [
          'session-service',
          'paused',
          'component:default/session-service',
          'group:default/telehealth-video',
        ],
      ]),
    );
    expect(res.body.items).toHaveLength(3);
    const aborted = await request(server)
      .get('/api/rollouts/v1/waiting?state=aborted')
      .set(as(KENJI));
    expect(aborted.body.items.map((i: any) => i.name)).toEqual([
      'video-aborted',
    ]);
    const none = await request(server)
      .get('/api/rollouts/v1/waiting?team=group:default/other')
      .set(as(KENJI));
    expect(none.body.items).toEqual([]);
    const bad = await request(server)
      .get('/api/rollouts/v1/waiting?state=sleepy')
      .set(as(KENJI));
    expect(bad.status).toBe(400);
  });
});
