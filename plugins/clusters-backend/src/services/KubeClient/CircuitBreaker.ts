import type { ClusterCircuitState } from '@careplane/plugin-clusters-common';

/**
 * Per-cluster circuit breaker: after `failureThreshold` consecutive failures the circuit opens
 * and calls fail fast for `cooldownMs`; then one probe is let through (half-open), and its
 * outcome closes or re-opens the circuit.
 * @internal
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt?: number;
  private probing = false;

  constructor(
    private readonly options: { failureThreshold: number; cooldownMs: number },
    private readonly now: () => number = Date.now,
  ) {}

  get state(): ClusterCircuitState {
    if (this.openedAt === undefined) return 'closed';
    return this.now() - this.openedAt >= this.options.cooldownMs
      ? 'half-open'
      : 'open';
  }

  /** Milliseconds until a probe is allowed (0 when closed or half-open). */
  get retryInMs(): number {
    if (this.openedAt === undefined) return 0;
    return Math.max(0, this.options.cooldownMs - (this.now() - this.openedAt));
  }

  /**
   * Whether a call may go out now. A `force`d call (the cluster probe) always goes out: it is the
   * half-open trial, so a cluster that answers again closes the circuit at the next probe instead
   * of after the cooldown.
   */
  tryAcquire(force = false): boolean {
    if (force) return true;
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'half-open' && !this.probing) {
      this.probing = true;
      return true;
    }
    return false;
  }

  onSuccess() {
    this.failures = 0;
    this.openedAt = undefined;
    this.probing = false;
  }

  onFailure() {
    this.failures++;
    if (this.probing || this.failures >= this.options.failureThreshold) {
      this.openedAt = this.now();
    }
    this.probing = false;
  }
}
