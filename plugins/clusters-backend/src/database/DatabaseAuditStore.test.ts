import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { AuditRecord } from '@careplane/plugin-clusters-common';
import { DatabaseAuditStore } from './DatabaseAuditStore';

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

const record = (i: number, extra: Partial<AuditRecord> = {}): AuditRecord => ({
  id: `id-${i}`,
  occurredAt: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(),
  actor: 'user:default/jordan.lee',
  actorType: 'user',
  action: 'patch',
  cluster: 'cloud-east',
  namespace: 'video-consultation',
  kind: 'Deployment',
  name: 'video-consultation',
  entityRef: 'component:default/video-consultation',
  reason: 'pause',
  dryRun: false,
  outcome: 'success',
  patchSha256: 'a'.repeat(64),
  ...extra,
});

describe('DatabaseAuditStore', () => {
  it.each(databases.eachSupportedId())(
    'stores, filters and pages records, %p',
    async id => {
      const knex = await databases.init(id);
      const database = mockServices.database({
        knex,
        migrations: { skip: false },
      });
      const store = await DatabaseAuditStore.create({ database });
      for (let i = 0; i < 5; i++) await store.insert(record(i));
      await store.insert(
        record(5, {
          action: 'delete',
          outcome: 'denied',
          error: 'nope',
          cluster: 'legacy-onprem',
        }),
      );

      const page1 = await store.list({ limit: 4 });
      expect(page1.items.map(r => r.id)).toEqual([
        'id-5',
        'id-4',
        'id-3',
        'id-2',
      ]);
      const page2 = await store.list({ limit: 4, cursor: page1.nextCursor });
      expect(page2.items.map(r => r.id)).toEqual(['id-1', 'id-0']);
      expect(page2.nextCursor).toBeUndefined();

      expect((await store.list({ outcome: 'denied' })).items).toEqual([
        record(5, {
          action: 'delete',
          outcome: 'denied',
          error: 'nope',
          cluster: 'legacy-onprem',
        }),
      ]);
      expect(
        (await store.list({ cluster: 'cloud-east', action: 'patch' })).items,
      ).toHaveLength(5);
      expect(
        (
          await store.list({
            from: '2025-01-01T00:00:01Z',
            to: '2025-01-01T00:00:03Z',
          })
        ).items.map(r => r.id),
      ).toEqual(['id-2', 'id-1']);
    },
  );

  it.each(databases.eachSupportedId())(
    'survives a restart (re-created store), %p',
    async id => {
      const knex = await databases.init(id);
      const database = mockServices.database({
        knex,
        migrations: { skip: false },
      });
      await (await DatabaseAuditStore.create({ database })).insert(record(1));
      const again = await DatabaseAuditStore.create({ database });
      expect((await again.list({})).items).toEqual([record(1)]);
    },
  );
});
