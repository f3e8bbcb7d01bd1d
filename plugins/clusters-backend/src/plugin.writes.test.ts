/*
 * The whole plugin against fake API servers (msw), continued: writes are permission-checked,
 * held to the entity's objects and audited; pod logs; the audit log and its export.
 */
import request from 'supertest';
import { CANARY } from './__testUtils__/FakeApiServer';
import {
  as,
  backend,
  expectNoCanary,
  JORDAN,
  KENJI,
  PRIYA,
  useBackendPerTest,
  VIDEO,
} from './__testUtils__/pluginWorld';

describe('clusters plugin', () => {
  useBackendPerTest();

  const writes: Array<[string, string, object]> = [
    [
      'apply',
      '/api/clusters/v1/apply',
      {
        entityRef: VIDEO,
        cluster: 'c1',
        reason: 'scale up',
        manifest: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: {
            name: 'video-consultation',
            namespace: 'video-consultation',
            labels: { 'backstage.io/kubernetes-id': 'video-consultation' },
          },
          spec: {
            replicas: 4,
            template: {
              spec: {
                containers: [
                  { name: 'app', env: [{ name: 'X', value: CANARY.env }] },
                ],
              },
            },
          },
        },
      },
    ],
    [
      'patch',
      '/api/clusters/v1/patch',
      {
        entityRef: VIDEO,
        cluster: 'c1',
        kind: 'Deployment',
        namespace: 'video-consultation',
        name: 'video-consultation',
        patchType: 'merge',
        patch: { spec: { paused: true } },
        reason: 'pause',
      },
    ],
    [
      'delete',
      '/api/clusters/v1/delete',
      {
        entityRef: VIDEO,
        cluster: 'c1',
        kind: 'Pod',
        namespace: 'video-consultation',
        name: 'video-consultation-0',
        reason: 'stuck pod',
      },
    ],
  ];

  it.each(writes)(
    'denies %s to non-owners and records it',
    async (action, path, body) => {
      const res = await request(backend.server)
        .post(path)
        .set(as(KENJI))
        .send(body);
      expect(res.status).toBe(403);
      const audit = await request(backend.server)
        .get('/api/clusters/v1/audit')
        .set(as(PRIYA));
      expect(audit.body.items).toEqual([
        expect.objectContaining({
          action,
          actor: KENJI,
          actorType: 'user',
          outcome: 'denied',
          cluster: 'c1',
          entityRef: VIDEO,
        }),
      ]);
      expect(backend.c1.requests.filter(r => r.method !== 'GET')).toHaveLength(
        0,
      );
    },
  );

  it.each(writes)(
    'allows %s to owners, strips the answer and audits it',
    async (action, path, body) => {
      const res = await request(backend.server)
        .post(path)
        .set(as(JORDAN))
        .send(body);
      expect(res.status).toBe(200);
      expectNoCanary(res.text);
      const audit = await request(backend.server)
        .get('/api/clusters/v1/audit')
        .set(as(PRIYA));
      expect(audit.body.items).toEqual([
        expect.objectContaining({
          id: res.body.auditId,
          action,
          actor: JORDAN,
          outcome: 'success',
          dryRun: false,
        }),
      ]);
      expect(/^[0-9a-f]{64}$/.test(audit.body.items[0].patchSha256 ?? '')).toBe(
        action !== 'delete',
      );
    },
  );

  it('applies server-side with the careplane field manager', async () => {
    await request(backend.server)
      .post(writes[0][1])
      .set(as(JORDAN))
      .send({ ...writes[0][2], dryRun: true });
    const sent = backend.c1.requests.find(r => r.method === 'PATCH')!;
    expect(sent.query.get('fieldManager')).toBe('careplane');
    expect(sent.query.get('dryRun')).toBe('All');
    expect(sent.headers.get('content-type')).toBe(
      'application/apply-patch+yaml',
    );
  });

  it('refuses writes to objects that do not belong to the entity', async () => {
    const res = await request(backend.server)
      .post('/api/clusters/v1/delete')
      .set(as(JORDAN))
      .send({
        entityRef: VIDEO,
        cluster: 'c1',
        kind: 'Pod',
        namespace: 'other',
        name: 'other-0',
        reason: 'x',
      });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(
      /namespace 'other' on cluster c1 is not granted to component:default\/video-consultation/,
    );
    // in the entity's own namespace, an object without its label is not its either
    const stray = await request(backend.server)
      .post('/api/clusters/v1/delete')
      .set(as(JORDAN))
      .send({
        entityRef: VIDEO,
        cluster: 'c1',
        kind: 'Pod',
        namespace: 'video-consultation',
        name: 'stray-0',
        reason: 'x',
      });
    expect(stray.status).toBe(403);
    expect(stray.body.error.message).toMatch(
      /Pod stray-0 does not belong to component:default\/video-consultation/,
    );
  });

  it('gates and audits pod logs', async () => {
    const q = `entityRef=${encodeURIComponent(
      VIDEO,
    )}&cluster=c1&namespace=video-consultation&pod=video-consultation-1&previous=true&tailLines=50`;
    expect(
      (
        await request(backend.server)
          .get(`/api/clusters/v1/logs?${q}`)
          .set(as(KENJI))
      ).status,
    ).toBe(403);
    const res = await request(backend.server)
      .get(`/api/clusters/v1/logs?${q}`)
      .set(as(JORDAN));
    expect(res.status).toBe(200);
    expect(res.text).toBe('line 1\nline 2\n');
    const sent = backend.c1.requests.find(r => r.path.endsWith('/log'))!;
    expect(sent.query.get('previous')).toBe('true');
    expect(sent.query.get('tailLines')).toBe('50');
    const audit = await request(backend.server)
      .get('/api/clusters/v1/audit?action=logs')
      .set(as(PRIYA));
    expect(audit.body.items.map((i: any) => [i.actor, i.outcome])).toEqual([
      [JORDAN, 'success'],
      [KENJI, 'denied'],
    ]);
  });

  it('keeps the audit log for admins and exports it', async () => {
    await request(backend.server)
      .post('/api/clusters/v1/patch')
      .set(as(JORDAN))
      .send(writes[1][2]);
    expect(
      (
        await request(backend.server)
          .get('/api/clusters/v1/audit')
          .set(as(JORDAN))
      ).status,
    ).toBe(403);
    const csv = await request(backend.server)
      .get('/api/clusters/v1/audit?format=csv')
      .set(as(PRIYA));
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe(
      'id,occurredAt,actor,actorType,action,cluster,namespace,kind,name,entityRef,reason,dryRun,outcome,error,patchSha256',
    );
    expect(lines).toHaveLength(2);
    const json = await request(backend.server)
      .get('/api/clusters/v1/audit?format=json')
      .set(as(PRIYA));
    expect(JSON.parse(json.text)).toEqual([
      expect.objectContaining({ action: 'patch', reason: 'pause' }),
    ]);
  });
});
