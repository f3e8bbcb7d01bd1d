import { STREAM_HEARTBEAT_MS, STREAM_MISSED_HEARTBEATS } from './constants';

/**
 * Timings of a stream's reconnects.
 * @public
 */
export interface ReconnectPolicyOptions {
  /** Upper bound of the first reconnect delay; doubles per failed attempt. Default 1 s. */
  initialBackoffMs?: number;
  /** Longest reconnect delay. Default 30 s. */
  maxBackoffMs?: number;
  /**
   * A connection that stayed live (after `ready`) this long was healthy: the next failure starts
   * the backoff over. A connection that breaks sooner keeps backing off. Default 30 s.
   */
  healthyAfterMs?: number;
  /** A stream silent for this many heartbeat intervals is treated as dead. Default 3. */
  missedHeartbeats?: number;
  /** Random source in [0, 1) for the jitter (tests pass a constant). */
  random?: () => number;
}

/**
 * {@link ReconnectPolicyOptions} with every default filled in.
 * @public
 */
export type ReconnectPolicy = Required<ReconnectPolicyOptions>;

/**
 * The policy with its defaults.
 * @public
 */
export function reconnectPolicy(
  options: ReconnectPolicyOptions = {},
): ReconnectPolicy {
  return {
    initialBackoffMs: options.initialBackoffMs ?? 1000,
    maxBackoffMs: options.maxBackoffMs ?? 30_000,
    healthyAfterMs: options.healthyAfterMs ?? 30_000,
    missedHeartbeats: options.missedHeartbeats ?? STREAM_MISSED_HEARTBEATS,
    random: options.random ?? Math.random,
  };
}

/**
 * The delay before reconnect attempt `attempt` (1 for the first): "full jitter", a uniform
 * random delay between 0 and `min(max, initial × 2^(attempt-1))`, so that the tabs and backends
 * that lost the same server do not come back in lockstep.
 * @public
 */
export function backoffDelayMs(
  policy: ReconnectPolicy,
  attempt: number,
): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  const ceiling = Math.min(
    policy.maxBackoffMs,
    policy.initialBackoffMs * 2 ** exponent,
  );
  return Math.round(ceiling * policy.random());
}

/**
 * The attempt number after a connection ended: 1 when it had been live for `healthyAfterMs`
 * (`liveForMs`, undefined when it never became live), otherwise one more than before.
 * @public
 */
export function nextAttempt(
  policy: ReconnectPolicy,
  previousAttempt: number,
  liveForMs: number | undefined,
): number {
  if (liveForMs !== undefined && liveForMs >= policy.healthyAfterMs) return 1;
  return previousAttempt + 1;
}

/**
 * How long a connection may stay silent (no byte, heartbeats included) before it is dropped:
 * `missedHeartbeats` × the server's heartbeat interval (the default one until `ready` said it).
 * @public
 */
export function silenceLimitMs(
  policy: ReconnectPolicy,
  heartbeatMs: number = STREAM_HEARTBEAT_MS,
): number {
  return policy.missedHeartbeats * heartbeatMs;
}
