import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  RunPhase,
  RunState,
  RunStateChange,
  TERMINAL_PHASES,
} from '@careplane/plugin-training-common';
import type { Knex } from 'knex';
import type { RunFilter, RunRecord, RunStore } from './RunStore';

const RUNS = 'training_runs';
const STATES = 'training_run_states';

type Row = {
  seq: number | string;
  id: string;
  created_by: string;
  idempotency_key: string;
  name: string;
  entity_ref: string;
  team: string | null;
  cluster: string;
  namespace: string;
  kind: string;
  object_name: string;
  object_uid: string | null;
  object_seen: boolean | number;
  parameters: string;
  total_gpus: number;
  price_per_gpu_hour: number;
  phase: string;
  state: string;
  state_changed_at: Date | string | number;
  created_at: Date | string | number;
  started_at: Date | string | number | null;
  finished_at: Date | string | number | null;
  cancelled_by: string | null;
  cancel_reason: string | null;
};

type StateRow = {
  seq: number | string;
  run_id: string;
  phase: string;
  state: string;
  at: Date | string | number;
};

const iso = (v: Date | string | number) => new Date(v).toISOString();
const isoOrUndefined = (v: Date | string | number | null) =>
  v === null || v === undefined ? undefined : iso(v);

function toRecord(row: Row): RunRecord {
  return {
    id: row.id,
    createdBy: row.created_by,
    idempotencyKey: row.idempotency_key,
    name: row.name,
    entityRef: row.entity_ref,
    team: row.team ?? undefined,
    cluster: row.cluster,
    namespace: row.namespace,
    kind: row.kind,
    objectName: row.object_name,
    objectUid: row.object_uid ?? undefined,
    objectSeen: Boolean(row.object_seen),
    parameters: JSON.parse(row.parameters),
    totalGpus: Number(row.total_gpus),
    pricePerGpuHour: Number(row.price_per_gpu_hour),
    state: JSON.parse(row.state),
    stateChangedAt: iso(row.state_changed_at),
    createdAt: iso(row.created_at),
    startedAt: isoOrUndefined(row.started_at),
    finishedAt: isoOrUndefined(row.finished_at),
    cancelledBy: row.cancelled_by ?? undefined,
    cancelReason: row.cancel_reason ?? undefined,
  };
}

function toRow(r: RunRecord): Omit<Row, 'seq'> {
  return {
    id: r.id,
    created_by: r.createdBy,
    idempotency_key: r.idempotencyKey,
    name: r.name,
    entity_ref: r.entityRef,
    team: r.team ?? null,
    cluster: r.cluster,
    namespace: r.namespace,
    kind: r.kind,
    object_name: r.objectName,
    object_uid: r.objectUid ?? null,
    object_seen: r.objectSeen,
    parameters: JSON.stringify(r.parameters),
    total_gpus: r.totalGpus,
    price_per_gpu_hour: r.pricePerGpuHour,
    phase: r.state.phase,
    state: JSON.stringify(r.state),
    state_changed_at: new Date(r.stateChangedAt),
    created_at: new Date(r.createdAt),
    started_at: r.startedAt ? new Date(r.startedAt) : null,
    finished_at: r.finishedAt ? new Date(r.finishedAt) : null,
    cancelled_by: r.cancelledBy ?? null,
    cancel_reason: r.cancelReason ?? null,
  };
}

function toChange(row: StateRow): RunStateChange {
  return { ...JSON.parse(row.state), at: iso(row.at) };
}

/** What makes a state a new entry of the history (a new queue position alone does not). */
const stateKey = (s: RunState) =>
  `${s.phase}|${s.reason ?? ''}|${s.detail ?? ''}`;

const isTerminal = (phase: string) =>
  TERMINAL_PHASES.includes(phase as RunPhase);

/**
 * Knex implementation of {@link RunStore}.
 * @internal
 */
export class DatabaseRunStore implements RunStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseRunStore> {
    const client = await options.database.getClient();
    if (!options.skipMigrations && !options.database.migrations?.skip) {
      await client.migrate.latest({
        directory: resolvePackagePath(
          '@careplane/plugin-training-backend',
          'migrations',
        ),
      });
    }
    return new DatabaseRunStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async insert(run: RunRecord): Promise<{ run: RunRecord; created: boolean }> {
    await this.db.transaction(async tx => {
      const inserted = await tx<Row>(RUNS)
        .insert(toRow(run))
        .onConflict(['created_by', 'idempotency_key'])
        .ignore()
        .returning('id');
      if (inserted.length) {
        await tx<StateRow>(STATES).insert({
          run_id: run.id,
          phase: run.state.phase,
          state: JSON.stringify(run.state),
          at: new Date(run.stateChangedAt),
        });
      }
    });
    const row = await this.db<Row>(RUNS)
      .where({ created_by: run.createdBy, idempotency_key: run.idempotencyKey })
      .first();
    if (!row) throw new Error(`Run ${run.id} was neither inserted nor found`);
    return { run: toRecord(row), created: row.id === run.id };
  }

  async delete(id: string): Promise<void> {
    await this.db.transaction(async tx => {
      await tx(STATES).where('run_id', id).delete();
      await tx(RUNS).where('id', id).delete();
    });
  }

  async get(id: string): Promise<RunRecord | undefined> {
    const row = await this.db<Row>(RUNS).where('id', id).first();
    return row ? toRecord(row) : undefined;
  }

  async history(id: string): Promise<RunStateChange[]> {
    const rows = await this.db<StateRow>(STATES)
      .where('run_id', id)
      .orderBy('seq', 'asc');
    return rows.map(toChange);
  }

  async list(
    filter: RunFilter,
    limit: number,
    cursor?: string,
  ): Promise<{ items: RunRecord[]; nextCursor?: string }> {
    let after: number | undefined;
    if (cursor !== undefined) {
      after = Number(cursor);
      if (!Number.isSafeInteger(after) || after < 0) {
        throw new InputError(`Invalid cursor '${cursor}'`);
      }
    }
    const q = this.db<Row>(RUNS).select('*');
    if (filter.entityRef) q.where('entity_ref', filter.entityRef);
    if (filter.team) q.where('team', filter.team);
    if (filter.phase) q.where('phase', filter.phase);
    if (filter.cluster) q.where('cluster', filter.cluster);
    if (filter.createdBy) q.where('created_by', filter.createdBy);
    if (after !== undefined) q.where('seq', '<', after);
    const rows = (await q.orderBy('seq', 'desc').limit(limit + 1)) as Row[];
    const page = rows.slice(0, limit);
    return {
      items: page.map(toRecord),
      nextCursor:
        rows.length > limit ? String(page[page.length - 1].seq) : undefined,
    };
  }

  async listUnfinished(): Promise<RunRecord[]> {
    const rows = await this.db<Row>(RUNS)
      .whereNotIn('phase', TERMINAL_PHASES as RunPhase[])
      .orderBy('seq', 'asc');
    return rows.map(toRecord);
  }

  async listRan(): Promise<
    Array<{ run: RunRecord; history: RunStateChange[] }>
  > {
    const rows = await this.db<Row>(RUNS)
      .whereNotNull('started_at')
      .orderBy('seq', 'asc');
    const states = rows.length
      ? await this.db<StateRow>(STATES)
          .whereIn(
            'run_id',
            rows.map(r => r.id),
          )
          .orderBy('seq', 'asc')
      : [];
    const byRun = new Map<string, RunStateChange[]>();
    for (const s of states) {
      byRun.set(s.run_id, [...(byRun.get(s.run_id) ?? []), toChange(s)]);
    }
    return rows.map(r => ({
      run: toRecord(r),
      history: byRun.get(r.id) ?? [],
    }));
  }

  async recordState(
    id: string,
    state: RunState,
    at: string,
    object?: { uid?: string; seen: boolean },
  ): Promise<RunRecord | undefined> {
    await this.db.transaction(async tx => {
      const row = await tx<Row>(RUNS).where('id', id).first();
      if (!row || isTerminal(row.phase)) return;
      const before: RunState = JSON.parse(row.state);
      const changed = stateKey(before) !== stateKey(state);
      const update: Partial<Row> = { state: JSON.stringify(state) };
      if (object?.seen && !row.object_seen) update.object_seen = true;
      if (object?.uid && !row.object_uid) update.object_uid = object.uid;
      if (changed) {
        update.phase = state.phase;
        update.state_changed_at = new Date(at);
        if (state.phase === 'running' && !row.started_at) {
          update.started_at = new Date(at);
        }
        if (isTerminal(state.phase)) update.finished_at = new Date(at);
      }
      // the guard on the old state keeps two instances from recording one change twice
      const n = await tx<Row>(RUNS)
        .where({ id, state: row.state })
        .update(update);
      if (n && changed) {
        await tx<StateRow>(STATES).insert({
          run_id: id,
          phase: state.phase,
          state: JSON.stringify(state),
          at: new Date(at),
        });
      }
    });
    return this.get(id);
  }

  async markCancelled(
    id: string,
    by: string,
    reason: string,
    at: string,
  ): Promise<RunRecord | undefined> {
    await this.db<Row>(RUNS)
      .where('id', id)
      .whereNotIn('phase', TERMINAL_PHASES as RunPhase[])
      .update({ cancelled_by: by, cancel_reason: reason });
    const state: RunState = {
      phase: 'cancelled',
      reason: 'Cancelled',
      message: `Cancelled by ${by}: ${reason}`,
    };
    return this.recordState(id, state, at);
  }
}
