import { ResponseError } from '@backstage/errors';
import { createRouteClient, RouteRequest } from './client';
import { routeUrl, toSearchParams } from './route';
import type { ClustersRoutes } from './routes';

/** A client whose sender records each request and answers with `answer`. */
function clientAnswering(answer: () => Response) {
  const sent: RouteRequest[] = [];
  const client = createRouteClient<ClustersRoutes>(async request => {
    sent.push(request);
    return answer();
  });
  return { client, sent };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });

describe('routeUrl', () => {
  it('fills path parameters, each encoded', () => {
    expect(
      routeUrl('/v1/entities/:kind/:namespace/:name/workloads', {
        params: { kind: 'component', namespace: 'a/b', name: 'x y' },
      }),
    ).toBe('/v1/entities/component/a%2Fb/x%20y/workloads');
  });

  it('refuses a path parameter without a value rather than sending ":name"', () => {
    expect(() => routeUrl('/v1/stream/:streamId', {})).toThrow(
      "No value for path parameter 'streamId' of /v1/stream/:streamId",
    );
  });

  it('appends the query, leaving out absent and empty values and joining lists', () => {
    expect(
      routeUrl('/v1/audit', {
        query: { cluster: 'c1', actor: '', limit: 5, cursor: undefined },
      }),
    ).toBe('/v1/audit?cluster=c1&limit=5');
    expect(
      toSearchParams({ clusters: ['a', 'b'], previous: true }).toString(),
    ).toBe('clusters=a%2Cb&previous=true');
    expect(routeUrl('/v1/clusters', { query: {} })).toBe('/v1/clusters');
  });
});

describe('createRouteClient', () => {
  it('sends the body unserialised to the sender and answers the JSON', async () => {
    const answer = { selector: { labelSelector: 'app=web' }, clusters: [] };
    const { client, sent } = clientAnswering(() => json(answer));
    const body = { entityRef: 'component:default/web', kinds: ['Pod'] };
    await expect(
      client.call('POST', '/v1/objects/by-entity', { body }),
    ).resolves.toEqual(answer);
    expect(sent).toEqual([
      {
        method: 'POST',
        path: '/v1/objects/by-entity',
        body,
        accept: undefined,
        signal: undefined,
      },
    ]);
  });

  it('answers undefined for 204 No Content', async () => {
    const { client, sent } = clientAnswering(
      () => new Response(null, { status: 204 }),
    );
    await expect(
      client.call('DELETE', '/v1/stream/:streamId/watches/:watchId', {
        params: { streamId: 's 1', watchId: 'w1' },
      }),
    ).resolves.toBeUndefined();
    expect(sent[0].path).toBe('/v1/stream/s%201/watches/w1');
  });

  it("throws a ResponseError carrying the server's error", async () => {
    const { client } = clientAnswering(() =>
      json(
        {
          error: { name: 'InputError', message: 'kinds: Too small' },
          request: { method: 'POST', url: '/v1/objects/by-entity' },
          response: { statusCode: 400 },
        },
        400,
      ),
    );
    const error = await client
      .call('POST', '/v1/objects/by-entity', {
        body: { entityRef: 'component:default/web', kinds: [] },
      })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.body.error.message).toBe('kinds: Too small');
  });

  it('opens non-JSON answers as a Response, with the query as strings', async () => {
    const { client, sent } = clientAnswering(() => new Response('line 1\n'));
    const res = await client.open('GET', '/v1/logs', {
      query: {
        entityRef: 'component:default/web',
        cluster: 'c1',
        namespace: 'video',
        pod: 'web-0',
        previous: true,
        tailLines: 20,
      },
    });
    await expect(res.text()).resolves.toBe('line 1\n');
    expect(sent[0].path).toBe(
      '/v1/logs?entityRef=component%3Adefault%2Fweb&cluster=c1&namespace=video&pod=web-0&previous=true&tailLines=20',
    );
  });

  it('types calls from the route table', () => {
    const { client } = clientAnswering(() => json({ items: [] }));
    // these lines are checked by tsc, not run: a call the contract does not have fails type-check
    const unused = () => {
      // @ts-expect-error no such route
      client.call('GET', '/v1/nope');
      // @ts-expect-error the route is POST
      client.call('GET', '/v1/apply');
      client.call('POST', '/v1/objects/by-entity', {
        // @ts-expect-error the body lacks kinds
        body: { entityRef: 'x' },
      });
      // @ts-expect-error path parameters are required
      client.call('PUT', '/v1/stream/:streamId/watches/:watchId', {
        body: { entityRef: 'x', kinds: ['Pod'] },
      });
    };
    expect(unused).toBeDefined();
  });
});
