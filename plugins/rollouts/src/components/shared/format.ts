/** A duration in the largest whole unit: `45s`, `2m`, `3h`, `5d`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

/** Time since an ISO timestamp, or undefined. */
export function since(
  iso: string | undefined,
  now: number,
): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : now - t;
}

/** `12s ago`, or `never`. */
export function ago(iso: string | undefined, now: number): string {
  const ms = since(iso, now);
  return ms === undefined ? 'never' : `${formatDuration(ms)} ago`;
}
