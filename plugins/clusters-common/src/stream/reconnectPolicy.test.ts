import {
  backoffDelayMs,
  nextAttempt,
  reconnectPolicy,
  silenceLimitMs,
} from './reconnectPolicy';

describe('backoffDelayMs', () => {
  const at = (random: number) =>
    reconnectPolicy({
      initialBackoffMs: 1000,
      maxBackoffMs: 30_000,
      random: () => random,
    });

  it.each([
    [1, 1, 1000],
    [2, 1, 2000],
    [3, 1, 4000],
    [5, 1, 16_000],
    [6, 1, 30_000],
    [100, 1, 30_000],
    [3, 0.5, 2000],
    [3, 0, 0],
    [6, 0.25, 7500],
  ])('attempt %p with random %p waits %p ms', (attempt, random, expected) => {
    expect(backoffDelayMs(at(random), attempt)).toBe(expected);
  });

  it('defaults to 1 s doubling to 30 s', () => {
    const policy = reconnectPolicy({ random: () => 1 });
    expect([1, 2, 6].map(a => backoffDelayMs(policy, a))).toEqual([
      1000, 2000, 30_000,
    ]);
  });
});

describe('nextAttempt', () => {
  const policy = reconnectPolicy({ healthyAfterMs: 30_000 });
  it.each<[string, number, number | undefined, number]>([
    ['first failure to connect', 0, undefined, 1],
    ['another failure to connect', 3, undefined, 4],
    ['a connection that broke right after ready keeps backing off', 3, 500, 4],
    ['a connection live for the healthy period starts over', 5, 30_000, 1],
  ])('%s', (_name, previous, liveForMs, expected) => {
    expect(nextAttempt(policy, previous, liveForMs)).toBe(expected);
  });
});

describe('silenceLimitMs', () => {
  it('is three heartbeat intervals, of the default until the server says its own', () => {
    const policy = reconnectPolicy();
    expect(silenceLimitMs(policy)).toBe(45_000);
    expect(silenceLimitMs(policy, 1000)).toBe(3000);
    expect(silenceLimitMs(reconnectPolicy({ missedHeartbeats: 2 }), 1000)).toBe(
      2000,
    );
  });
});
