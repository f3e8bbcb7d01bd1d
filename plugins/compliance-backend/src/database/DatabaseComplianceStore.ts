import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import type {
  CheckResult,
  CheckStatus,
  Evidence,
  Exemption,
  HistoryEntry,
} from '@careplane/plugin-compliance-common';
import type { Knex } from 'knex';
import type {
  ComplianceStore,
  ResultChange,
  ScorePoint,
  StoredResult,
} from './ComplianceStore';

const RESULTS = 'compliance_results';
const HISTORY = 'compliance_history';
const SCORES = 'compliance_scores';
const EXEMPTIONS = 'compliance_exemptions';

const iso = (v: Date | string | number | null | undefined) =>
  v === null || v === undefined ? undefined : new Date(v).toISOString();

function toResult(r: any): StoredResult {
  return {
    entityRef: r.entity_ref,
    checkId: r.check_id,
    checkVersion: Number(r.check_version),
    severity: r.severity,
    target: r.target,
    status: r.status,
    message: r.message,
    evidence: JSON.parse(r.evidence) as Evidence[],
    since: iso(r.since)!,
    evaluatedAt: iso(r.evaluated_at)!,
  };
}

function toHistory(r: any): HistoryEntry {
  return {
    entityRef: r.entity_ref,
    checkId: r.check_id,
    target: r.target,
    status: r.status,
    previousStatus: r.previous_status ?? null,
    message: r.message,
    changedAt: iso(r.changed_at)!,
  };
}

function toExemption(r: any): Exemption {
  return {
    id: r.id,
    entityRef: r.entity_ref,
    checkId: r.check_id,
    target: r.target,
    justification: r.justification,
    requestedBy: r.requested_by,
    requestedAt: iso(r.requested_at)!,
    expiresAt: iso(r.expires_at)!,
    state: r.state,
    decidedBy: r.decided_by ?? undefined,
    decidedAt: iso(r.decided_at),
    decisionComment: r.decision_comment ?? undefined,
  };
}

const key = (checkId: string, target: string) => `${checkId}\u0000${target}`;

/**
 * Knex implementation of {@link ComplianceStore} (SQLite in development and tests, PostgreSQL in
 * production).
 * @internal
 */
export class DatabaseComplianceStore implements ComplianceStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseComplianceStore> {
    const client = await options.database.getClient();
    if (!options.skipMigrations && !options.database.migrations?.skip) {
      await client.migrate.latest({
        directory: resolvePackagePath(
          '@careplane/plugin-compliance-backend',
          'migrations',
        ),
      });
    }
    return new DatabaseComplianceStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async currentResults(entityRef?: string): Promise<StoredResult[]> {
    const q = this.db(RESULTS)
      .select('*')
      .orderBy(['entity_ref', 'check_id', 'target']);
    if (entityRef) q.where('entity_ref', entityRef);
    return (await q).map(toResult);
  }

  async applyResults(
    entityRef: string,
    results: CheckResult[],
    now: Date,
  ): Promise<ResultChange[]> {
    const current = new Map(
      (await this.currentResults(entityRef)).map(r => [
        key(r.checkId, r.target),
        r,
      ]),
    );
    const changes: ResultChange[] = [];
    const history = (
      r: {
        checkId: string;
        target: string;
        status: CheckStatus;
        message: string;
        evidence: Evidence[];
        severity: CheckResult['severity'];
      },
      previous: CheckStatus | null,
    ) => {
      changes.push({
        entityRef,
        checkId: r.checkId,
        target: r.target,
        status: r.status,
        previousStatus: previous,
        message: r.message,
        changedAt: now.toISOString(),
        severity: r.severity,
      });
      return {
        entity_ref: entityRef,
        check_id: r.checkId,
        target: r.target,
        status: r.status,
        previous_status: previous,
        message: r.message,
        evidence: JSON.stringify(r.evidence),
        changed_at: now,
      };
    };
    const seen = new Set<string>();
    await this.db.transaction(async tx => {
      const historyRows: any[] = [];
      for (const r of results) {
        const k = key(r.checkId, r.target);
        seen.add(k);
        const old = current.get(k);
        const evidence = JSON.stringify(r.evidence);
        if (!old) {
          const inserted = await tx(RESULTS)
            .insert({
              entity_ref: entityRef,
              check_id: r.checkId,
              target: r.target,
              status: r.status,
              severity: r.severity,
              check_version: r.checkVersion,
              message: r.message,
              evidence,
              since: now,
              evaluated_at: now,
            })
            .onConflict(['entity_ref', 'check_id', 'target'])
            .ignore()
            .returning('check_id');
          // an ignored insert (another backend wrote it first) returns no row
          if (inserted.length > 0) historyRows.push(history(r, null));
          continue;
        }
        if (old.status !== r.status) {
          const won = await tx(RESULTS)
            .where({
              entity_ref: entityRef,
              check_id: r.checkId,
              target: r.target,
              status: old.status,
            })
            .update({
              status: r.status,
              severity: r.severity,
              check_version: r.checkVersion,
              message: r.message,
              evidence,
              since: now,
              evaluated_at: now,
            });
          if (won > 0) historyRows.push(history(r, old.status));
        } else if (
          old.message !== r.message ||
          JSON.stringify(old.evidence) !== evidence ||
          old.checkVersion !== r.checkVersion
        ) {
          await tx(RESULTS)
            .where({
              entity_ref: entityRef,
              check_id: r.checkId,
              target: r.target,
            })
            .update({
              message: r.message,
              evidence,
              check_version: r.checkVersion,
              severity: r.severity,
              evaluated_at: now,
            });
        }
      }
      for (const [k, old] of current) {
        if (seen.has(k)) continue;
        const won = await tx(RESULTS)
          .where({
            entity_ref: entityRef,
            check_id: old.checkId,
            target: old.target,
            status: old.status,
          })
          .delete();
        if (won > 0)
          historyRows.push(
            history(
              {
                ...old,
                status: 'not-applicable',
                message: 'No longer evaluated: the object or check is gone',
                evidence: [],
              },
              old.status,
            ),
          );
      }
      for (let i = 0; i < historyRows.length; i += 200)
        await tx(HISTORY).insert(historyRows.slice(i, i + 200));
    });
    return changes;
  }

  async history(entityRef: string, limit = 500): Promise<HistoryEntry[]> {
    const rows = await this.db(HISTORY)
      .where('entity_ref', entityRef)
      .orderBy('seq', 'desc')
      .limit(limit);
    return rows.map(toHistory);
  }

  async regressions(since: Date, limit: number): Promise<HistoryEntry[]> {
    const rows = await this.db(HISTORY)
      .where('status', 'fail')
      .whereNot('previous_status', 'fail')
      .whereNotNull('previous_status')
      .where('changed_at', '>=', since)
      .orderBy('seq', 'desc')
      .limit(limit);
    return rows.map(toHistory);
  }

  async recordScore(
    entityRef: string,
    score: number | null,
    grade: string,
    at: Date,
  ): Promise<boolean> {
    const last = await this.db(SCORES)
      .where('entity_ref', entityRef)
      .orderBy('seq', 'desc')
      .first();
    if (
      last &&
      (last.score === null ? null : Number(last.score)) === score &&
      last.grade === grade
    )
      return false;
    await this.db(SCORES).insert({ entity_ref: entityRef, score, grade, at });
    return true;
  }

  async scores(
    entityRef: string | undefined,
    since: Date,
  ): Promise<ScorePoint[]> {
    const q = this.db(SCORES).where('at', '>=', since).orderBy('seq', 'asc');
    if (entityRef) q.where('entity_ref', entityRef);
    return (await q).map((r: any) => ({
      entityRef: r.entity_ref,
      at: iso(r.at)!,
      score: r.score === null ? null : Number(r.score),
      grade: r.grade,
    }));
  }

  async purge(before: Date): Promise<{ history: number; scores: number }> {
    const history = await this.db(HISTORY)
      .where('changed_at', '<', before)
      .delete();
    const latest = this.db(SCORES).max('seq').groupBy('entity_ref');
    const scores = await this.db(SCORES)
      .where('at', '<', before)
      .whereNotIn('seq', latest)
      .delete();
    return { history, scores };
  }

  async insertExemption(e: Exemption): Promise<void> {
    await this.db(EXEMPTIONS).insert({
      id: e.id,
      entity_ref: e.entityRef,
      check_id: e.checkId,
      target: e.target,
      justification: e.justification,
      requested_by: e.requestedBy,
      requested_at: new Date(e.requestedAt),
      expires_at: new Date(e.expiresAt),
      state: e.state,
    });
  }

  async getExemption(id: string): Promise<Exemption | undefined> {
    const r = await this.db(EXEMPTIONS).where('id', id).first();
    return r ? toExemption(r) : undefined;
  }

  async listExemptions(entityRef?: string): Promise<Exemption[]> {
    const q = this.db(EXEMPTIONS).select('*').orderBy('requested_at', 'desc');
    if (entityRef) q.where('entity_ref', entityRef);
    return (await q).map(toExemption);
  }

  async updateExemption(
    id: string,
    from: Exemption['state'],
    patch: Partial<Exemption>,
  ): Promise<boolean> {
    const n = await this.db(EXEMPTIONS)
      .where({ id, state: from })
      .update({
        ...(patch.state ? { state: patch.state } : {}),
        ...(patch.decidedBy ? { decided_by: patch.decidedBy } : {}),
        ...(patch.decidedAt ? { decided_at: new Date(patch.decidedAt) } : {}),
        ...(patch.decisionComment
          ? { decision_comment: patch.decisionComment }
          : {}),
      });
    return n > 0;
  }
}
