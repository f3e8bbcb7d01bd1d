import {
  ClustersRoutes,
  ClustersStreamEvent,
  ReconnectPolicyOptions,
  RouteClient,
  runClustersStream,
  SseSource,
  WatchRequest,
} from '@careplane/plugin-clusters-common';
import type { ClustersSubscription } from '../types';

/**
 * The HTTP calls a subscription makes to clusters-backend.
 * @internal
 */
export interface StreamTransport {
  /**
   * `GET /v1/stream` with a fresh token on behalf of the caller (called again on every
   * reconnect); rejects with the server's error on a non-2xx answer.
   */
  open(signal: AbortSignal): Promise<SseSource>;
  /** `PUT /v1/stream/:streamId/watches/:watchId`. */
  putWatch(
    streamId: string,
    watchId: string,
    request: WatchRequest,
  ): Promise<void>;
}

/**
 * The stream's routes of the contract, over the client's route client (which takes a fresh token
 * on every call, so a reconnect never uses an expired one, and throws `ResponseError` on non-2xx).
 * @internal
 */
export function streamTransport(
  routes: RouteClient<ClustersRoutes>,
): StreamTransport {
  return {
    async open(signal) {
      const res = await routes.open('GET', '/v1/stream', undefined, {
        signal,
        accept: 'text/event-stream',
      });
      if (!res.body) throw new Error('The stream has no body');
      return res.body;
    },
    async putWatch(streamId, watchId, request) {
      await routes.call('PUT', '/v1/stream/:streamId/watches/:watchId', {
        params: { streamId, watchId },
        body: request,
      });
    },
  };
}

const WATCH_ID = 'w1';

/**
 * One watch on its own stream, run by the shared protocol driver of clusters-common (heartbeat
 * watchdog, full-jitter backoff). `ready` resolves once the watch is registered on the first
 * stream and rejects if that first connection fails (nothing is retried then: the caller
 * decides). After every later reconnect the watch is registered again and the listener gets a
 * `resync` with `cluster` and `kind` set to `*`.
 * @internal
 */
export function subscribeToStream(
  transport: StreamTransport,
  request: WatchRequest,
  listener: (event: ClustersStreamEvent) => void,
  policy?: ReconnectPolicyOptions,
): ClustersSubscription {
  let resolveReady: () => void = () => {};
  let rejectReady: (e: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  ready.catch(() => {}); // callers that ignore `ready` must not see an unhandled rejection
  let connectedOnce = false;

  const driver = runClustersStream({
    open: signal => transport.open(signal),
    onReady: async ({ streamId }) => {
      await transport.putWatch(streamId, WATCH_ID, request);
      if (connectedOnce) {
        listener({
          type: 'resync',
          watchId: WATCH_ID,
          cluster: '*',
          kind: '*',
        });
      }
      connectedOnce = true;
      resolveReady();
    },
    onEvent: listener,
    onDisconnect: error => {
      if (connectedOnce) return true;
      rejectReady(error);
      return false;
    },
    policy,
  });
  return { ready, unsubscribe: () => driver.stop() };
}
