import { CustomErrorBase } from '@backstage/errors';

/**
 * A caller went over their per-minute allowance. Answered as HTTP 429.
 * @internal
 */
export class RateLimitedError extends CustomErrorBase {
  readonly statusCode = 429;
}

/**
 * Per-caller sliding-window limits (per backend instance): at most `perMinute` calls of a bucket
 * in any 60 s. Keeps one signed-in person from flooding a cluster (or the audit table) with
 * writes or log reads.
 * @internal
 */
export class RateLimiter {
  private readonly calls = new Map<string, number[]>();

  constructor(
    private readonly limits: Record<string, number>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a call of `actor` in `bucket`, or throws when over the limit. */
  take(bucket: string, actor: string): void {
    const limit = this.limits[bucket];
    if (!limit) return;
    const key = `${bucket}\u0000${actor}`;
    const now = this.now();
    const recent = (this.calls.get(key) ?? []).filter(t => now - t < 60_000);
    if (recent.length >= limit) {
      this.calls.set(key, recent);
      const waitS = Math.ceil((60_000 - (now - recent[0])) / 1000);
      throw new RateLimitedError(
        `Too many ${bucket} requests: at most ${limit} a minute per person (clusters.rateLimit); try again in ${waitS} s`,
      );
    }
    recent.push(now);
    this.calls.set(key, recent);
    if (this.calls.size > 10_000) this.prune(now);
  }

  private prune(now: number) {
    for (const [key, times] of this.calls) {
      if (times.every(t => now - t >= 60_000)) this.calls.delete(key);
    }
  }
}
