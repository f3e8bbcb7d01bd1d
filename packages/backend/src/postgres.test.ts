import { TestDatabases } from '@backstage/backend-test-utils';

// CI (.ci/run) starts PostgreSQL and exports CAREPLANE_CI_POSTGRES (e.g. POSTGRES_15) with the
// matching BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING. This makes sure the store
// tests of every plugin really run on it there, instead of silently falling back to SQLite only.
const ciPostgres = process.env.CAREPLANE_CI_POSTGRES;

describe('store tests on PostgreSQL', () => {
  jest.setTimeout(60_000);

  if (!ciPostgres) {
    it('run on SQLite only outside CI', () => {
      expect(
        TestDatabases.create({ ids: ['SQLITE_3'] }).supports('SQLITE_3'),
      ).toBe(true);
    });
    return;
  }

  const databases = TestDatabases.create({
    ids: [ciPostgres as any, 'SQLITE_3'],
  });

  it(`are supported in CI (${ciPostgres})`, () => {
    expect(databases.supports(ciPostgres as any)).toBe(true);
  });

  it('can create a database and query it', async () => {
    const knex = await databases.init(ciPostgres as any);
    const result = await knex.raw('select 1 + 1 as two');
    expect(result.rows).toEqual([{ two: 2 }]);
  });
});
