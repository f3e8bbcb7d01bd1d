/** Money with its currency, e.g. `$12.40` or `12.40 EUR`. */
export function formatMoney(amount: number, currency = 'USD'): string {
  try {
    return new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency,
    }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

/** A duration in words: `45 s`, `12 min`, `3 h 05 min`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  return `${h} h ${String(m % 60).padStart(2, '0')} min`;
}

/** A time as people read it (local, to the second). */
export function formatTime(iso: string): string {
  return new Date(iso).toLocaleString('en-GB', { hour12: false });
}

/** How long a run has been going (or went). */
export function runDuration(
  run: { createdAt: string; finishedAt?: string },
  now: number,
): string {
  const end = run.finishedAt ? Date.parse(run.finishedAt) : now;
  return formatDuration(end - Date.parse(run.createdAt));
}
