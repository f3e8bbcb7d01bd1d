import { RateLimitedError, RateLimiter } from './RateLimiter';

/** A clock the test moves by hand. */
function manualClock(start = 1_700_000_000_000) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the call to throw');
}

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';

describe('RateLimiter', () => {
  it.each([[1], [3], [30]])('allows %i calls a minute, then refuses', limit => {
    const clock = manualClock();
    const limiter = new RateLimiter({ write: limit }, clock.now);
    for (let i = 0; i < limit; i++) {
      expect(() => limiter.take('write', ALICE)).not.toThrow();
    }
    const error = errorOf(() => limiter.take('write', ALICE));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.name).toBe('RateLimitedError');
    expect((error as RateLimitedError).statusCode).toBe(429);
    expect(error.message).toBe(
      `Too many write requests: at most ${limit} a minute per person (clusters.rateLimit); try again in 60 s`,
    );
  });

  it.each<[number, number]>([
    [1_000, 59],
    [10_000, 50],
    [59_001, 1],
    [59_999, 1],
  ])(
    'says how long to wait, %i ms after the first call: %i s',
    (after, wait) => {
      const clock = manualClock();
      const limiter = new RateLimiter({ logs: 2 }, clock.now);
      limiter.take('logs', ALICE);
      clock.advance(after);
      limiter.take('logs', ALICE);
      expect(() => limiter.take('logs', ALICE)).toThrow(
        `try again in ${wait} s`,
      );
    },
  );

  it('allows calls again 60 s after the first one', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ write: 2 }, clock.now);
    limiter.take('write', ALICE);
    clock.advance(30_000);
    limiter.take('write', ALICE);
    clock.advance(29_999);
    expect(() => limiter.take('write', ALICE)).toThrow(RateLimitedError);
    clock.advance(1);
    // the first call is now 60 s old; the second still counts
    expect(() => limiter.take('write', ALICE)).not.toThrow();
    expect(() => limiter.take('write', ALICE)).toThrow('try again in 30 s');
    clock.advance(60_000);
    expect(() => limiter.take('write', ALICE)).not.toThrow();
    expect(() => limiter.take('write', ALICE)).not.toThrow();
  });

  it('does not count refused calls', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ write: 1 }, clock.now);
    limiter.take('write', ALICE);
    for (let i = 0; i < 10; i++) {
      clock.advance(5_000);
      expect(() => limiter.take('write', ALICE)).toThrow(RateLimitedError);
    }
    clock.advance(10_000);
    expect(() => limiter.take('write', ALICE)).not.toThrow();
  });

  it('keeps buckets apart', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ write: 1, logs: 1 }, clock.now);
    limiter.take('write', ALICE);
    expect(() => limiter.take('logs', ALICE)).not.toThrow();
    expect(() => limiter.take('write', ALICE)).toThrow(
      'Too many write requests',
    );
    expect(() => limiter.take('logs', ALICE)).toThrow('Too many logs requests');
  });

  it('keeps people apart', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ write: 1 }, clock.now);
    limiter.take('write', ALICE);
    expect(() => limiter.take('write', BOB)).not.toThrow();
    expect(() => limiter.take('write', ALICE)).toThrow(RateLimitedError);
    expect(() => limiter.take('write', BOB)).toThrow(RateLimitedError);
  });

  it('does not mix up a bucket and actor that concatenate alike', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ a: 1, ab: 1 }, clock.now);
    limiter.take('a', 'bc');
    expect(() => limiter.take('ab', 'c')).not.toThrow();
  });

  it.each<[string, Record<string, number>]>([
    ['a limit of 0', { write: 0 }],
    ['a bucket without a limit', { logs: 1 }],
  ])('does not limit %s', (_what, limits) => {
    const clock = manualClock();
    const limiter = new RateLimiter(limits, clock.now);
    for (let i = 0; i < 1_000; i++) {
      expect(() => limiter.take('write', ALICE)).not.toThrow();
    }
  });

  it('uses the real clock by default', () => {
    const limiter = new RateLimiter({ write: 1 });
    limiter.take('write', ALICE);
    expect(() => limiter.take('write', ALICE)).toThrow(/try again in 60 s/);
  });

  it('keeps limiting after many people have called', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ write: 1 }, clock.now);
    limiter.take('write', ALICE);
    for (let i = 0; i < 10_050; i++) {
      limiter.take('write', `user:default/u${i}`);
    }
    expect(() => limiter.take('write', ALICE)).toThrow(RateLimitedError);
  });
});
