import { Rng } from './util';

/** Faults injected into one simulated cluster's API. */
export interface FaultConfig {
  /** Added latency for every matching request, in (real) milliseconds. */
  latencyMs?: number;
  /** Uniform random extra latency in [0, jitterMs). */
  jitterMs?: number;
  /** Fraction (0..1) of matching requests answered with `errorCode`. */
  errorRate?: number;
  /** HTTP status for injected errors (default 500). */
  errorCode?: number;
  /** Fraction (0..1) of matching requests answered 429 TooManyRequests. */
  throttleRate?: number;
  /** Seconds sent in Retry-After with 429s (default 1). */
  retryAfterSeconds?: number;
  /** The API server is unreachable: its listener is closed (connection refused). */
  down?: boolean;
  /** The API server accepts connections but never answers. */
  hang?: boolean;
  /** Watches are closed by the server after this many (real) milliseconds. */
  dropWatchesAfterMs?: number;
  /** Restricts latency/error/throttle/hang faults to matching requests. */
  match?: {
    verbs?: string[];
    /** Resources as `plural` or `plural.group`. */
    resources?: string[];
    pathPrefix?: string;
  };
}

/** What the API layer should do with one request. */
export interface FaultDecision {
  delayMs: number;
  hang: boolean;
  error?: {
    code: number;
    reason: string;
    message: string;
    retryAfterSeconds?: number;
  };
}

type WatchCloser = (mode: 'close' | 'reset') => void;

/**
 * Fault state of one cluster. The HTTP server and the msw handlers both
 * consult it; listeners are told when the cluster goes down or comes back.
 */
export class ClusterFaults {
  private config: FaultConfig = {};
  private readonly watches = new Set<WatchCloser>();
  private readonly listeners = new Set<(config: FaultConfig) => void>();
  private readonly rng: Rng;

  constructor(seed: number) {
    this.rng = new Rng(seed ^ 0x5eed);
  }

  get current(): FaultConfig {
    return { ...this.config };
  }

  /** Replaces the fault configuration. */
  set(config: FaultConfig): void {
    this.config = { ...config };
    for (const l of [...this.listeners]) l(this.current);
  }

  /** Merges into the fault configuration. */
  update(config: FaultConfig): void {
    this.set({ ...this.config, ...config });
  }

  /** Removes all faults. */
  clear(): void {
    this.set({});
  }

  onChange(listener: (config: FaultConfig) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Registers an open watch so that it can be dropped; returns its deregistration. */
  registerWatch(closer: WatchCloser): () => void {
    this.watches.add(closer);
    return () => this.watches.delete(closer);
  }

  /** Number of watches currently open. */
  get openWatches(): number {
    return this.watches.size;
  }

  /**
   * Drops every open watch. `close` ends the stream like a server-side
   * timeout; `reset` destroys the connection mid-stream.
   */
  dropWatches(mode: 'close' | 'reset' = 'close'): number {
    const all = [...this.watches];
    this.watches.clear();
    for (const c of all) c(mode);
    return all.length;
  }

  private matches(
    verb: string,
    resource: string | undefined,
    path: string,
  ): boolean {
    const m = this.config.match;
    if (!m) return true;
    if (m.verbs && !m.verbs.includes(verb)) return false;
    if (
      m.resources &&
      (!resource ||
        !m.resources.some(r => r === resource || resource.startsWith(`${r}.`)))
    )
      return false;
    if (m.pathPrefix && !path.startsWith(m.pathPrefix)) return false;
    return true;
  }

  /** Decides what happens to a request. */
  decide(
    verb: string,
    resource: string | undefined,
    path: string,
  ): FaultDecision {
    const c = this.config;
    const decision: FaultDecision = { delayMs: 0, hang: false };
    if (!this.matches(verb, resource, path)) return decision;
    decision.delayMs =
      (c.latencyMs ?? 0) + (c.jitterMs ? this.rng.next() * c.jitterMs : 0);
    decision.hang = !!c.hang;
    if (c.throttleRate && this.rng.next() < c.throttleRate) {
      const retry = c.retryAfterSeconds ?? 1;
      decision.error = {
        code: 429,
        reason: 'TooManyRequests',
        message:
          'the server has received too many requests and has asked us to try again later',
        retryAfterSeconds: retry,
      };
    } else if (c.errorRate && this.rng.next() < c.errorRate) {
      const code = c.errorCode ?? 500;
      decision.error = {
        code,
        reason:
          code === 503
            ? 'ServiceUnavailable'
            : code === 504
            ? 'Timeout'
            : 'InternalError',
        message:
          code === 503
            ? 'the server is currently unable to handle the request'
            : 'an error on the server ("simulated fault") has prevented the request from succeeding',
      };
    }
    return decision;
  }
}
