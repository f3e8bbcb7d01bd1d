import {
  ClustersStreamEvent,
  runClustersStream,
  StreamDriver,
  StreamDriverState,
  WatchRequest,
} from '@careplane/plugin-clusters-common';
import { describeError } from '../api/describeError';

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
  putWatch(
    streamId: string,
    watchId: string,
    request: WatchRequest,
  ): Promise<void>;
  deleteWatch(streamId: string, watchId: string): Promise<void>;
}

/**
 * Timings of {@link ClustersStream}.
 * @internal
 */
export interface ClustersStreamOptions {
  /** Upper bound of the first reconnect delay (full jitter); doubles per failed attempt. Default 1 s. */
  initialBackoffMs?: number;
  /** Longest reconnect delay. Default 30 s. */
  maxBackoffMs?: number;
  /** A connection live this long was healthy: the next failure starts the backoff over. Default 30 s. */
  healthyAfterMs?: number;
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
 * reads a streamed `fetch` body). The protocol (parsing, heartbeat watchdog, reconnects with
 * full-jitter backoff) is `runClustersStream` of clusters-common; this class multiplexes the
 * watches: it registers them on every new stream and tells each of them to resync.
 * @internal
 */
export class ClustersStream {
  private readonly watches = new Map<string, WatchEntry>();
  private readonly stateListeners = new Set<
    (state: StreamConnectionState) => void
  >();
  private state: StreamConnectionState = { status: 'idle' };
  private nextWatchId = 1;
  private driver?: StreamDriver;
  private streamId?: string;
  private idleTimer?: ReturnType<typeof setTimeout>;
  private readonly idleCloseMs: number;

  constructor(
    private readonly transport: ClustersStreamTransport,
    private readonly options: ClustersStreamOptions = {},
  ) {
    this.idleCloseMs = options.idleCloseMs ?? 10_000;
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
    if (!this.driver) {
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
    this.driver?.stop();
    this.driver = undefined;
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
    }, this.idleCloseMs);
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
    this.driver = runClustersStream({
      open: async signal => {
        const res = await this.transport.open(signal);
        if (!res.body) throw new Error('The stream has no body');
        return res.body;
      },
      onReady: ({ streamId }) => {
        this.streamId = streamId;
        for (const watchId of this.watches.keys()) {
          this.register(streamId, watchId);
        }
      },
      onEvent: event => this.watches.get(event.watchId)?.listener(event),
      onDisconnect: () => {
        this.streamId = undefined;
      },
      onState: state => this.setState(toConnectionState(state)),
      policy: this.options,
    });
  }
}

function toConnectionState(state: StreamDriverState): StreamConnectionState {
  if (state.status !== 'reconnecting') return state;
  return { ...state, error: describeError(state.error) };
}
