import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type {
  AuditQuery,
  AuditRecord,
} from '@careplane/plugin-clusters-common';
import type { Knex } from 'knex';
import type { AuditStore } from './AuditStore';

const TABLE = 'clusters_audit_log';

type Row = {
  seq: number | string;
  id: string;
  occurred_at: Date | string | number;
  actor: string;
  actor_type: string;
  action: string;
  cluster: string;
  namespace: string | null;
  kind: string | null;
  name: string | null;
  entity_ref: string | null;
  reason: string | null;
  dry_run: boolean | number;
  outcome: string;
  error: string | null;
  patch_sha256: string | null;
};

function toRecord(row: Row): AuditRecord {
  return {
    id: row.id,
    occurredAt: new Date(row.occurred_at).toISOString(),
    actor: row.actor,
    actorType: row.actor_type as AuditRecord['actorType'],
    action: row.action as AuditRecord['action'],
    cluster: row.cluster,
    namespace: row.namespace ?? undefined,
    kind: row.kind ?? undefined,
    name: row.name ?? undefined,
    entityRef: row.entity_ref ?? undefined,
    reason: row.reason ?? undefined,
    dryRun: Boolean(row.dry_run),
    outcome: row.outcome as AuditRecord['outcome'],
    error: row.error ?? undefined,
    patchSha256: row.patch_sha256 ?? undefined,
  };
}

function parseTime(value: string | undefined, key: string): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new InputError(`'${key}' is not an ISO time`);
  return date;
}

/**
 * Knex implementation of {@link AuditStore} (SQLite in dev and tests, PostgreSQL in production).
 * @internal
 */
export class DatabaseAuditStore implements AuditStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseAuditStore> {
    const client = await options.database.getClient();
    if (!options.skipMigrations && !options.database.migrations?.skip) {
      await client.migrate.latest({
        directory: resolvePackagePath(
          '@careplane/plugin-clusters-backend',
          'migrations',
        ),
      });
    }
    return new DatabaseAuditStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async insert(record: AuditRecord): Promise<void> {
    await this.db<Row>(TABLE).insert({
      id: record.id,
      occurred_at: new Date(record.occurredAt),
      actor: record.actor,
      actor_type: record.actorType,
      action: record.action,
      cluster: record.cluster,
      namespace: record.namespace ?? null,
      kind: record.kind ?? null,
      name: record.name ?? null,
      entity_ref: record.entityRef ?? null,
      reason: record.reason ?? null,
      dry_run: record.dryRun,
      outcome: record.outcome,
      error: record.error ?? null,
      patch_sha256: record.patchSha256 ?? null,
    });
  }

  async list(
    query: AuditQuery,
  ): Promise<{ items: AuditRecord[]; nextCursor?: string }> {
    const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
    const from = parseTime(query.from, 'from');
    const to = parseTime(query.to, 'to');
    let cursor: number | undefined;
    if (query.cursor !== undefined) {
      cursor = Number(query.cursor);
      if (!Number.isSafeInteger(cursor)) throw new InputError(`Invalid cursor`);
    }
    const q = this.db<Row>(TABLE).select('*');
    if (query.cluster) q.where('cluster', query.cluster);
    if (query.entityRef) q.where('entity_ref', query.entityRef);
    if (query.actor) q.where('actor', query.actor);
    if (query.action) q.where('action', query.action);
    if (query.outcome) q.where('outcome', query.outcome);
    if (from) q.where('occurred_at', '>=', from);
    if (to) q.where('occurred_at', '<', to);
    if (cursor !== undefined) q.where('seq', '<', cursor);
    const rows = (await q.orderBy('seq', 'desc').limit(limit + 1)) as Row[];
    const page = rows.slice(0, limit);
    return {
      items: page.map(toRecord),
      nextCursor:
        rows.length > limit ? String(page[page.length - 1].seq) : undefined,
    };
  }
}
