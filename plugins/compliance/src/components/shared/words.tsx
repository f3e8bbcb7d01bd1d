import { Chip } from '@material-ui/core';
import type { Grade, ResultStatus } from '@careplane/plugin-compliance-common';

/** Status in words (never colour alone). */
export const STATUS_WORDS: Record<ResultStatus, string> = {
  pass: 'Passing',
  fail: 'Failing',
  warn: 'Warning',
  'not-applicable': 'Not applicable',
  unknown: 'Unknown (no data)',
  error: 'Check error',
  exempt: 'Exempt',
};

const STATUS_COLOURS: Record<ResultStatus, string> = {
  pass: '#2e7d32',
  fail: '#c62828',
  warn: '#ef6c00',
  'not-applicable': '#757575',
  unknown: '#6a1b9a',
  error: '#4e342e',
  exempt: '#1565c0',
};

export function StatusChip(props: { status: ResultStatus }) {
  return (
    <Chip
      size="small"
      label={STATUS_WORDS[props.status]}
      style={{ backgroundColor: STATUS_COLOURS[props.status], color: '#fff' }}
    />
  );
}

const GRADE_COLOURS: Record<Grade, string> = {
  A: '#2e7d32',
  B: '#558b2f',
  C: '#f9a825',
  D: '#ef6c00',
  F: '#c62828',
  'N/A': '#757575',
};

/** The grade as a badge with its meaning for screen readers. */
export function GradeBadge(props: {
  grade: Grade;
  score: number | null;
  capped?: boolean;
  size?: number;
}) {
  const size = props.size ?? 56;
  const label =
    props.score === null
      ? `Grade ${props.grade}: nothing could be decided yet`
      : `Grade ${props.grade}, score ${props.score} of 100${
          props.capped ? ', capped by a critical failure' : ''
        }`;
  return (
    <div
      role="img"
      aria-label={label}
      title={label}
      style={{
        width: size,
        height: size,
        borderRadius: size / 2,
        background: GRADE_COLOURS[props.grade],
        color: '#fff',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        fontSize: size / 2.2,
        fontWeight: 700,
      }}
    >
      {props.grade}
    </div>
  );
}

/** "3 minutes ago" style age. */
export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} days ago`;
}

/** `legacy-onprem/Deployment/e-prescribing/e-prescribing` → `Deployment e-prescribing/e-prescribing on legacy-onprem`. */
export function targetWords(target: string): string {
  if (target === 'entity') return 'the service';
  const [cluster, kind, namespace, name] = target.split('/');
  return `${kind} ${namespace ? `${namespace}/` : ''}${name} on ${cluster}`;
}
