import { applyStatus, clusterStatusOf } from './liveState';

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
    expect(
      clusterStatusOf([{ kind: 'Rollout', status: 'not-installed' }]),
    ).toEqual({
      status: 'not-installed',
    });
  });

  it('takes the worst kind with its age and error', () => {
    expect(
      clusterStatusOf([
        { kind: 'Pod', status: 'stale', ageMs: 120000, syncedAt: 'x' },
        { kind: 'Deployment', status: 'ok' },
      ]),
    ).toEqual({
      status: 'stale',
      ageMs: 120000,
      syncedAt: 'x',
      error: undefined,
    });
  });
});

describe('applyStatus', () => {
  it('clears the error of a cluster whose kind recovered', () => {
    const state = {
      selector: { labelSelector: 'app=x' },
      clusters: [
        {
          cluster: 'cloud-east',
          status: 'unavailable' as const,
          error: { name: 'Error', message: 'connect ECONNREFUSED' },
          kinds: [
            {
              kind: 'Pod',
              status: 'unavailable' as const,
              error: { name: 'Error', message: 'connect ECONNREFUSED' },
            },
          ],
          items: [],
        },
      ],
    };
    const next = applyStatus(state, 'cloud-east', {
      kind: 'Pod',
      status: 'ok',
      syncedAt: '2026-01-01T00:00:00Z',
    });
    expect(next.clusters[0].status).toBe('ok');
    expect(next.clusters[0].error).toBeUndefined();
    expect(next.clusters[0].syncedAt).toBe('2026-01-01T00:00:00Z');
  });

  it('ages a cluster by its oldest stale kind, as clusters-backend does', () => {
    const state = {
      selector: { labelSelector: 'app=x' },
      clusters: [
        {
          cluster: 'cloud-east',
          status: 'stale' as const,
          kinds: [
            {
              kind: 'Pod',
              status: 'stale' as const,
              syncedAt: '2026-01-01T00:01:00Z',
              ageMs: 60_000,
            },
          ],
          items: [],
        },
      ],
    };
    const next = applyStatus(state, 'cloud-east', {
      kind: 'Deployment',
      status: 'stale',
      syncedAt: '2026-01-01T00:00:00Z',
      ageMs: 120_000,
    });
    expect(next.clusters[0]).toMatchObject({
      status: 'stale',
      syncedAt: '2026-01-01T00:00:00Z',
      ageMs: 120_000,
    });
  });
});
