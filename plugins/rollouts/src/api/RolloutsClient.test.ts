import { RolloutsClient } from './RolloutsClient';

function client(answer: unknown, status = 200) {
  const fetch = jest.fn(
    async (_url: string, _init?: RequestInit) =>
      new Response(JSON.stringify(answer), {
        status,
        headers: { 'Content-Type': 'application/json' },
      }),
  );
  const c = new RolloutsClient({
    discoveryApi: { getBaseUrl: async () => 'http://backend/api/rollouts' },
    fetchApi: { fetch: fetch as unknown as typeof globalThis.fetch },
  });
  return { c, fetch };
}

describe('RolloutsClient', () => {
  it('calls the contract routes with encoded entity parts and queries', async () => {
    const { c, fetch } = client({ items: [], clusters: [] });
    await c.getWaiting({
      state: 'paused',
      team: 'group:default/telehealth-video',
    });
    expect(fetch.mock.calls[0][0]).toBe(
      'http://backend/api/rollouts/v1/waiting?state=paused&team=group%3Adefault%2Ftelehealth-video',
    );
    await c.getGate('component:default/video-consultation', 'cloud-east');
    expect(fetch.mock.calls[1][0]).toBe(
      'http://backend/api/rollouts/v1/entities/component/default/video-consultation/gate?cluster=cloud-east',
    );
  });

  it('posts an action as JSON', async () => {
    const { c, fetch } = client({ patches: [] });
    const request = {
      cluster: 'cloud-east',
      kind: 'Rollout' as const,
      namespace: 'video-consultation',
      name: 'video-consultation',
      action: 'promote' as const,
      reason: 'clinical sign-off',
    };
    await c.runAction('component:default/video-consultation', request);
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe(
      'http://backend/api/rollouts/v1/entities/component/default/video-consultation/actions',
    );
    expect(init).toMatchObject({
      method: 'POST',
      body: JSON.stringify(request),
    });
  });

  it('turns an error answer into a ResponseError with the server message', async () => {
    const { c } = client(
      {
        error: {
          name: 'ConflictError',
          message: 'Cannot promote: the rollout is aborted',
        },
        response: { statusCode: 409 },
      },
      409,
    );
    await expect(c.getWaiting()).rejects.toMatchObject({
      body: { error: { message: 'Cannot promote: the rollout is aborted' } },
    });
  });
});
