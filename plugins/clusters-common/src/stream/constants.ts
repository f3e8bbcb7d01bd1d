/**
 * Default interval of the stream's heartbeat comments (`: ping`), in milliseconds. clusters-backend
 * uses it when `clusters.stream.heartbeatInterval` is not configured; the clients use it until the
 * server's `ready` event says the configured one.
 * @public
 */
export const STREAM_HEARTBEAT_MS = 15_000;

/**
 * A stream that sends no byte for this many heartbeat intervals is treated as dead and reconnected.
 * @public
 */
export const STREAM_MISSED_HEARTBEATS = 3;
