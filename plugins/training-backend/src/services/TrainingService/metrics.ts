import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { MetricsQueryResponse } from '@careplane/plugin-clusters-common';
import {
  idleVerdict,
  memoryQuery,
  RunGpuMetrics,
  UTILISATION_FALLBACK_METRIC,
  UTILISATION_METRIC,
  utilisationQuery,
} from '@careplane/plugin-training-common';
import type { RunRecord } from '../../database/RunStore';
import type { TrainingDeps } from './deps';

const MAX_POINTS = 300;

function seriesOf(answer: MetricsQueryResponse, cluster: string) {
  const c = answer.clusters.find(r => r.cluster === cluster);
  return {
    status: c?.status,
    error: c?.error,
    values: c?.result[0]?.values ?? [],
  };
}

/**
 * GPU utilisation (MIG-safe DCGM_FI_PROF_GR_ENGINE_ACTIVE; DCGM_FI_DEV_GPU_UTIL only for whole
 * GPUs that lack profiling metrics) and framebuffer memory of a run over its running time,
 * through the hub's metrics queries with the person's credentials, plus the idle verdict.
 */
export async function runGpuMetrics(
  deps: TrainingDeps,
  run: RunRecord,
  credentials: BackstageCredentials,
): Promise<RunGpuMetrics> {
  const now = (deps.now ?? Date.now)();
  if (!run.startedAt) {
    return { status: 'ok', points: [], idle: { idle: false } };
  }
  const start = Math.floor(Date.parse(run.startedAt) / 1000);
  const end = Math.floor(
    (run.finishedAt ? Date.parse(run.finishedAt) : now) / 1000,
  );
  const stepSeconds = Math.max(15, Math.ceil((end - start) / MAX_POINTS));
  const range = {
    start: String(start),
    end: String(Math.max(end, start + stepSeconds)),
    stepSeconds,
  };
  const ask = (query: string) =>
    deps.clusters.queryMetrics(
      { query, clusters: [run.cluster], range },
      { credentials },
    );
  const [utilAnswer, memAnswer] = await Promise.all([
    ask(utilisationQuery(run.namespace, run.objectName)),
    ask(memoryQuery(run.namespace, run.objectName)),
  ]);
  let util = seriesOf(utilAnswer, run.cluster);
  let metric = UTILISATION_METRIC;
  if (
    util.status === 'ok' &&
    !util.values.length &&
    !run.parameters.migProfile
  ) {
    // whole GPUs older than Volta have no profiling metrics; never on MIG, where it reads 0
    const fallback = seriesOf(
      await ask(
        utilisationQuery(
          run.namespace,
          run.objectName,
          UTILISATION_FALLBACK_METRIC,
        ),
      ),
      run.cluster,
    );
    if (fallback.values.length) {
      util = fallback;
      metric = UTILISATION_FALLBACK_METRIC;
    }
  }
  if (util.status !== 'ok') {
    return {
      status:
        util.status === 'not-configured' ? 'not-configured' : 'unavailable',
      ...(util.error ? { error: util.error } : {}),
      points: [],
      idle: { idle: false },
    };
  }
  const mem = new Map(
    seriesOf(memAnswer, run.cluster).values.map(([t, v]) => [t, Number(v)]),
  );
  const points = util.values.map(([t, v]) => ({
    t,
    utilisation: Number(v),
    ...(mem.has(t) ? { memoryMiB: mem.get(t) } : {}),
  }));
  const running = run.state.phase === 'running';
  return {
    status: 'ok',
    utilisationMetric: metric,
    points,
    idle: running
      ? idleVerdict(points, {
          threshold: deps.config.idle.threshold,
          minutes: deps.config.idle.minutes,
        })
      : { idle: false },
  };
}
