import type { ClustersStreamEvent } from '..';
import { readSseEvents, SseSource } from './readSse';
import {
  backoffDelayMs,
  nextAttempt,
  reconnectPolicy,
  ReconnectPolicy,
  ReconnectPolicyOptions,
  silenceLimitMs,
} from './reconnectPolicy';

/**
 * The `ready` event that opens every stream.
 * @public
 */
export type StreamReadyEvent = Extract<ClustersStreamEvent, { type: 'ready' }>;

/**
 * The events of a stream's watches (everything but `ready`).
 * @public
 */
export type StreamWatchEvent = Exclude<ClustersStreamEvent, { type: 'ready' }>;

/**
 * Where a {@link runClustersStream} driver is: opening its first connection, live (since the
 * last `ready`), or waiting until `retryAt` after `error` broke the connection.
 * @public
 */
export type StreamDriverState =
  | { status: 'connecting' }
  | { status: 'live'; since: string }
  | { status: 'reconnecting'; attempt: number; retryAt: string; error: Error };

/**
 * What a {@link runClustersStream} driver needs from its client.
 * @public
 */
export interface StreamDriverOptions {
  /**
   * Opens `GET /v1/stream` and resolves with its body; rejects with the server's error on a
   * non-2xx answer. Called again for every reconnect (so a fresh token can be taken).
   */
  open(signal: AbortSignal): Promise<SseSource>;
  /**
   * The connection is open: register the watches on `ready.streamId`. A rejection breaks the
   * connection with that error. Events are not read until it settles.
   */
  onReady(ready: StreamReadyEvent, signal: AbortSignal): void | Promise<void>;
  /** An event of a watch. */
  onEvent(event: StreamWatchEvent): void;
  /**
   * A connection ended (not by `stop`) with `error`. Return `false` to stop instead of
   * reconnecting.
   */
  onDisconnect?(error: Error): boolean | void;
  /** Follows the driver's state. */
  onState?(state: StreamDriverState): void;
  policy?: ReconnectPolicyOptions;
}

/**
 * A running driver.
 * @public
 */
export interface StreamDriver {
  /** Closes the connection and stops reconnecting. */
  stop(): void;
  /** Settles once the driver stopped (by `stop` or `onDisconnect` returning false). */
  done: Promise<void>;
}

/**
 * The error of a connection that sent nothing, not even a heartbeat, for
 * `missedHeartbeats` × the heartbeat interval.
 * @public
 */
export class StreamSilenceError extends Error {
  constructor() {
    super('No heartbeat from the server');
    this.name = 'StreamSilenceError';
  }
}

function abortedPromise(signal: AbortSignal): Promise<never> {
  const promise = new Promise<never>((_, reject) => {
    const fail = () => reject(new Error('The connection was closed'));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
  promise.catch(() => {}); // only ever raced
  return promise;
}

/** `iterable`, ending with an error as soon as `aborted` settles, whatever its source does. */
async function* untilAborted<T>(
  iterable: AsyncIterable<T>,
  aborted: Promise<never>,
): AsyncGenerator<T> {
  const iterator = iterable[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), aborted]);
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    // not awaited: a source that ignores the abort may never settle its pending read
    if (!finished) iterator.return?.().catch(() => {});
  }
}

function toError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

/** One connection, from `open` to its end; what broke it and since when it was live. */
async function connectOnce(
  options: StreamDriverOptions,
  policy: ReconnectPolicy,
  stop: AbortSignal,
): Promise<{ error: Error; liveSince?: number }> {
  const connection = new AbortController();
  const onStop = () => connection.abort();
  stop.addEventListener('abort', onStop);
  const aborted = abortedPromise(connection.signal);
  let silent = false;
  let limitMs = silenceLimitMs(policy);
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  const feed = () => {
    if (watchdog) clearTimeout(watchdog);
    watchdog = setTimeout(() => {
      silent = true;
      connection.abort();
    }, limitMs);
  };
  let liveSince: number | undefined;
  try {
    feed(); // a server that never answers is as dead as one that stops
    const source = await Promise.race([
      options.open(connection.signal),
      aborted,
    ]);
    for await (const message of untilAborted(
      readSseEvents(source, feed),
      aborted,
    )) {
      let event: ClustersStreamEvent;
      try {
        event = JSON.parse(message.data);
      } catch {
        continue; // not ours; keep the stream
      }
      if (!event || typeof event !== 'object') continue;
      if (event.type === 'ready') {
        if (Number.isFinite(event.heartbeatMs) && event.heartbeatMs > 0) {
          limitMs = silenceLimitMs(policy, event.heartbeatMs);
        }
        feed();
        liveSince = Date.now();
        options.onState?.({
          status: 'live',
          since: new Date(liveSince).toISOString(),
        });
        await Promise.race([
          options.onReady(event, connection.signal),
          aborted,
        ]);
      } else {
        options.onEvent(event);
      }
    }
    return { error: new Error('The server closed the stream'), liveSince };
  } catch (e) {
    return { error: silent ? new StreamSilenceError() : toError(e), liveSince };
  } finally {
    if (watchdog) clearTimeout(watchdog);
    stop.removeEventListener('abort', onStop);
    connection.abort(); // releases the response body
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

async function loop(
  options: StreamDriverOptions,
  policy: ReconnectPolicy,
  stop: AbortSignal,
): Promise<void> {
  let attempt = 0;
  options.onState?.({ status: 'connecting' });
  while (!stop.aborted) {
    const { error, liveSince } = await connectOnce(options, policy, stop);
    if (stop.aborted) return;
    if (options.onDisconnect?.(error) === false) return;
    attempt = nextAttempt(
      policy,
      attempt,
      liveSince === undefined ? undefined : Date.now() - liveSince,
    );
    const delayMs = backoffDelayMs(policy, attempt);
    options.onState?.({
      status: 'reconnecting',
      attempt,
      retryAt: new Date(Date.now() + delayMs).toISOString(),
      error,
    });
    await sleep(delayMs, stop);
  }
}

/**
 * Runs the client side of the clusters stream protocol over an injected `open`, in the browser
 * and in Node alike: parses the SSE body, hands `ready` and the watch events to the client, drops
 * a connection that stays silent for `missedHeartbeats` × the server's heartbeat interval, and
 * reconnects with full-jitter exponential backoff that starts over after a healthy connection.
 * What to do after a reconnect (register the watches again, tell them to resync) is the
 * client's, in `onReady`.
 * @public
 */
export function runClustersStream(options: StreamDriverOptions): StreamDriver {
  const stopper = new AbortController();
  const done = loop(options, reconnectPolicy(options.policy), stopper.signal);
  return { stop: () => stopper.abort(), done };
}
