import { fnv32, K8sObject } from '../../util';
import { annotationSeconds, Ctl, iso, ownerRef, SIM } from '../context';
import { HASH_LABEL, REV_ANN, RolloutRun } from './run';

/** The AnalysisRun of a canary `analysis` step, created on first need. */
export function analysisRunForStep(
  run: RolloutRun,
  step: any,
  idx: number,
): K8sObject {
  const { ctl, ro, ns, name, hash, revision, spec } = run;
  const arName = `${name}-${hash}-${revision}-${idx}`;
  const existing = ctl.cluster.objectOf(
    'argoproj.io',
    'AnalysisRun',
    ns,
    arName,
  );
  if (existing) return existing;
  return ctl.cluster.writeInternal(
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisRun',
      metadata: {
        name: arName,
        namespace: ns,
        labels: {
          [HASH_LABEL]: hash,
          'rollout-type': 'Step',
          'step-index': String(idx),
        },
        annotations: {
          [REV_ANN]: revision,
          ...Object.fromEntries(
            Object.entries(spec.template?.metadata?.annotations ?? {}).filter(
              ([k]) => k.startsWith('sim.careplane.io/'),
            ),
          ),
        },
        ownerReferences: [ownerRef(ro)],
      },
      spec: {
        metrics: (
          step.analysis.templates ?? [{ templateName: 'success-rate' }]
        ).map((t: any) => ({
          name: t.templateName,
          interval: '30s',
          count: 3,
          successCondition: 'result[0] >= 0.99',
          failureLimit: 0,
          provider: {
            prometheus: {
              address: 'http://prometheus.monitoring:9090',
              query: `sum(rate(http_requests_total{service="${name}",code!~"5.."}[2m])) / sum(rate(http_requests_total{service="${name}"}[2m]))`,
            },
          },
        })),
        args: step.analysis.args ?? [],
      },
      status: { phase: 'Pending' },
    },
    'rollouts-controller',
  );
}

/** AnalysisRuns measure for a while, then succeed (or fail when told to). */
export function reconcileAnalysisRun(ctl: Ctl, ar: K8sObject): void {
  const { cluster, now } = ctl;
  if (
    ['Successful', 'Failed', 'Error', 'Inconclusive'].includes(ar.status?.phase)
  )
    return;
  const started = Date.parse(
    ar.status?.startedAt ?? ar.metadata.creationTimestamp!,
  );
  const duration =
    (annotationSeconds(ar.metadata.annotations, SIM.analysisSeconds) ?? 60) *
    1000;
  const outcome = ar.metadata.annotations?.[SIM.analysis] ?? 'Successful';
  const metrics: any[] = ar.spec?.metrics ?? [];
  const elapsed = now - started;
  const count = Math.min(3, Math.floor(elapsed / (duration / 3)));
  const done = elapsed >= duration;
  const phase = done
    ? outcome === 'Failed'
      ? 'Failed'
      : outcome === 'Inconclusive'
      ? 'Inconclusive'
      : 'Successful'
    : 'Running';
  cluster.mutate(
    'argoproj.io',
    'AnalysisRun',
    ar.metadata.namespace!,
    ar.metadata.name!,
    a => {
      a.status = {
        phase,
        startedAt: iso(started),
        ...(done ? { completedAt: iso(now) } : {}),
        ...(phase === 'Failed'
          ? {
              message: `Metric "${metrics[0]?.name}" assessed Failed due to failed (1) > failureLimit (0)`,
            }
          : {}),
        runSummary: {
          count: metrics.length,
          successful: phase === 'Successful' ? metrics.length : 0,
          failed: phase === 'Failed' ? 1 : 0,
        },
        metricResults: metrics.map(m => ({
          name: m.name,
          phase: done
            ? phase === 'Failed'
              ? 'Failed'
              : 'Successful'
            : 'Running',
          count: Math.max(count, done ? 3 : 0),
          successful:
            phase === 'Failed'
              ? Math.max(count - 1, 0)
              : Math.max(count, done ? 3 : 0),
          failed: phase === 'Failed' ? 1 : 0,
          measurements: Array.from(
            { length: Math.max(count, done ? 3 : 0) },
            (_, i) => {
              const v =
                phase === 'Failed' && i === Math.max(count, 3) - 1
                  ? 0.93
                  : 0.995 + (fnv32(`${ar.metadata.uid}|${i}`) % 40) / 10000;
              const t = started + (i + 1) * (duration / 3);
              return {
                phase: v >= 0.99 ? 'Successful' : 'Failed',
                value: `[${v.toFixed(4)}]`,
                startedAt: iso(t - 1000),
                finishedAt: iso(t),
              };
            },
          ),
        })),
      };
    },
  );
  if (!done) ctl.wakeAt(Math.min(started + duration, now + duration / 3));
}
