import {
  mockCredentials,
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { ClustersStreamEvent } from '@careplane/plugin-clusters-common';
import { DefaultClustersService } from './DefaultClustersService';

const server = setupServer();
registerMswTestHooks(server);

const base = 'http://localhost:0/api/clusters';

function makeService() {
  return DefaultClustersService.create({
    auth: mockServices.auth(),
    discovery: mockServices.discovery(),
  });
}

describe('DefaultClustersService', () => {
  const user = mockCredentials.user('user:default/jordan.lee');

  it('calls the backend on behalf of the caller', async () => {
    expect.assertions(2);
    server.use(
      http.get(`${base}/v1/clusters`, ({ request }) => {
        expect(request.headers.get('authorization')).toBe(
          mockCredentials.service.header({
            onBehalfOf: user,
            targetPluginId: 'clusters',
          }),
        );
        return HttpResponse.json({ items: [{ name: 'cloud-east' }] });
      }),
    );
    await expect(
      makeService().listClusters({ credentials: user }),
    ).resolves.toEqual([{ name: 'cloud-east' }]);
  });

  it('posts entity object queries', async () => {
    server.use(
      http.post(`${base}/v1/objects/by-entity`, async ({ request }) =>
        HttpResponse.json({ echo: await request.json() }),
      ),
    );
    await expect(
      makeService().getEntityObjects(
        { entityRef: 'component:default/x', kinds: ['Pod'] },
        { credentials: user },
      ),
    ).resolves.toEqual({
      echo: { entityRef: 'component:default/x', kinds: ['Pod'] },
    });
  });

  it('posts metrics queries on behalf of the caller', async () => {
    const answer = {
      clusters: [
        {
          cluster: 'cloud-east',
          status: 'ok',
          resultType: 'vector',
          result: [{ metric: { cluster: 'cloud-east' }, value: [1, '2'] }],
        },
      ],
    };
    server.use(
      http.post(`${base}/v1/metrics/query`, async ({ request }) => {
        expect(request.headers.get('authorization')).toBe(
          mockCredentials.service.header({
            onBehalfOf: user,
            targetPluginId: 'clusters',
          }),
        );
        expect(await request.json()).toEqual({ query: 'up' });
        return HttpResponse.json(answer);
      }),
    );
    await expect(
      makeService().queryMetrics({ query: 'up' }, { credentials: user }),
    ).resolves.toEqual(answer);
  });

  it('maps error responses back into errors', async () => {
    server.use(
      http.post(`${base}/v1/delete`, () =>
        HttpResponse.json(
          {
            error: { name: 'NotAllowedError', message: 'nope' },
            request: { method: 'POST', url: '/v1/delete' },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    await expect(
      makeService().delete(
        {
          entityRef: 'component:default/x',
          cluster: 'c',
          kind: 'Pod',
          namespace: 'n',
          name: 'p',
          reason: 'r',
        },
        { credentials: user },
      ),
    ).rejects.toMatchObject({ name: 'ResponseError', statusCode: 403 });
  });

  it('subscribes through the stream and registers the watch', async () => {
    const watchBodies: unknown[] = [];
    server.use(
      http.get(`${base}/v1/stream`, () => {
        const encoder = new TextEncoder();
        const stream = new ReadableStream({
          start(controller) {
            controller.enqueue(
              encoder.encode(
                'event: ready\ndata: {"type":"ready","streamId":"s1","heartbeatMs":15000}\n\n: ping\n\n',
              ),
            );
            setTimeout(() => {
              controller.enqueue(
                encoder.encode(
                  'event: upsert\ndata: {"type":"upsert","watchId":"w1","object":{"cluster":"c","kind":"Pod","name":"p","object":{"metadata":{"name":"p"}}}}\n\n',
                ),
              );
            }, 10);
          },
        });
        return new HttpResponse(stream, {
          headers: { 'content-type': 'text/event-stream' },
        });
      }),
      http.put(`${base}/v1/stream/s1/watches/w1`, async ({ request }) => {
        watchBodies.push(await request.json());
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const events: ClustersStreamEvent[] = [];
    let gotEvent: () => void = () => {};
    const eventSeen = new Promise<void>(r => {
      gotEvent = r;
    });
    const sub = makeService().subscribe(
      { entityRef: 'component:default/x', kinds: ['Pod'] },
      e => {
        events.push(e);
        gotEvent();
      },
      { credentials: user },
    );
    await sub.ready;
    await eventSeen;
    sub.unsubscribe();
    expect(watchBodies).toEqual([
      { entityRef: 'component:default/x', kinds: ['Pod'] },
    ]);
    expect(events).toEqual([
      {
        type: 'upsert',
        watchId: 'w1',
        object: {
          cluster: 'c',
          kind: 'Pod',
          name: 'p',
          object: { metadata: { name: 'p' } },
        },
      },
    ]);
  });
});
