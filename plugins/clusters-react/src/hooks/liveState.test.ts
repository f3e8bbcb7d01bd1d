import { clusterStatusOf } from './liveState';

describe('clusterStatusOf', () => {
  it('does not count an absent CRD as a problem', () => {
    expect(
      clusterStatusOf([
        { kind: 'Pod', status: 'ok', syncedAt: '2026-01-01T00:00:00Z' },
        { kind: 'Rollout', status: 'not-installed' },
      ]),
    ).toEqual({ status: 'ok', syncedAt: '2026-01-01T00:00:00Z' });
  });

  it('is not-installed only when every kind is', () => {
    expect(clusterStatusOf([{ kind: 'Rollout', status: 'not-installed' }])).toEqual({
      status: 'not-installed',
    });
  });

  it('takes the worst kind with its age and error', () => {
    expect(
      clusterStatusOf([
        { kind: 'Pod', status: 'stale', ageMs: 120000, syncedAt: 'x' },
        { kind: 'Deployment', status: 'ok' },
      ]),
    ).toEqual({ status: 'stale', ageMs: 120000, syncedAt: 'x', error: undefined });
  });
});
