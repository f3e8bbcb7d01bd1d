import { TestDatabases } from '@backstage/backend-test-utils';

// CI (.ci/run) starts PostgreSQL and exports CAREPLANE_CI_POSTGRES (e.g. POSTGRES_15) with the
// matching BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING. This makes sure the store
// tests of every plugin really run on it there, instead of silently falling back to SQLite only.
const ciPostgres = process.env.CAREPLANE_CI_POSTGRES as
  | Parameters<TestDatabases['init']>[0]
  | undefined;

const databases = TestDatabases.create({
  ids: ciPostgres ? [ciPostgres, 'SQLITE_3'] : ['SQLITE_3'],
});

describe('the databases store tests run on', () => {
  jest.setTimeout(60_000);

  if (ciPostgres) {
    it(`include PostgreSQL in CI (${ciPostgres})`, () => {
      expect(databases.supports(ciPostgres)).toBe(true);
    });
  }

  it.each(databases.eachSupportedId())('answer queries, %p', async id => {
    const knex = await databases.init(id);
    const result = await knex.raw('select 1 + 1 as two');
    const rows = Array.isArray(result) ? result : result.rows;
    expect(rows).toEqual([{ two: 2 }]);
  });
});
