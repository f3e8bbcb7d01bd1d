import type {
  CheckResult,
  CheckStatus,
  Exemption,
  HistoryEntry,
} from '@careplane/plugin-compliance-common';

/** A current result as stored. @internal */
export interface StoredResult extends CheckResult {
  /** When the status last changed. */
  since: string;
  /** When the row was last written (status, message or evidence changed). */
  evaluatedAt: string;
}

/** A status change written to the history. @internal */
export interface ResultChange extends HistoryEntry {
  severity: CheckResult['severity'];
}

/** @internal */
export interface ScorePoint {
  entityRef: string;
  at: string;
  score: number | null;
  grade: string;
}

/**
 * Persistence of compliance results: the current result per (entity, check, target), one history
 * row per status change, score changes and exemptions. Status changes are compare-and-set in the
 * database so that two backends evaluating the same change write (and notify) it once.
 * @internal
 */
export interface ComplianceStore {
  currentResults(entityRef?: string): Promise<StoredResult[]>;
  /** Writes what changed; returns the status changes this call won. */
  applyResults(
    entityRef: string,
    results: CheckResult[],
    now: Date,
  ): Promise<ResultChange[]>;
  history(entityRef: string, limit?: number): Promise<HistoryEntry[]>;
  /** Status changes to `fail` after being something else, newest first. */
  regressions(since: Date, limit: number): Promise<HistoryEntry[]>;
  /** Records the entity score when it differs from the last one; true when written. */
  recordScore(
    entityRef: string,
    score: number | null,
    grade: string,
    at: Date,
  ): Promise<boolean>;
  scores(entityRef: string | undefined, since: Date): Promise<ScorePoint[]>;
  /** Deletes history and score rows older than `before` (never the latest score of an entity). */
  purge(before: Date): Promise<{ history: number; scores: number }>;

  insertExemption(e: Exemption): Promise<void>;
  getExemption(id: string): Promise<Exemption | undefined>;
  listExemptions(entityRef?: string): Promise<Exemption[]>;
  /** Compare-and-set on the state; false when the state was no longer `from`. */
  updateExemption(
    id: string,
    from: Exemption['state'],
    patch: Partial<Exemption>,
  ): Promise<boolean>;
}

/** @internal */
export type { CheckStatus };
