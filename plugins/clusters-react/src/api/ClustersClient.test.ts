/**
 * @jest-environment node
 */
import { ResponseError } from '@backstage/errors';
import type { ClustersStreamEvent } from '@careplane/plugin-clusters-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { ClustersClient } from './ClustersClient';
import { describeError } from './describeError';

const baseUrl = 'http://backstage.test/api/clusters';
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function client() {
  return new ClustersClient({
    discoveryApi: { getBaseUrl: async () => baseUrl },
    fetchApi: {
      // like the app's fetchApi, which adds the user's Backstage token
      fetch: (input, init) => {
        const headers = new Headers(init?.headers);
        headers.set('Authorization', 'Bearer user-token');
        return fetch(input, { ...init, headers });
      },
    },
    streamOptions: {
      initialBackoffMs: 10,
      maxBackoffMs: 20,
      idleCloseMs: 0,
      random: () => 1,
    },
  });
}

/** A controllable SSE response, as clusters-backend's StreamHub writes it. */
function sseStream() {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  let seq = 0;
  return {
    response: () =>
      new HttpResponse(body, {
        headers: { 'Content-Type': 'text/event-stream; charset=utf-8' },
      }),
    send(event: ClustersStreamEvent) {
      seq++;
      controller.enqueue(
        encoder.encode(
          `id: ${seq}\nevent: ${event.type}\ndata: ${JSON.stringify(
            event,
          )}\n\n`,
        ),
      );
    },
    ping: () => controller.enqueue(encoder.encode(': ping\n\n')),
    close: () => controller.close(),
  };
}

function nextEvent(events: ClustersStreamEvent[], count: number) {
  return new Promise<void>((resolve, reject) => {
    const started = Date.now();
    const check = () => {
      if (events.length >= count) resolve();
      else if (Date.now() - started > 3000) {
        reject(new Error(`Only ${events.length} of ${count} events arrived`));
      } else setTimeout(check, 5);
    };
    check();
  });
}

describe('ClustersClient', () => {
  it('lists clusters with the caller token', async () => {
    server.use(
      http.get(`${baseUrl}/v1/clusters`, ({ request }) => {
        expect(request.headers.get('authorization')).toBe('Bearer user-token');
        return HttpResponse.json({ items: [{ name: 'cloud-east' }] });
      }),
    );
    await expect(client().listClusters()).resolves.toEqual([
      { name: 'cloud-east' },
    ]);
  });

  it('keeps the server error of a failed request', async () => {
    server.use(
      http.get(`${baseUrl}/v1/audit`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message: 'Not allowed: clusters.audit.read',
            },
            request: { method: 'GET', url: '/v1/audit' },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    const error = await client()
      .listAudit({})
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.body.error.name).toBe('NotAllowedError');
    expect(describeError(error)).toBe('Not allowed: clusters.audit.read');
  });

  it('addresses entity workloads by kind, namespace and name', async () => {
    server.use(
      http.get(
        `${baseUrl}/v1/entities/component/default/video-consultation/workloads`,
        () =>
          HttpResponse.json({
            entityRef: 'component:default/video-consultation',
            selector: {
              labelSelector: 'backstage.io/kubernetes-id=video-consultation',
            },
            clusters: [],
          }),
      ),
    );
    const res = await client().getEntityWorkloads(
      'component:default/video-consultation',
    );
    expect(res.entityRef).toBe('component:default/video-consultation');
  });

  it('posts entity object queries as JSON', async () => {
    server.use(
      http.post(`${baseUrl}/v1/objects/by-entity`, async ({ request }) => {
        expect(await request.json()).toEqual({
          entityRef: 'component:default/scheduling',
          kinds: ['Pod'],
        });
        return HttpResponse.json({
          selector: { labelSelector: 'a=b' },
          clusters: [],
        });
      }),
    );
    await expect(
      client().getEntityObjects({
        entityRef: 'component:default/scheduling',
        kinds: ['Pod'],
      }),
    ).resolves.toEqual({ selector: { labelSelector: 'a=b' }, clusters: [] });
  });

  it('sends audit filters as query parameters and exports with the backend format', async () => {
    const seen: Array<Record<string, string>> = [];
    server.use(
      http.get(`${baseUrl}/v1/audit`, ({ request }) => {
        const params = Object.fromEntries(new URL(request.url).searchParams);
        seen.push(params);
        return params.format === 'csv'
          ? new HttpResponse('id,occurredAt\n', {
              headers: {
                'Content-Type': 'text/csv',
                'Content-Disposition':
                  'attachment; filename="clusters-audit-2026.csv"',
              },
            })
          : HttpResponse.json({ items: [] });
      }),
    );
    const c = client();
    await c.listAudit({
      actor: 'user:default/priya.shah',
      action: 'patch',
      cursor: 'c1',
    });
    const file = await c.exportAudit(
      { actor: 'user:default/priya.shah', cursor: 'c1' },
      'csv',
    );
    expect(seen).toEqual([
      { actor: 'user:default/priya.shah', action: 'patch', cursor: 'c1' },
      // an export covers every page of the filter, so it drops the cursor
      { actor: 'user:default/priya.shah', format: 'csv' },
    ]);
    expect(file.filename).toBe('clusters-audit-2026.csv');
    expect(await file.blob.text()).toBe('id,occurredAt\n');
  });

  it('streams watch events over one authenticated stream and resyncs after a reconnect', async () => {
    const streams: Array<ReturnType<typeof sseStream>> = [];
    const puts: string[] = [];
    server.use(
      http.get(`${baseUrl}/v1/stream`, ({ request }) => {
        expect(request.headers.get('authorization')).toBe('Bearer user-token');
        expect(request.headers.get('accept')).toBe('text/event-stream');
        const s = sseStream();
        streams.push(s);
        setTimeout(() =>
          s.send({
            type: 'ready',
            streamId: `s${streams.length}`,
            heartbeatMs: 15000,
          }),
        );
        return s.response();
      }),
      http.put(
        `${baseUrl}/v1/stream/:streamId/watches/:watchId`,
        async ({ params, request }) => {
          puts.push(`${params.streamId}/${params.watchId}`);
          expect(await request.json()).toEqual({
            entityRef: 'component:default/video-consultation',
            kinds: ['Pod'],
          });
          return new HttpResponse(null, { status: 204 });
        },
      ),
      http.delete(
        `${baseUrl}/v1/stream/:streamId/watches/:watchId`,
        () => new HttpResponse(null, { status: 204 }),
      ),
    );
    const c = client();
    const events: ClustersStreamEvent[] = [];
    const states: string[] = [];
    c.onConnectionState(s => states.push(s.status));
    const watch = c.watch(
      { entityRef: 'component:default/video-consultation', kinds: ['Pod'] },
      e => events.push(e),
    );

    await nextEvent(events, 1);
    expect(events[0]).toEqual({
      type: 'resync',
      watchId: 'w1',
      cluster: '*',
      kind: '*',
    });
    expect(puts).toEqual(['s1/w1']);

    const pod = {
      cluster: 'cloud-east',
      kind: 'Pod',
      namespace: 'video-consultation',
      name: 'vc-1',
      uid: 'u1',
      resourceVersion: '7',
      object: { metadata: { name: 'vc-1' } },
    };
    streams[0].ping();
    streams[0].send({ type: 'upsert', watchId: 'w1', object: pod });
    await nextEvent(events, 2);
    expect(events[1]).toEqual({ type: 'upsert', watchId: 'w1', object: pod });

    // the server goes away: the client reconnects, re-registers the watch and asks for a resync
    streams[0].close();
    await nextEvent(events, 3);
    expect(streams).toHaveLength(2);
    expect(puts).toEqual(['s1/w1', 's2/w1']);
    expect(events[2]).toEqual({
      type: 'resync',
      watchId: 'w1',
      cluster: '*',
      kind: '*',
    });
    expect(states).toEqual(
      expect.arrayContaining(['idle', 'connecting', 'live', 'reconnecting']),
    );

    watch.unsubscribe();
  });

  it('backs off and retries when the stream cannot be opened', async () => {
    let attempts = 0;
    server.use(
      http.get(`${baseUrl}/v1/stream`, () => {
        attempts++;
        if (attempts < 3) {
          return HttpResponse.json(
            { error: { name: 'Error', message: 'backend restarting' } },
            { status: 503 },
          );
        }
        const s = sseStream();
        setTimeout(() =>
          s.send({ type: 'ready', streamId: 's1', heartbeatMs: 15000 }),
        );
        return s.response();
      }),
      http.put(
        `${baseUrl}/v1/stream/:streamId/watches/:watchId`,
        () => new HttpResponse(null, { status: 204 }),
      ),
      http.delete(
        `${baseUrl}/v1/stream/:streamId/watches/:watchId`,
        () => new HttpResponse(null, { status: 204 }),
      ),
    );
    const c = client();
    const events: ClustersStreamEvent[] = [];
    const errors: string[] = [];
    c.onConnectionState(s => {
      if (s.status === 'reconnecting' && s.error) errors.push(s.error);
    });
    const watch = c.watch(
      { entityRef: 'component:default/x', kinds: ['Pod'] },
      e => events.push(e),
    );
    await nextEvent(events, 1);
    expect(attempts).toBe(3);
    expect(errors[0]).toContain('backend restarting');
    watch.unsubscribe();
  });

  it('reports a watch the server refuses', async () => {
    server.use(
      http.get(`${baseUrl}/v1/stream`, () => {
        const s = sseStream();
        setTimeout(() =>
          s.send({ type: 'ready', streamId: 's1', heartbeatMs: 15000 }),
        );
        return s.response();
      }),
      http.put(`${baseUrl}/v1/stream/:streamId/watches/:watchId`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message: 'Not allowed: clusters.resource.read',
            },
            request: { method: 'PUT', url: '/v1/stream/s1/watches/w1' },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    const c = client();
    const error = await new Promise<Error>(resolve => {
      c.watch(
        { entityRef: 'component:default/x', kinds: ['Pod'] },
        () => {},
        resolve,
      );
    });
    expect(describeError(error)).toBe('Not allowed: clusters.resource.read');
  });
});
