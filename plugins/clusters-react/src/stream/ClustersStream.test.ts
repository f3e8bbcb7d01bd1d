/**
 * @jest-environment node
 */
import type { ClustersStreamEvent } from '@careplane/plugin-clusters-common';
import { ClustersStream, StreamConnectionState } from './ClustersStream';

/** A `/v1/stream` response the test writes to. */
function response() {
  let body!: ReadableStreamDefaultController<Uint8Array>;
  const res = new Response(
    new ReadableStream<Uint8Array>({
      start: c => {
        body = c;
      },
    }),
  );
  const send = (e: ClustersStreamEvent) =>
    body.enqueue(new TextEncoder().encode(`data: ${JSON.stringify(e)}\n\n`));
  return { res, send };
}

const tick = (ms = 0) => jest.advanceTimersByTimeAsync(ms);

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('ClustersStream', () => {
  it('says a silent server is why it reconnects, then registers the watch again and resyncs', async () => {
    const opened: Array<ReturnType<typeof response>> = [];
    const puts: string[] = [];
    const stream = new ClustersStream(
      {
        open: async () => {
          const r = response();
          opened.push(r);
          r.send({
            type: 'ready',
            streamId: `s${opened.length}`,
            heartbeatMs: 1000,
          });
          return r.res;
        },
        putWatch: async (streamId, watchId) => {
          puts.push(`${streamId}/${watchId}`);
        },
        deleteWatch: async () => {},
      },
      { random: () => 1, idleCloseMs: 0 },
    );
    const states: StreamConnectionState[] = [];
    stream.onState(s => states.push(s));
    const events: ClustersStreamEvent[] = [];
    const watch = stream.watch(
      { entityRef: 'component:default/x', kinds: ['Pod'] },
      e => events.push(e),
    );
    await tick();
    expect(stream.getState().status).toBe('live');
    expect(events).toHaveLength(1);

    await tick(3000); // three heartbeat intervals without a byte
    expect(states[states.length - 1]).toMatchObject({
      status: 'reconnecting',
      attempt: 1,
      error: 'No heartbeat from the server',
    });
    await tick(1000);
    expect(puts).toEqual(['s1/w1', 's2/w1']);
    expect(events.map(e => e.type)).toEqual(['resync', 'resync']);
    expect(stream.getState().status).toBe('live');

    watch.unsubscribe();
    await tick(0);
    expect(stream.getState()).toEqual({ status: 'idle' });
    expect(jest.getTimerCount()).toBe(0);
  });
});
