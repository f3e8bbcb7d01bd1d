import type { K8sObject } from '../util';
import { Ctl, getCondition, iso, ownedBy, ownerRef } from './context';

/**
 * The CronJob controller (kube-controller-manager cronjob_controllerv2),
 * simplified: on each schedule time (5-field cron, UTC) a Job named
 * `<cronjob>-<minutes since epoch>` is created from the job template,
 * honouring suspend and concurrencyPolicy; status.active,
 * lastScheduleTime and lastSuccessfulTime are kept, and finished Jobs beyond
 * the history limits are deleted.
 */

const RANGES: Array<[number, number]> = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 6],
];
const MONTHS = 'jan feb mar apr may jun jul aug sep oct nov dec'.split(' ');
const DAYS = 'sun mon tue wed thu fri sat'.split(' ');

function parseField(field: string, idx: number): Set<number> | undefined {
  const [min, max] = RANGES[idx];
  const names = idx === 3 ? MONTHS : idx === 4 ? DAYS : [];
  const value = (v: string) => {
    const i = names.indexOf(v.toLowerCase());
    if (i >= 0) return idx === 3 ? i + 1 : i;
    return Number(v);
  };
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText ? Number(stepText) : 1;
    let lo = min;
    let hi = max;
    if (range !== '*' && range !== '?') {
      const [a, b] = range.split('-');
      lo = value(a);
      hi = b !== undefined ? value(b) : stepText ? max : lo;
    }
    if (![lo, hi, step].every(Number.isInteger) || step < 1) return undefined;
    for (let v = lo; v <= hi; v += step) out.add(idx === 4 && v === 7 ? 0 : v);
  }
  return out;
}

/** Parses a 5-field schedule (or @hourly / @daily / …). */
export function parseCron(schedule: string): Set<number>[] | undefined {
  const macros: Record<string, string> = {
    '@yearly': '0 0 1 1 *',
    '@annually': '0 0 1 1 *',
    '@monthly': '0 0 1 * *',
    '@weekly': '0 0 * * 0',
    '@daily': '0 0 * * *',
    '@midnight': '0 0 * * *',
    '@hourly': '0 * * * *',
  };
  const fields = (macros[schedule.trim()] ?? schedule).trim().split(/\s+/);
  if (fields.length !== 5) return undefined;
  const sets = fields.map((f, i) => parseField(f, i));
  return sets.every(Boolean) ? (sets as Set<number>[]) : undefined;
}

/** The first schedule time strictly after `afterMs` (UTC, minute precision). */
export function nextRun(cron: Set<number>[], afterMs: number): number {
  const d = new Date(Math.floor(afterMs / 60000) * 60000 + 60000);
  for (let guard = 0; guard < 100000; guard++) {
    if (!cron[3].has(d.getUTCMonth() + 1)) {
      d.setUTCMonth(d.getUTCMonth() + 1, 1);
      d.setUTCHours(0, 0, 0, 0);
    } else if (!cron[2].has(d.getUTCDate()) || !cron[4].has(d.getUTCDay())) {
      d.setUTCDate(d.getUTCDate() + 1);
      d.setUTCHours(0, 0, 0, 0);
    } else if (!cron[1].has(d.getUTCHours())) {
      d.setUTCHours(d.getUTCHours() + 1, 0, 0, 0);
    } else if (!cron[0].has(d.getUTCMinutes())) {
      d.setUTCMinutes(d.getUTCMinutes() + 1, 0, 0);
    } else {
      return d.getTime();
    }
  }
  return Infinity;
}

function finished(job: K8sObject): 'Complete' | 'Failed' | undefined {
  if (getCondition(job, 'Complete')?.status === 'True') return 'Complete';
  if (getCondition(job, 'Failed')?.status === 'True') return 'Failed';
  return undefined;
}

function trimHistory(ctl: Ctl, cj: K8sObject, jobs: K8sObject[]) {
  const ns = cj.metadata.namespace!;
  for (const [kind, limit] of [
    ['Complete', cj.spec?.successfulJobsHistoryLimit ?? 3],
    ['Failed', cj.spec?.failedJobsHistoryLimit ?? 1],
  ] as const) {
    const done = jobs
      .filter(j => finished(j) === kind)
      .sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
    for (const j of done.slice(0, Math.max(0, done.length - limit)))
      ctl.cluster.removeOf('batch', 'Job', ns, j.metadata.name!);
  }
}

function createJob(ctl: Ctl, cj: K8sObject, at: number): K8sObject {
  const tmpl = cj.spec?.jobTemplate ?? {};
  const name = `${cj.metadata.name}-${Math.floor(at / 60000)}`;
  const job = ctl.cluster.writeInternal({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: cj.metadata.namespace,
      labels: { ...tmpl.metadata?.labels },
      annotations: {
        ...tmpl.metadata?.annotations,
        'batch.kubernetes.io/cronjob-scheduled-timestamp': iso(at),
      },
      ownerReferences: [ownerRef(cj)],
    },
    spec: tmpl.spec ?? {},
  });
  ctl.cluster.recordEvent(
    cj,
    'Normal',
    'SuccessfulCreate',
    `Created job ${name}`,
    'cronjob-controller',
  );
  return job;
}

/** Reconciles one CronJob. */
export function reconcileCronJob(ctl: Ctl, cj: K8sObject): void {
  const { cluster, now } = ctl;
  const ns = cj.metadata.namespace!;
  const cron = parseCron(String(cj.spec?.schedule ?? ''));
  if (!cron) return;
  let jobs = ownedBy(ctl, cj, 'batch', 'Job');
  const last = Date.parse(
    cj.status?.lastScheduleTime ?? cj.metadata.creationTimestamp!,
  );
  let due: number | undefined;
  for (let t = nextRun(cron, last), n = 0; t <= now && n < 1000; n++) {
    due = t;
    t = nextRun(cron, t);
  }
  if (due !== undefined && !cj.spec?.suspend) {
    const active = jobs.filter(j => !finished(j));
    const policy = cj.spec?.concurrencyPolicy ?? 'Allow';
    if (policy === 'Replace')
      for (const j of active)
        cluster.removeOf('batch', 'Job', ns, j.metadata.name!);
    if (policy !== 'Forbid' || active.length === 0)
      jobs.push(createJob(ctl, cj, due));
  }
  trimHistory(ctl, cj, jobs);
  jobs = ownedBy(ctl, cj, 'batch', 'Job');
  const successes = jobs
    .filter(j => finished(j) === 'Complete')
    .map(j => j.status?.completionTime)
    .filter(Boolean)
    .sort();
  cluster.mutate('batch', 'CronJob', ns, cj.metadata.name!, c => {
    c.status = {
      ...(jobs.some(j => !finished(j))
        ? {
            active: jobs
              .filter(j => !finished(j))
              .map(j => ({
                apiVersion: 'batch/v1',
                kind: 'Job',
                name: j.metadata.name,
                namespace: ns,
                uid: j.metadata.uid,
                resourceVersion: j.metadata.resourceVersion,
              })),
          }
        : {}),
      ...(due !== undefined || c.status?.lastScheduleTime
        ? {
            lastScheduleTime:
              due !== undefined && !cj.spec?.suspend
                ? iso(due)
                : c.status?.lastScheduleTime,
          }
        : {}),
      ...(successes.length
        ? { lastSuccessfulTime: successes[successes.length - 1] }
        : {}),
    };
    for (const k of Object.keys(c.status))
      if (c.status[k] === undefined) delete c.status[k];
  });
  const next = nextRun(cron, Math.max(now, due ?? now));
  if (Number.isFinite(next)) ctl.wakeAt(next);
}
