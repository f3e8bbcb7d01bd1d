import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { RunState } from '@careplane/plugin-training-common';
import { DatabaseRunStore } from './DatabaseRunStore';
import type { RunRecord } from './RunStore';

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

const submitted: RunState = { phase: 'submitted', message: 'Submitted' };

const runRecord = (i: number, extra: Partial<RunRecord> = {}): RunRecord => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  createdBy: 'user:default/li.wei',
  idempotencyKey: `launch-${String(i).padStart(4, '0')}`,
  name: 'triage-ft',
  entityRef: 'component:default/triage-model-training',
  team: 'group:default/ml-platform',
  cluster: 'gpu-research',
  namespace: 'ml-platform',
  kind: 'Job',
  objectName: `triage-ft-${i}`,
  objectSeen: false,
  parameters: {
    runtime: 'job',
    image: 'registry.example/ml/train:1',
    command: [],
    args: [],
    gpuType: 'nvidia-a100-80gb',
    gpuResource: 'nvidia.com/gpu',
    gpusPerNode: 2,
    nodes: 1,
    cpu: '8',
    memory: '64Gi',
    hyperParameters: { LR: '0.1' },
    secretEnv: [],
    maxRuntimeMinutes: 60,
    queue: 'ml-platform',
    pricePerGpuHour: 3.5,
  },
  totalGpus: 2,
  pricePerGpuHour: 3.5,
  state: submitted,
  stateChangedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
  createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
  ...extra,
});

async function storeFor(id: Parameters<typeof databases.init>[0]) {
  const knex = await databases.init(id);
  const database = mockServices.database({ knex, migrations: { skip: false } });
  return { store: await DatabaseRunStore.create({ database }), database };
}

describe('DatabaseRunStore', () => {
  it.each(databases.eachSupportedId())(
    'one run per person and idempotency key, also across instances, %p',
    async id => {
      const knex = await databases.init(id);
      const database = mockServices.database({
        knex,
        migrations: { skip: false },
      });
      const one = await DatabaseRunStore.create({ database });
      const two = await DatabaseRunStore.create({ database });
      const [a, b] = await Promise.all([
        one.insert(runRecord(1)),
        two.insert(
          runRecord(1, { id: '00000000-0000-4000-8000-999999999999' }),
        ),
      ]);
      expect([a.created, b.created].sort()).toEqual([false, true]);
      expect(a.run.id).toBe(b.run.id);
      // another person may use the same key
      const other = await one.insert(
        runRecord(2, {
          idempotencyKey: 'launch-0001',
          createdBy: 'user:default/fatima.rahman',
        }),
      );
      expect(other.created).toBe(true);
      expect((await one.list({}, 10)).items).toHaveLength(2);
      await one.delete(other.run.id);
      expect(await one.get(other.run.id)).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'pages newest first and filters, %p',
    async id => {
      const { store } = await storeFor(id);
      for (let i = 1; i <= 7; i++) {
        await store.insert(
          runRecord(
            i,
            i % 2 ? {} : { cluster: 'cloud-east', team: 'group:default/other' },
          ),
        );
      }
      const first = await store.list({}, 3);
      expect(first.items.map(r => r.objectName)).toEqual([
        'triage-ft-7',
        'triage-ft-6',
        'triage-ft-5',
      ]);
      const second = await store.list({}, 3, first.nextCursor);
      expect(second.items.map(r => r.objectName)).toEqual([
        'triage-ft-4',
        'triage-ft-3',
        'triage-ft-2',
      ]);
      const last = await store.list({}, 3, second.nextCursor);
      expect(last.items.map(r => r.objectName)).toEqual(['triage-ft-1']);
      expect(last.nextCursor).toBeUndefined();
      expect(
        (await store.list({ cluster: 'cloud-east' }, 10)).items,
      ).toHaveLength(3);
      expect(
        (
          await store.list(
            { team: 'group:default/ml-platform', phase: 'submitted' },
            10,
          )
        ).items,
      ).toHaveLength(4);
      await expect(store.list({}, 3, 'x')).rejects.toThrow(
        "Invalid cursor 'x'",
      );
      const back = await store.get(first.items[0].id);
      expect(back).toEqual(runRecord(7));
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps the state history and never leaves a terminal state, %p',
    async id => {
      const { store } = await storeFor(id);
      const { run } = await store.insert(runRecord(1));
      const queued: RunState = {
        phase: 'queued',
        reason: 'WaitingForQuota',
        message: 'Queued',
        position: 2,
      };
      await store.recordState(run.id, queued, '2026-01-01T00:01:00.000Z', {
        uid: 'uid-1',
        seen: true,
      });
      // a new position alone is not a new history entry
      await store.recordState(
        run.id,
        { ...queued, position: 1 },
        '2026-01-01T00:02:00.000Z',
        { seen: true },
      );
      await store.recordState(
        run.id,
        { phase: 'running', message: 'Running' },
        '2026-01-01T00:03:00.000Z',
      );
      await store.recordState(
        run.id,
        { phase: 'succeeded', message: 'Succeeded' },
        '2026-01-01T01:03:00.000Z',
      );
      const after = await store.recordState(
        run.id,
        { phase: 'running', message: 'Running' },
        '2026-01-01T02:00:00.000Z',
      );
      expect(after).toMatchObject({
        objectUid: 'uid-1',
        objectSeen: true,
        state: { phase: 'succeeded' },
        startedAt: '2026-01-01T00:03:00.000Z',
        finishedAt: '2026-01-01T01:03:00.000Z',
      });
      expect(
        (await store.history(run.id)).map(h => [h.phase, h.at, h.position]),
      ).toEqual([
        ['submitted', '2026-01-01T00:00:01.000Z', undefined],
        ['queued', '2026-01-01T00:01:00.000Z', 2],
        ['running', '2026-01-01T00:03:00.000Z', undefined],
        ['succeeded', '2026-01-01T01:03:00.000Z', undefined],
      ]);
      expect(await store.listUnfinished()).toEqual([]);
      const ran = await store.listRan();
      expect(ran.map(r => [r.run.id, r.history.length])).toEqual([[run.id, 4]]);
    },
  );

  it.each(databases.eachSupportedId())(
    'records who cancelled, %p',
    async id => {
      const { store } = await storeFor(id);
      const { run } = await store.insert(runRecord(1));
      const cancelled = await store.markCancelled(
        run.id,
        'user:default/li.wei',
        'wrong learning rate',
        '2026-01-01T00:05:00.000Z',
      );
      expect(cancelled).toMatchObject({
        cancelledBy: 'user:default/li.wei',
        cancelReason: 'wrong learning rate',
        state: {
          phase: 'cancelled',
          message: 'Cancelled by user:default/li.wei: wrong learning rate',
        },
        finishedAt: '2026-01-01T00:05:00.000Z',
      });
    },
  );
});
