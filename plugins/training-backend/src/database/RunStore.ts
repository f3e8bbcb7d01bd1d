import type {
  RunParameters,
  RunPhase,
  RunState,
  RunStateChange,
} from '@careplane/plugin-training-common';

/**
 * A run as stored.
 * @internal
 */
export interface RunRecord {
  id: string;
  createdBy: string;
  idempotencyKey: string;
  name: string;
  entityRef: string;
  team?: string;
  cluster: string;
  namespace: string;
  kind: string;
  objectName: string;
  objectUid?: string;
  objectSeen: boolean;
  parameters: RunParameters;
  totalGpus: number;
  pricePerGpuHour: number;
  state: RunState;
  stateChangedAt: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  cancelledBy?: string;
  cancelReason?: string;
}

/**
 * Filters of a run listing.
 * @internal
 */
export interface RunFilter {
  entityRef?: string;
  team?: string;
  phase?: RunPhase;
  cluster?: string;
  createdBy?: string;
}

/**
 * Persistence of training runs (knex: SQLite in dev, PostgreSQL in production).
 * @internal
 */
export interface RunStore {
  /**
   * Inserts a run unless the same person already used its idempotency key (a unique constraint,
   * so two backend instances agree); returns the run that holds the key and whether it is new.
   */
  insert(run: RunRecord): Promise<{ run: RunRecord; created: boolean }>;
  /** Removes a run whose launch failed, so its key can be retried. */
  delete(id: string): Promise<void>;
  get(id: string): Promise<RunRecord | undefined>;
  history(id: string): Promise<RunStateChange[]>;
  /** Newest first, keyset-paged on the insertion order. */
  list(
    filter: RunFilter,
    limit: number,
    cursor?: string,
  ): Promise<{ items: RunRecord[]; nextCursor?: string }>;
  /** Runs not yet succeeded, failed or cancelled. */
  listUnfinished(): Promise<RunRecord[]>;
  /** Runs that ran (for usage), with their histories. */
  listRan(): Promise<Array<{ run: RunRecord; history: RunStateChange[] }>>;
  /**
   * Records a state seen at `at`. A change of phase, reason or detail is appended to the history;
   * a terminal phase is never left. Returns the run as stored afterwards.
   */
  recordState(
    id: string,
    state: RunState,
    at: string,
    object?: { uid?: string; seen: boolean },
  ): Promise<RunRecord | undefined>;
  /** Marks a run cancelled by a person (a terminal state). */
  markCancelled(
    id: string,
    by: string,
    reason: string,
    at: string,
  ): Promise<RunRecord | undefined>;
}
