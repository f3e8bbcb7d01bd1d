import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type {
  CheckResult,
  Exemption,
} from '@careplane/plugin-compliance-common';
import { DatabaseComplianceStore } from './DatabaseComplianceStore';

jest.setTimeout(60_000);

// SQLite always; PostgreSQL when CI exports BACKSTAGE_TEST_DATABASE_POSTGRES<ver>_CONNECTION_STRING
const databases = TestDatabases.create({
  ids: [
    'SQLITE_3',
    'POSTGRES_17',
    'POSTGRES_16',
    'POSTGRES_15',
    'POSTGRES_14',
    'POSTGRES_13',
  ],
});

const E = 'component:default/e-prescribing';
const result = (
  status: CheckResult['status'],
  extra: Partial<CheckResult> = {},
): CheckResult => ({
  entityRef: E,
  checkId: 'K8S-AC-003',
  checkVersion: 1,
  severity: 'high',
  target: 'legacy-onprem/Deployment/e-prescribing/e-prescribing',
  status,
  message: status === 'pass' ? 'non-root' : 'runs as root',
  evidence: [
    {
      object: 'Deployment e-prescribing/e-prescribing on legacy-onprem',
      path: 'x',
      value: '0',
    },
  ],
  ...extra,
});
const t = (s: number) => new Date(Date.UTC(2026, 10, 30, 0, 0, s));

async function storeFor(
  id: (typeof databases)['eachSupportedId'] extends () => Array<infer T>
    ? T extends [infer I]
      ? I
      : never
    : never,
) {
  const knex = await databases.init(id);
  const database = mockServices.database({ knex, migrations: { skip: false } });
  return { knex, store: await DatabaseComplianceStore.create({ database }) };
}

describe('DatabaseComplianceStore', () => {
  it.each(databases.eachSupportedId())(
    'writes history only on change, %p',
    async id => {
      const { store } = await storeFor(id);
      expect(
        (await store.applyResults(E, [result('pass')], t(0))).map(c => [
          c.previousStatus,
          c.status,
        ]),
      ).toEqual([[null, 'pass']]);
      // the same result again, many times: no history
      for (let i = 1; i < 5; i++)
        expect(await store.applyResults(E, [result('pass')], t(i))).toEqual([]);
      // a new message with the same status: the current row changes, the history does not
      expect(
        await store.applyResults(
          E,
          [result('pass', { message: 'non-root (uid 10001)' })],
          t(5),
        ),
      ).toEqual([]);
      const changes = await store.applyResults(E, [result('fail')], t(6));
      expect(changes.map(c => [c.previousStatus, c.status])).toEqual([
        ['pass', 'fail'],
      ]);
      const history = await store.history(E);
      expect(history.map(h => h.status)).toEqual(['fail', 'pass']);
      const [current] = await store.currentResults(E);
      expect(current.status).toBe('fail');
      expect(current.since).toBe(t(6).toISOString());
      expect(current.evidence[0].value).toBe('0');
      expect((await store.regressions(t(0), 10)).map(r => r.checkId)).toEqual([
        'K8S-AC-003',
      ]);
      // the object disappears: one history row, no current row
      const gone = await store.applyResults(E, [], t(7));
      expect(gone.map(c => [c.previousStatus, c.status])).toEqual([
        ['fail', 'not-applicable'],
      ]);
      expect(await store.currentResults(E)).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'lets one of two writers win a status change, %p',
    async id => {
      const { store } = await storeFor(id);
      await store.applyResults(E, [result('pass')], t(0));
      const [a, b] = await Promise.all([
        store.applyResults(E, [result('fail')], t(1)),
        store.applyResults(E, [result('fail')], t(1)),
      ]);
      expect(a.length + b.length).toBe(1);
      expect((await store.history(E)).length).toBe(2);
    },
  );

  it.each(databases.eachSupportedId())(
    'records scores on change and purges by retention, %p',
    async id => {
      const { store } = await storeFor(id);
      expect(
        await store.recordScore(E, 50, 'D', new Date('2019-01-01T00:00:00Z')),
      ).toBe(true);
      expect(
        await store.recordScore(E, 50, 'D', new Date('2019-01-02T00:00:00Z')),
      ).toBe(false);
      expect(
        await store.recordScore(E, 60, 'D', new Date('2019-06-01T00:00:00Z')),
      ).toBe(true);
      expect(await store.recordScore(E, 90, 'A', t(0))).toBe(true);
      await store.applyResults(
        E,
        [result('pass')],
        new Date('2019-01-01T00:00:00Z'),
      );
      await store.applyResults(E, [result('fail')], t(1));
      const purged = await store.purge(new Date('2020-11-30T00:00:00Z'));
      expect(purged).toEqual({ history: 1, scores: 2 });
      expect((await store.scores(E, new Date(0))).map(s => s.score)).toEqual([
        90,
      ]);
      expect((await store.history(E)).map(h => h.status)).toEqual(['fail']);
      // the latest score of an entity is never purged, however old
      await store.purge(new Date('2030-01-01T00:00:00Z'));
      expect((await store.scores(E, new Date(0))).map(s => s.score)).toEqual([
        90,
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps exemptions with compare-and-set decisions, %p',
    async id => {
      const { store } = await storeFor(id);
      const e: Exemption = {
        id: 'ex-1',
        entityRef: E,
        checkId: 'K8S-AC-003',
        target: '*',
        justification: 'Legacy image needs root until wave-2',
        requestedBy: 'user:default/jordan.lee',
        requestedAt: t(0).toISOString(),
        expiresAt: '2027-01-31T00:00:00.000Z',
        state: 'pending',
      };
      await store.insertExemption(e);
      expect(
        await store.updateExemption('ex-1', 'pending', {
          state: 'approved',
          decidedBy: 'user:default/priya.shah',
          decidedAt: t(1).toISOString(),
          decisionComment: 'ok until wave-2',
        }),
      ).toBe(true);
      expect(
        await store.updateExemption('ex-1', 'pending', { state: 'rejected' }),
      ).toBe(false);
      expect(await store.getExemption('ex-1')).toEqual({
        ...e,
        state: 'approved',
        decidedBy: 'user:default/priya.shah',
        decidedAt: t(1).toISOString(),
        decisionComment: 'ok until wave-2',
      });
      expect((await store.listExemptions(E)).length).toBe(1);
      expect(await store.listExemptions('component:default/other')).toEqual([]);
    },
  );
});
