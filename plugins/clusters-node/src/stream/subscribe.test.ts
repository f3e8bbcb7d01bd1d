import type { ClustersStreamEvent } from '@careplane/plugin-clusters-common';
import { subscribeToStream } from './subscribe';

/** A response body the test writes to, as clusters-backend's StreamHub frames it. */
function serverStream() {
  let body!: ReadableStreamDefaultController<Uint8Array>;
  const source = new ReadableStream<Uint8Array>({
    start: c => {
      body = c;
    },
  });
  const write = (text: string) => body.enqueue(new TextEncoder().encode(text));
  return {
    source,
    write,
    send: (e: ClustersStreamEvent) =>
      write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`),
    close: () => body.close(),
  };
}

function transport() {
  const streams: Array<ReturnType<typeof serverStream>> = [];
  const puts: string[] = [];
  const t = {
    open: jest.fn(async () => {
      const s = serverStream();
      streams.push(s);
      s.send({
        type: 'ready',
        streamId: `s${streams.length}`,
        heartbeatMs: 1000,
      });
      return s.source;
    }),
    putWatch: jest.fn(async (streamId: string, watchId: string) => {
      puts.push(`${streamId}/${watchId}`);
    }),
  };
  return { t, streams, puts };
}

const request = { entityRef: 'component:default/x', kinds: ['Pod'] };
const pod = {
  cluster: 'c',
  kind: 'Pod',
  name: 'p',
  object: { metadata: { name: 'p' } },
};
const policy = { random: () => 1 };
const tick = (ms = 0) => jest.advanceTimersByTimeAsync(ms);

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('subscribeToStream', () => {
  it('registers the watch, then resyncs it after every reconnect, with a new connection each time', async () => {
    const { t, streams, puts } = transport();
    const events: ClustersStreamEvent[] = [];
    const sub = subscribeToStream(t, request, e => events.push(e), policy);
    await tick();
    await expect(sub.ready).resolves.toBeUndefined();
    expect(puts).toEqual(['s1/w1']);
    expect(t.putWatch).toHaveBeenCalledWith('s1', 'w1', request);

    streams[0].write('data: not json\n\n');
    streams[0].send({ type: 'upsert', watchId: 'w1', object: pod });
    await tick();
    expect(events).toEqual([{ type: 'upsert', watchId: 'w1', object: pod }]);

    streams[0].close();
    await tick(1000);
    expect(t.open).toHaveBeenCalledTimes(2);
    expect(puts).toEqual(['s1/w1', 's2/w1']);
    expect(events[1]).toEqual({
      type: 'resync',
      watchId: 'w1',
      cluster: '*',
      kind: '*',
    });
    sub.unsubscribe();
  });

  it('reconnects a stream that sends not even a heartbeat for three intervals', async () => {
    const { t, puts } = transport();
    const events: ClustersStreamEvent[] = [];
    const sub = subscribeToStream(t, request, e => events.push(e), policy);
    await tick();
    await tick(2999);
    expect(t.open).toHaveBeenCalledTimes(1);
    await tick(1);
    await tick(1000);
    expect(t.open).toHaveBeenCalledTimes(2);
    expect(puts).toEqual(['s1/w1', 's2/w1']);
    expect(events.map(e => e.type)).toEqual(['resync']);
    sub.unsubscribe();
  });

  it('rejects ready, and does not retry, when the first connection fails', async () => {
    const refused = Object.assign(new Error('Not allowed'), {
      statusCode: 403,
    });
    const { t } = transport();
    t.putWatch.mockRejectedValueOnce(refused);
    const sub = subscribeToStream(t, request, () => {}, policy);
    await tick();
    await expect(sub.ready).rejects.toBe(refused);
    await tick(60_000);
    expect(t.open).toHaveBeenCalledTimes(1);

    const down = transport();
    down.t.open.mockRejectedValueOnce(new Error('ECONNREFUSED'));
    const sub2 = subscribeToStream(down.t, request, () => {}, policy);
    await tick();
    await expect(sub2.ready).rejects.toThrow('ECONNREFUSED');
    expect(jest.getTimerCount()).toBe(0);
  });

  it('keeps retrying with backoff once it was connected, until unsubscribed', async () => {
    const { t, streams } = transport();
    const sub = subscribeToStream(t, request, () => {}, policy);
    await tick();
    await sub.ready;
    t.open.mockRejectedValue(new Error('backend restarting'));
    streams[0].close();
    await tick();
    const opens: number[] = [];
    for (let ms = 0; ms < 8000; ms += 500) {
      await tick(500);
      opens.push(t.open.mock.calls.length);
    }
    // 1 s, then 2 s, then 4 s after each failure (full jitter at its ceiling)
    expect([
      opens[0],
      opens[1],
      opens[4],
      opens[5],
      opens[12],
      opens[13],
    ]).toEqual([1, 2, 2, 3, 3, 4]);
    sub.unsubscribe();
    await tick(60_000);
    expect(t.open).toHaveBeenCalledTimes(4);
    expect(jest.getTimerCount()).toBe(0);
  });
});
