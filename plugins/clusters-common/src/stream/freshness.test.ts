import type { KindStatus } from '..';
import { aggregateClusterFreshness, clusterFreshness } from './freshness';

const down = {
  name: 'ServiceUnavailableError',
  message: 'connect ECONNREFUSED',
};
const hang = { name: 'Error', message: 'did not answer within 1000 ms' };

describe('clusterFreshness', () => {
  it.each<[string, KindStatus[], object]>([
    ['no kinds: ok', [], { status: 'ok' }],
    [
      'ok: the oldest syncedAt',
      [
        { kind: 'Pod', status: 'ok', syncedAt: '2026-01-01T00:00:02Z' },
        { kind: 'Deployment', status: 'ok', syncedAt: '2026-01-01T00:00:01Z' },
      ],
      { status: 'ok', syncedAt: '2026-01-01T00:00:01Z' },
    ],
    [
      'an absent CRD is not a problem',
      [
        { kind: 'Pod', status: 'ok', syncedAt: '2026-01-01T00:00:00Z' },
        { kind: 'Rollout', status: 'not-installed' },
      ],
      { status: 'ok', syncedAt: '2026-01-01T00:00:00Z' },
    ],
    [
      'not-installed only when every kind is',
      [
        { kind: 'Rollout', status: 'not-installed' },
        { kind: 'AnalysisRun', status: 'not-installed' },
      ],
      { status: 'not-installed' },
    ],
    [
      'stale: the oldest syncedAt and largest age of the stale kinds',
      [
        {
          kind: 'Pod',
          status: 'stale',
          syncedAt: '2026-01-01T00:01:00Z',
          ageMs: 60_000,
        },
        { kind: 'Deployment', status: 'ok', syncedAt: '2026-01-01T00:02:00Z' },
        {
          kind: 'Service',
          status: 'stale',
          syncedAt: '2026-01-01T00:00:00Z',
          ageMs: 120_000,
          error: hang,
        },
      ],
      {
        status: 'stale',
        syncedAt: '2026-01-01T00:00:00Z',
        ageMs: 120_000,
        error: hang,
      },
    ],
    [
      'unavailable wins over stale, with its error; the stale data keeps its age',
      [
        {
          kind: 'Pod',
          status: 'stale',
          syncedAt: '2026-01-01T00:00:00Z',
          ageMs: 5000,
        },
        { kind: 'Job', status: 'unavailable', error: down },
      ],
      {
        status: 'unavailable',
        syncedAt: '2026-01-01T00:00:00Z',
        ageMs: 5000,
        error: down,
      },
    ],
    [
      'the first kind of the worst status that says why',
      [
        { kind: 'Pod', status: 'unavailable' },
        { kind: 'Job', status: 'unavailable', error: down },
        { kind: 'Service', status: 'stale', error: hang },
      ],
      { status: 'unavailable', error: down },
    ],
  ])('%s', (_name, kinds, expected) => {
    expect(clusterFreshness(kinds)).toEqual(expected);
  });

  it('returns every key, so that spreading it clears an old error', () => {
    const before = { status: 'unavailable', error: down, ageMs: 1 };
    const after = {
      ...before,
      ...clusterFreshness([{ kind: 'Pod', status: 'ok' }]),
    };
    expect(after).toEqual({ status: 'ok' });
  });
});

describe('aggregateClusterFreshness', () => {
  it('is a ClusterResult with the kinds', () => {
    const kinds: KindStatus[] = [
      { kind: 'Pod', status: 'unavailable', error: down },
    ];
    expect(aggregateClusterFreshness('cloud-east', kinds)).toEqual({
      cluster: 'cloud-east',
      status: 'unavailable',
      error: down,
      kinds,
    });
  });
});

describe('clusterFreshness with kinds still syncing', () => {
  const synced = '2026-01-01T00:00:00Z';
  it('is syncing, never ok and never an error, while a first sync is under way', () => {
    expect(
      clusterFreshness([
        { kind: 'Pod', status: 'syncing' },
        { kind: 'Deployment', status: 'ok', syncedAt: synced },
        { kind: 'Rollout', status: 'not-installed' },
      ]),
    ).toEqual({
      status: 'syncing',
      syncedAt: synced,
      ageMs: undefined,
      error: undefined,
    });
    expect(
      clusterFreshness([{ kind: 'Pod', status: 'syncing' }]),
    ).toMatchObject({ status: 'syncing', error: undefined });
  });

  it('gives way to stale and unavailable, which say why', () => {
    expect(
      clusterFreshness([
        { kind: 'Pod', status: 'syncing' },
        {
          kind: 'Deployment',
          status: 'stale',
          syncedAt: synced,
          ageMs: 5_000,
          error: hang,
        },
      ]),
    ).toMatchObject({ status: 'stale', error: hang });
    expect(
      clusterFreshness([
        { kind: 'Pod', status: 'syncing' },
        { kind: 'Deployment', status: 'unavailable', error: down },
      ]),
    ).toMatchObject({ status: 'unavailable', error: down });
  });
});
