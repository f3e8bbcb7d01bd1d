import type {
  AuditQuery,
  AuditRecord,
} from '@careplane/plugin-clusters-common';
import type { Response } from 'express';
import type { AuditStore } from '../../database/AuditStore';

/** The formats `GET /v1/audit?format=` exports. */
export type AuditExportFormat = 'json' | 'csv';

const CSV_COLUMNS: Array<keyof AuditRecord> = [
  'id',
  'occurredAt',
  'actor',
  'actorType',
  'action',
  'cluster',
  'namespace',
  'kind',
  'name',
  'entityRef',
  'reason',
  'dryRun',
  'outcome',
  'error',
  'patchSha256',
];

/**
 * One CSV field; quoted, and defused against spreadsheet formula injection.
 * @internal
 */
export function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r']/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Writes every page of an audit filter, newest first, to the response as a CSV or JSON download.
 * @internal
 */
export async function exportAudit(
  auditStore: AuditStore,
  query: AuditQuery,
  format: AuditExportFormat,
  res: Response,
): Promise<void> {
  const filename = `clusters-audit-${new Date()
    .toISOString()
    .slice(0, 19)
    .replace(/:/g, '')}`;
  res.setHeader(
    'Content-Type',
    format === 'csv'
      ? 'text/csv; charset=utf-8'
      : 'application/json; charset=utf-8',
  );
  res.setHeader(
    'Content-Disposition',
    `attachment; filename="${filename}.${format === 'csv' ? 'csv' : 'json'}"`,
  );
  if (format === 'csv') res.write(`${CSV_COLUMNS.join(',')}\n`);
  else res.write('[');
  let cursor: string | undefined = query.cursor;
  let first = true;
  do {
    const page = await auditStore.list({ ...query, limit: 1000, cursor });
    for (const record of page.items) {
      if (format === 'csv') {
        res.write(`${CSV_COLUMNS.map(c => csvField(record[c])).join(',')}\n`);
      } else {
        res.write(`${first ? '' : ','}\n${JSON.stringify(record)}`);
      }
      first = false;
    }
    cursor = page.nextCursor;
  } while (cursor);
  if (format !== 'csv') res.write('\n]\n');
  res.end();
}
