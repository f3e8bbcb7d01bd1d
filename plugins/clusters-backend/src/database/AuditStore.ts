import type {
  AuditQuery,
  AuditRecord,
} from '@careplane/plugin-clusters-common';

/**
 * Persistence of the clusters audit log.
 * @internal
 */
export interface AuditStore {
  insert(record: AuditRecord): Promise<void>;
  /** One page, newest first. */
  list(
    query: AuditQuery,
  ): Promise<{ items: AuditRecord[]; nextCursor?: string }>;
}
