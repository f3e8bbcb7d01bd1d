import type { CheckDefinition } from '@careplane/plugin-compliance-common';
import type { StoredResult } from '../../database/ComplianceStore';

/** One row of an evidence export. @internal */
export interface EvidenceRow {
  entityRef: string;
  checkId: string;
  checkVersion: number;
  title: string;
  severity: string;
  hipaa: string;
  target: string;
  status: string;
  message: string;
  evidence: string;
  since: string;
  evaluatedAt: string;
}

const COLUMNS: Array<keyof EvidenceRow> = [
  'entityRef',
  'checkId',
  'checkVersion',
  'title',
  'severity',
  'hipaa',
  'target',
  'status',
  'message',
  'evidence',
  'since',
  'evaluatedAt',
];

/** Rows of an export: what was checked, the evidence, when. @internal */
export function evidenceRows(
  results: Map<string, StoredResult[]>,
  catalog: ReadonlyMap<string, CheckDefinition>,
): EvidenceRow[] {
  return [...results.values()].flat().map(r => {
    const c = catalog.get(r.checkId);
    return {
      entityRef: r.entityRef,
      checkId: r.checkId,
      checkVersion: r.checkVersion,
      title: c?.title ?? r.checkId,
      severity: r.severity,
      hipaa: c?.hipaa.join(' ') ?? '',
      target: r.target,
      status: r.status,
      message: r.message,
      evidence: r.evidence
        .map(e => `${e.object} ${e.path} = ${e.value}`)
        .join(' | '),
      since: r.since,
      evaluatedAt: r.evaluatedAt,
    };
  });
}

function cell(v: unknown): string {
  let s = String(v ?? '');
  // a leading = + - @ would be a formula in a spreadsheet
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV with a header block saying who exported what and when. @internal */
export function toCsv(
  rows: EvidenceRow[],
  meta: { exportedBy: string; exportedAt: string; filter: string },
): string {
  const head = [
    `# Careplane compliance evidence export`,
    `# exported by ${meta.exportedBy} at ${meta.exportedAt}`,
    `# filter: ${meta.filter}`,
  ];
  const lines = [
    ...head,
    COLUMNS.join(','),
    ...rows.map(r => COLUMNS.map(c => cell(r[c])).join(',')),
  ];
  return `${lines.join('\n')}\n`;
}
