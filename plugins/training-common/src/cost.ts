import type { RunPhase } from './contract';

/**
 * Hours a run held its GPUs: the time it spent `running` (from its state history), until `end`
 * (its finish, or now). Time queued or starting is not charged: the GPUs were not the run's.
 * @public
 */
export function runningHours(
  history: ReadonlyArray<{ phase: RunPhase; at: string }>,
  end: number,
): number {
  return runningIntervals(history, end).reduce(
    (sum, [from, to]) => sum + (to - from) / 3_600_000,
    0,
  );
}

/**
 * The `[from, to]` intervals (ms since epoch) a run spent running.
 * @public
 */
export function runningIntervals(
  history: ReadonlyArray<{ phase: RunPhase; at: string }>,
  end: number,
): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let since: number | undefined;
  for (const h of [...history].sort((a, b) => a.at.localeCompare(b.at))) {
    const t = Date.parse(h.at);
    if (h.phase === 'running' && since === undefined) since = t;
    else if (h.phase !== 'running' && since !== undefined) {
      out.push([since, Math.max(since, t)]);
      since = undefined;
    }
  }
  if (since !== undefined) out.push([since, Math.max(since, end)]);
  return out;
}

/** Rounds money and hours for display and storage (cents, hundredths of an hour). */
export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/**
 * GPU-hours and cost of a run so far.
 * @public
 */
export function runCost(options: {
  history: ReadonlyArray<{ phase: RunPhase; at: string }>;
  totalGpus: number;
  pricePerGpuHour: number;
  end: number;
}): { gpuHours: number; cost: number } {
  const gpuHours =
    runningHours(options.history, options.end) * options.totalGpus;
  return {
    gpuHours: round2(gpuHours),
    cost: round2(gpuHours * options.pricePerGpuHour),
  };
}

/**
 * The most a run can cost: every GPU for its whole maximum runtime.
 * @public
 */
export function maxRunCost(options: {
  totalGpus: number;
  pricePerGpuHour: number;
  maxRuntimeMinutes: number;
}): number {
  return round2(
    options.totalGpus *
      options.pricePerGpuHour *
      (options.maxRuntimeMinutes / 60),
  );
}

/** `YYYY-MM` of a time (UTC). */
function monthOf(t: number): string {
  return new Date(t).toISOString().slice(0, 7);
}

/** Start of the UTC month after the one `t` is in. */
function nextMonth(t: number): number {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/**
 * GPU-hours and cost per team and month (UTC), running time split at month boundaries.
 * @public
 */
export function monthlyUsage(
  runs: ReadonlyArray<{
    team?: string;
    history: ReadonlyArray<{ phase: RunPhase; at: string }>;
    totalGpus: number;
    pricePerGpuHour: number;
    end: number;
  }>,
): Array<{
  team: string;
  month: string;
  runs: number;
  gpuHours: number;
  cost: number;
}> {
  const acc = new Map<
    string,
    {
      team: string;
      month: string;
      runs: Set<number>;
      hours: number;
      cost: number;
    }
  >();
  runs.forEach((run, index) => {
    const team = run.team ?? 'unknown';
    for (const [from, to] of runningIntervals(run.history, run.end)) {
      let start = from;
      while (start < to) {
        const stop = Math.min(to, nextMonth(start));
        const key = `${team}|${monthOf(start)}`;
        const row = acc.get(key) ?? {
          team,
          month: monthOf(start),
          runs: new Set<number>(),
          hours: 0,
          cost: 0,
        };
        const gpuHours = ((stop - start) / 3_600_000) * run.totalGpus;
        row.hours += gpuHours;
        row.cost += gpuHours * run.pricePerGpuHour;
        row.runs.add(index);
        acc.set(key, row);
        start = stop;
      }
    }
  });
  return [...acc.values()]
    .sort(
      (a, b) => b.month.localeCompare(a.month) || a.team.localeCompare(b.team),
    )
    .map(r => ({
      team: r.team,
      month: r.month,
      runs: r.runs.size,
      gpuHours: round2(r.hours),
      cost: round2(r.cost),
    }));
}
