import { freshnessText } from './FreshnessChip';

describe('freshnessText', () => {
  it('says a cluster whose first sync is under way is syncing: neither live nor an error', () => {
    const text = freshnessText(
      {
        cluster: 'cloud-east',
        status: 'syncing',
        kinds: [
          { kind: 'Pod', status: 'syncing' },
          {
            kind: 'Deployment',
            status: 'ok',
            syncedAt: '2026-01-01T00:00:00Z',
          },
        ],
      },
      Date.parse('2026-01-01T00:00:05Z'),
    );
    expect(text).toBe('syncing: first sync under way');
    expect(text).not.toMatch(/live|unreachable/);
  });
});
