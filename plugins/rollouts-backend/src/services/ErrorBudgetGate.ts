import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { ANNOTATION_KUBERNETES_ID } from '@careplane/plugin-clusters-common';
import type { ClustersService } from '@careplane/plugin-clusters-node';
import {
  ANNOTATION_SLO,
  burnWindows,
  ClusterGate,
  evaluateBudget,
  GateResponse,
  parseSloAnnotation,
} from '@careplane/plugin-rollouts-common';
import type { RolloutsConfig } from '../config';

/** A PromQL duration for seconds: `30d`, `6h`, `5m`, else `Ns`. */
export function promDuration(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/** The error-ratio query of one window (5xx over all requests), per cluster. */
export function errorRatioQuery(
  config: RolloutsConfig,
  id: string,
  seconds: number,
): string {
  const sel = `${config.serviceLabel}="${id.replace(/["\\]/g, '')}"`;
  const w = promDuration(seconds);
  const m = config.requestsMetric;
  const errors = `${m}{${sel},code=~"5.."}`;
  const all = `${m}{${sel}}`;
  if (config.query === 'rate') {
    return `sum by (cluster) (rate(${errors}[${w}])) / sum by (cluster) (rate(${all}[${w}]))`;
  }
  const diff = (s: string) =>
    `(sum by (cluster) (${s}) - sum by (cluster) (${s} offset ${w}))`;
  return `${diff(errors)} / ${diff(all)}`;
}

/**
 * The error-budget gate of an entity per cluster: its SLO annotation, then the error ratio over
 * the SLO window and every burn-rate window from the hub's metrics queries (caller's
 * credentials). A cluster whose source is missing or has no series is "not evaluated", never a
 * pass.
 */
export async function evaluateGate(
  deps: {
    clusters: ClustersService;
    catalog: CatalogService;
    config: RolloutsConfig;
  },
  entityRef: string,
  clusterNames: string[] | undefined,
  credentials: BackstageCredentials,
): Promise<GateResponse> {
  const entity = await deps.catalog.getEntityByRef(entityRef, { credentials });
  if (!entity) throw new NotFoundError(`No entity ${entityRef} in the catalog`);
  const annotation = entity.metadata.annotations?.[ANNOTATION_SLO];
  const parsed = parseSloAnnotation(annotation);
  if (!parsed.ok && annotation !== undefined) {
    // a malformed annotation is the owner's to fix: say what is wrong
    throw new InputError(`${entityRef}: ${parsed.error}`);
  }
  const id = entity.metadata.annotations?.[ANNOTATION_KUBERNETES_ID];
  if (!parsed.ok || !id) {
    return {
      entityRef,
      sloError: parsed.ok
        ? `${entityRef} has no ${ANNOTATION_KUBERNETES_ID} annotation`
        : parsed.error,
      clusters: [],
    };
  }
  const { slo } = parsed;
  const windows = [slo.windowDays * 86400, ...burnWindows()];
  const answers = await Promise.all(
    windows.map(w =>
      deps.clusters.queryMetrics(
        { query: errorRatioQuery(deps.config, id, w), clusters: clusterNames },
        { credentials },
      ),
    ),
  );
  const names = [
    ...new Set(answers.flatMap(a => a.clusters.map(c => c.cluster))),
  ];
  const clusters: ClusterGate[] = names.map(cluster => {
    const ratios = new Map<number, number | undefined>();
    const problems: string[] = [];
    windows.forEach((w, i) => {
      const c = answers[i].clusters.find(x => x.cluster === cluster);
      if (c && c.status !== 'ok') problems.push(c.error ?? c.status);
      const raw = c?.status === 'ok' ? c.result[0]?.value?.[1] : undefined;
      const n = raw === undefined ? NaN : Number(raw);
      // NaN (no traffic) and, with counter differences, a reset inside the window (< 0 or > 1)
      ratios.set(w, Number.isFinite(n) && n >= 0 && n <= 1 ? n : undefined);
    });
    const verdict = evaluateBudget(slo.availability!, slo.windowDays, ratios);
    if (verdict.decision === 'not-evaluated' && problems.length) {
      verdict.reason = `${verdict.reason} (${[...new Set(problems)].join(
        '; ',
      )})`;
    }
    return {
      cluster,
      ...verdict,
      errorRatios: windows.map(w => ({
        windowSeconds: w,
        errorRatio: ratios.get(w),
      })),
    };
  });
  return { entityRef, slo, clusters };
}
