/*
 * DCGM queries of a run, MIG-safe (reference §3.3.7): utilisation from
 * DCGM_FI_PROF_GR_ENGINE_ACTIVE (a 0–1 ratio, supported on MIG slices, needs Volta or newer);
 * DCGM_FI_DEV_GPU_UTIL (a percentage, 0 on MIG) only as the fallback for whole pre-Volta GPUs.
 */

/**
 * The DCGM field a run's utilisation comes from first.
 * @public
 */
export const UTILISATION_METRIC = 'DCGM_FI_PROF_GR_ENGINE_ACTIVE';

/**
 * The fallback for whole GPUs without profiling metrics (never on MIG).
 * @public
 */
export const UTILISATION_FALLBACK_METRIC = 'DCGM_FI_DEV_GPU_UTIL';

/**
 * Framebuffer memory used, MiB (reported per MIG instance too).
 * @public
 */
export const MEMORY_METRIC = 'DCGM_FI_DEV_FB_USED';

/** Selector of a run's pods: its namespace and object name prefix (run names are DNS labels). */
function podSelector(namespace: string, objectName: string): string {
  if (!/^[a-z0-9-]+$/.test(namespace) || !/^[a-z0-9-]+$/.test(objectName)) {
    throw new Error('namespace and object name must be DNS labels');
  }
  return `namespace="${namespace}",pod=~"${objectName}-.*"`;
}

/**
 * PromQL of a run's average GPU utilisation as a 0–1 ratio, per cluster.
 * @public
 */
export function utilisationQuery(
  namespace: string,
  objectName: string,
  metric: string = UTILISATION_METRIC,
): string {
  const sel = podSelector(namespace, objectName);
  return metric === UTILISATION_FALLBACK_METRIC
    ? `avg by (cluster) (${metric}{${sel}}) / 100`
    : `avg by (cluster) (${metric}{${sel}})`;
}

/**
 * PromQL of a run's framebuffer memory used, MiB summed over its GPUs, per cluster.
 * @public
 */
export function memoryQuery(namespace: string, objectName: string): string {
  return `sum by (cluster) (${MEMORY_METRIC}{${podSelector(
    namespace,
    objectName,
  )}})`;
}

/**
 * Whether a running run's GPUs sit idle: every sample of the last `minutes` is below
 * `threshold` (default 10 % for 15 minutes), with enough samples to say so.
 * @public
 */
export function idleVerdict(
  points: ReadonlyArray<{ t: number; utilisation?: number }>,
  options?: { threshold?: number; minutes?: number; now?: number },
): { idle: boolean; message?: string } {
  const threshold = options?.threshold ?? 0.1;
  const minutes = options?.minutes ?? 15;
  const withValue = points.filter(
    (p): p is { t: number; utilisation: number } =>
      typeof p.utilisation === 'number',
  );
  if (!withValue.length) return { idle: false };
  const last = options?.now ?? withValue[withValue.length - 1].t;
  const from = last - minutes * 60;
  const recent = withValue.filter(p => p.t >= from);
  const covered = recent.length >= 2 && recent[0].t - from <= 120;
  if (!covered) return { idle: false };
  const max = Math.max(...recent.map(p => p.utilisation));
  if (max >= threshold) return { idle: false };
  return {
    idle: true,
    message: `GPUs idle: utilisation stayed below ${Math.round(
      threshold * 100,
    )} % (at most ${Math.round(
      max * 100,
    )} %) for the last ${minutes} minutes; check the data loader or cancel the run to free the GPUs`,
  };
}
