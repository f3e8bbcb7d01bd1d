import type {
  ClustersStreamEvent,
  WatchRequest,
} from '@careplane/plugin-clusters-common';
import { describeError } from '../api/describeError';
import { readSseMessages } from './sse';

/**
 * State of the tab's stream connection.
 * - `idle`: no watch needs it, so it is closed;
 * - `connecting`: opening (first attempt);
 * - `live`: open, watches registered, events flowing;
 * - `reconnecting`: the connection broke; the next attempt is at `retryAt`.
 * @public
 */
export type StreamConnectionState =
  | { status: 'idle' }
  | { status: 'connecting' }
  | { status: 'live'; since: string }
  | {
      status: 'reconnecting';
      attempt: number;
      retryAt: string;
      error?: string;
    };

/**
 * Receives the events of one watch. After the watch is registered on a (new) stream it receives
 * a `resync` with cluster and kind `*`: whatever it shows may have missed events, refetch.
 * @public
 */
export type ClustersStreamListener = (event: ClustersStreamEvent) => void;

/**
 * What the stream needs from the HTTP client.
 * @internal
 */
export interface ClustersStreamTransport {
  /** Opens `GET /v1/stream`; rejects with the server's error on a non-2xx answer. */
  open(signal: AbortSignal): Promise<Response>;
  putWatch(streamId: string, watchId: string, request: WatchRequest): Promise<void>;
  deleteWatch(streamId: string, watchId: string): Promise<void>;
}

/**
 * Timings of {@link ClustersStream}.
 * @internal
 */
export interface ClustersStreamOptions {
  /** First reconnect delay; doubles per failed attempt. Default 1 s. */
  initialBackoffMs?: number;
  /** Longest reconnect delay. Default 30 s. */
  maxBackoffMs?: number;
  /** Close the connection this long after its last watch stopped. Default 10 s. */
  idleCloseMs?: number;
  /** A stream silent for this many heartbeat intervals is treated as dead. Default 3. */
  missedHeartbeats?: number;
  /** Random source for jitter (tests pass a constant). */
  random?: () => number;
}

interface WatchEntry {
  request: WatchRequest;
  listener: ClustersStreamListener;
  onError?: (error: Error) => void;
}

/**
 * The single SSE connection of a browser tab, multiplexing every watch of every hook (one
 * stream per tab, the Headlamp lesson; EventSource cannot carry the Backstage token, so this
 * reads a streamed `fetch` body). Reconnects with exponential backoff and jitter, re-registers
 * the watches on the new stream and tells each of them to resync.
 * @internal
 */
export class ClustersStream {
  private readonly watches = new Map<string, WatchEntry>();
  private readonly stateListeners = new Set<
    (state: StreamConnectionState) => void
  >();
  private state: StreamConnectionState = { status: 'idle' };
  private nextWatchId = 1;
  private controller?: AbortController;
  private streamId?: string;
  private idleTimer?: ReturnType<typeof setTimeout>;
  private readonly opts: Required<ClustersStreamOptions>;

  constructor(
    private readonly transport: ClustersStreamTransport,
    options: ClustersStreamOptions = {},
  ) {
    this.opts = {
      initialBackoffMs: options.initialBackoffMs ?? 1000,
      maxBackoffMs: options.maxBackoffMs ?? 30_000,
      idleCloseMs: options.idleCloseMs ?? 10_000,
      missedHeartbeats: options.missedHeartbeats ?? 3,
      random: options.random ?? Math.random,
    };
  }

  /** The current connection state. */
  getState(): StreamConnectionState {
    return this.state;
  }

  /** Follows the connection state; returns an unsubscribe function. */
  onState(listener: (state: StreamConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    listener(this.state);
    return () => {
      this.stateListeners.delete(listener);
    };
  }

  /** Adds a watch; opens the connection if needed. */
  watch(
    request: WatchRequest,
    listener: ClustersStreamListener,
    onError?: (error: Error) => void,
  ): { unsubscribe(): void } {
    const watchId = `w${this.nextWatchId++}`;
    this.watches.set(watchId, { request, listener, onError });
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.idleTimer = undefined;
    }
    if (!this.controller) {
      this.start();
    } else if (this.streamId) {
      this.register(this.streamId, watchId);
    }
    return {
      unsubscribe: () => {
        if (!this.watches.delete(watchId)) return;
        const streamId = this.streamId;
        if (streamId) {
          // best effort: the server drops the watch with the stream anyway
          this.transport.deleteWatch(streamId, watchId).catch(() => {});
        }
        if (this.watches.size === 0) this.scheduleIdleClose();
      },
    };
  }

  /** Closes the connection now (e.g. on sign-out). Watches stay and reopen it when re-added. */
  close() {
    this.controller?.abort();
    this.controller = undefined;
    this.streamId = undefined;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    this.setState({ status: 'idle' });
  }

  private scheduleIdleClose() {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    // a short grace period, so navigating between tabs of a page does not reconnect
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.watches.size === 0) this.close();
    }, this.opts.idleCloseMs);
  }

  private setState(state: StreamConnectionState) {
    this.state = state;
    this.stateListeners.forEach(l => l(state));
  }

  private register(streamId: string, watchId: string) {
    const entry = this.watches.get(watchId);
    if (!entry) return;
    this.transport.putWatch(streamId, watchId, entry.request).then(
      () => {
        // only if the stream is still the one the watch was put on
        if (this.streamId === streamId && this.watches.get(watchId) === entry) {
          entry.listener({ type: 'resync', watchId, cluster: '*', kind: '*' });
        }
      },
      error => {
        if (this.watches.get(watchId) === entry) entry.onError?.(error);
      },
    );
  }

  private start() {
    const controller = new AbortController();
    this.controller = controller;
    this.setState({ status: 'connecting' });
    this.run(controller.signal);
  }

  private async run(signal: AbortSignal) {
    let attempt = 0;
    while (!signal.aborted) {
      let lastError: Error | undefined;
      let wasLive = false;
      // a per-connection controller, so a silent connection can be dropped without stopping
      const connection = new AbortController();
      const onAbort = () => connection.abort();
      signal.addEventListener('abort', onAbort);
      let watchdog: ReturnType<typeof setTimeout> | undefined;
      let heartbeatMs = 0;
      const feed = () => {
        if (!heartbeatMs) return;
        if (watchdog) clearTimeout(watchdog);
        watchdog = setTimeout(
          () => connection.abort(),
          heartbeatMs * this.opts.missedHeartbeats,
        );
      };
      try {
        const res = await this.transport.open(connection.signal);
        if (!res.body) throw new Error('The stream has no body');
        for await (const message of readSseMessages(res.body, feed)) {
          let event: ClustersStreamEvent;
          try {
            event = JSON.parse(message.data);
          } catch {
            continue; // not ours; keep the stream
          }
          if (event.type === 'ready') {
            this.streamId = event.streamId;
            heartbeatMs = event.heartbeatMs;
            feed();
            wasLive = true;
            attempt = 0;
            this.setState({ status: 'live', since: new Date().toISOString() });
            for (const watchId of this.watches.keys()) {
              this.register(event.streamId, watchId);
            }
          } else {
            this.watches.get(event.watchId)?.listener(event);
          }
        }
        lastError = new Error('The server closed the stream');
      } catch (e) {
        lastError = e as Error;
      } finally {
        if (watchdog) clearTimeout(watchdog);
        signal.removeEventListener('abort', onAbort);
        this.streamId = undefined;
      }
      if (signal.aborted) return;
      if (!wasLive) attempt++;
      else attempt = 1;
      const base = Math.min(
        this.opts.maxBackoffMs,
        this.opts.initialBackoffMs * 2 ** (attempt - 1),
      );
      // full jitter on half the delay, so tabs do not reconnect in lockstep after a restart
      const delayMs = Math.round(base / 2 + (base / 2) * this.opts.random());
      this.setState({
        status: 'reconnecting',
        attempt,
        retryAt: new Date(Date.now() + delayMs).toISOString(),
        error: connection.signal.aborted
          ? 'No heartbeat from the server'
          : lastError && describeError(lastError),
      });
      await new Promise<void>(resolve => {
        const timer = setTimeout(resolve, delayMs);
        signal.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            resolve();
          },
          { once: true },
        );
      });
    }
  }
}
