import type { ClustersStreamEvent } from '..';
import {
  runClustersStream,
  StreamDriverOptions,
  StreamDriverState,
  StreamSilenceError,
} from './runClustersStream';

/** A server-side stream the test writes to, as StreamHub frames it. */
function serverStream() {
  const queue: string[] = [];
  let wake: () => void = () => {};
  let closed = false;
  let seq = 0;
  const nextWrite = () =>
    new Promise<void>(r => {
      wake = r;
    });
  const source: AsyncIterable<string> = {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        while (queue.length > 0) yield queue.shift()!;
        if (closed) return;
        await nextWrite();
      }
    },
  };
  const write = (text: string) => {
    queue.push(text);
    wake();
  };
  return {
    source,
    write,
    send(event: ClustersStreamEvent) {
      seq++;
      write(
        `id: ${seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`,
      );
    },
    ping: () => write(': ping\n\n'),
    close() {
      closed = true;
      wake();
    },
  };
}

const ready = (streamId: string, heartbeatMs = 1000): ClustersStreamEvent => ({
  type: 'ready',
  streamId,
  heartbeatMs,
});

function harness(overrides: Partial<StreamDriverOptions> = {}) {
  const streams: Array<ReturnType<typeof serverStream>> = [];
  const readies: string[] = [];
  const events: ClustersStreamEvent[] = [];
  const states: StreamDriverState[] = [];
  const open = jest.fn(async (_signal: AbortSignal) => {
    const s = serverStream();
    streams.push(s);
    return s.source;
  });
  const driver = runClustersStream({
    open: overrides.open ?? open,
    onReady: r => {
      readies.push(r.streamId);
    },
    onEvent: e => events.push(e),
    onState: s => states.push(s),
    policy: {
      initialBackoffMs: 1000,
      maxBackoffMs: 8000,
      healthyAfterMs: 30_000,
      random: () => 1,
    },
    ...overrides,
  });
  const last = () => states[states.length - 1];
  return { streams, readies, events, states, open, driver, last };
}

const tick = (ms = 0) => jest.advanceTimersByTimeAsync(ms);

beforeEach(() => jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') }));
afterEach(() => jest.useRealTimers());

describe('runClustersStream', () => {
  it('hands over ready and the watch events, skipping what is not JSON', async () => {
    const h = harness();
    expect(h.states).toEqual([{ status: 'connecting' }]);
    await tick();
    h.streams[0].send(ready('s1'));
    h.streams[0].write('data: not json\n\n');
    h.streams[0].send({
      type: 'resync',
      watchId: 'w1',
      cluster: 'c',
      kind: 'Pod',
    });
    await tick();
    expect(h.readies).toEqual(['s1']);
    expect(h.events).toEqual([
      { type: 'resync', watchId: 'w1', cluster: 'c', kind: 'Pod' },
    ]);
    expect(h.last()).toEqual({
      status: 'live',
      since: '2026-01-01T00:00:00.000Z',
    });
    h.driver.stop();
    await h.driver.done;
  });

  it('reconnects after the server closes the stream, once the backoff has passed', async () => {
    const h = harness();
    await tick();
    h.streams[0].send(ready('s1'));
    await tick();
    h.streams[0].close();
    await tick();
    expect(h.last()).toMatchObject({
      status: 'reconnecting',
      attempt: 1,
      retryAt: '2026-01-01T00:00:01.000Z',
      error: new Error('The server closed the stream'),
    });
    await tick(999);
    expect(h.open).toHaveBeenCalledTimes(1);
    await tick(1);
    expect(h.open).toHaveBeenCalledTimes(2);
    h.streams[1].send(ready('s2'));
    await tick();
    expect(h.readies).toEqual(['s1', 's2']);
    h.driver.stop();
  });

  it('backs off exponentially up to the cap while the server refuses', async () => {
    const refused = new Error('backend restarting');
    const h = harness({ open: jest.fn().mockRejectedValue(refused) });
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      await tick();
      const s = h.last();
      if (s.status !== 'reconnecting') throw new Error(`state ${s.status}`);
      expect(s.attempt).toBe(i + 1);
      expect(s.error).toBe(refused);
      const delay = Date.parse(s.retryAt) - Date.now();
      delays.push(delay);
      await tick(delay);
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 8000]);
    h.driver.stop();
  });

  it('drops a connection silent for three heartbeat intervals; heartbeats keep it', async () => {
    const h = harness();
    await tick();
    h.streams[0].send(ready('s1', 1000));
    await tick(2500);
    h.streams[0].ping();
    await tick(2500);
    expect(h.last().status).toBe('live');
    await tick(500);
    expect(h.last()).toMatchObject({ status: 'reconnecting', attempt: 1 });
    const state = h.last() as { error: Error };
    expect(state.error).toBeInstanceOf(StreamSilenceError);
    expect(state.error.message).toBe('No heartbeat from the server');
    h.driver.stop();
  });

  it('drops a connection that never answers after the default heartbeat limit', async () => {
    const h = harness({ open: () => new Promise(() => {}) });
    await tick(44_999);
    expect(h.last().status).toBe('connecting');
    await tick(1);
    expect(h.last()).toMatchObject({
      status: 'reconnecting',
      error: new StreamSilenceError(),
    });
    h.driver.stop();
  });

  it('starts the backoff over after a healthy connection, not after a flapping one', async () => {
    const h = harness();
    const attemptAfter = async (liveMs: number) => {
      const s = h.streams[h.streams.length - 1];
      s.send(ready('s'));
      await tick();
      for (let t = 0; t < liveMs; t += 500) {
        s.ping();
        await tick(500);
      }
      s.close();
      await tick();
      const state = h.last() as { attempt: number; retryAt: string };
      await tick(Date.parse(state.retryAt) - Date.now());
      return state.attempt;
    };
    await tick();
    expect(await attemptAfter(0)).toBe(1);
    expect(await attemptAfter(500)).toBe(2);
    expect(await attemptAfter(0)).toBe(3);
    expect(await attemptAfter(30_000)).toBe(1);
    h.driver.stop();
  });

  it('breaks the connection when registering on ready fails', async () => {
    const refused = new Error('Not allowed');
    const h = harness({ onReady: () => Promise.reject(refused) });
    await tick();
    h.streams[0].send(ready('s1'));
    await tick();
    expect(h.last()).toMatchObject({ status: 'reconnecting', error: refused });
    h.driver.stop();
  });

  it('stops when onDisconnect says so, and on stop, whatever it is doing', async () => {
    const disconnects: Error[] = [];
    const h = harness({
      onDisconnect: e => {
        disconnects.push(e);
        return false;
      },
    });
    await tick();
    h.streams[0].close();
    await h.driver.done;
    expect(disconnects).toHaveLength(1);
    expect(h.open).toHaveBeenCalledTimes(1);

    const refusing = jest.fn().mockRejectedValue(new Error('x'));
    const waiting = harness({ open: refusing });
    await tick();
    waiting.driver.stop();
    await waiting.driver.done;
    await tick(60_000);
    expect(refusing).toHaveBeenCalledTimes(1);

    const reading = harness();
    await tick();
    reading.streams[0].send(ready('s1'));
    await tick();
    reading.driver.stop();
    await reading.driver.done;
    reading.streams[0].send({
      type: 'resync',
      watchId: 'w1',
      cluster: '*',
      kind: '*',
    });
    await tick(60_000);
    expect(reading.events).toEqual([]);
    expect(reading.open).toHaveBeenCalledTimes(1);
    expect(jest.getTimerCount()).toBe(0);
  });
});
