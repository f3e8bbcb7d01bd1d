import type { Simulation } from '../simulation';
import { fnv32, K8sObject } from '../util';
import { podGpus } from '../controllers/scheduler';
import { Labels, matchLabels, Matcher, Sample, SeriesSource } from './promql';

const TWO_PI = Math.PI * 2;

function unit(seed: string): number {
  return fnv32(seed) / 4294967296;
}

interface ServiceSeries {
  cluster: string;
  namespace: string;
  service: string;
  rps: number;
  errorRatio: number;
  latencyMs: number;
}

/**
 * Series the plugins read, computed on demand from the simulation state and
 * the query time (nothing is stored): request counters per service (for SLO
 * burn), DCGM GPU metrics per training pod, replication lag per data stream,
 * and `up` per cluster. Counters are closed-form integrals of a slowly
 * wobbling rate, so rate() over any window is consistent.
 */
export class SimulationSeries implements SeriesSource {
  constructor(private readonly sim: Simulation) {}

  private services(): ServiceSeries[] {
    const configured = this.sim.scenario.metrics?.services ?? [];
    const out: ServiceSeries[] = [];
    const seen = new Set<string>();
    for (const s of configured) {
      seen.add(`${s.cluster}|${s.namespace}|${s.service}`);
      out.push({
        cluster: s.cluster,
        namespace: s.namespace,
        service: s.service,
        rps: s.rps ?? 20,
        errorRatio: s.errorRatio ?? 0.001,
        latencyMs: s.latencyMs ?? 45,
      });
    }
    for (const [name, h] of this.sim.clusters) {
      for (const svc of h.cluster.objectsOf('', 'Service')) {
        if (
          !svc.metadata.labels?.['backstage.io/kubernetes-id'] ||
          svc.metadata.name!.endsWith('-preview')
        )
          continue;
        const k = `${name}|${svc.metadata.namespace}|${svc.metadata.name}`;
        if (seen.has(k)) continue;
        seen.add(k);
        out.push({
          cluster: name,
          namespace: svc.metadata.namespace!,
          service: svc.metadata.name!,
          rps: 10 + unit(k) * 40,
          errorRatio: 0.0005 + unit(`${k}|e`) * 0.0008,
          latencyMs: 30 + unit(`${k}|l`) * 60,
        });
      }
    }
    return out;
  }

  /** Integral of rps * (1 + 0.15 sin(2πt/900 + φ)) from 0 to t. */
  private requests(rps: number, t: number, phase: number): number {
    const period = 900;
    return (
      rps *
      (t +
        ((0.15 * period) / TWO_PI) *
          (Math.cos(phase) - Math.cos((TWO_PI * t) / period + phase)))
    );
  }

  private clusterUp(name: string): boolean {
    const f = this.sim.faults(name).current;
    return !f.down && !f.hang;
  }

  private gpuPods(
    t: number,
  ): Array<{ cluster: string; pod: K8sObject; gpus: number }> {
    const out: Array<{ cluster: string; pod: K8sObject; gpus: number }> = [];
    const tMs = t * 1000;
    for (const [name, h] of this.sim.clusters) {
      for (const pod of h.cluster.objectsOf('', 'Pod')) {
        const gpus = podGpus(pod);
        if (gpus === 0) continue;
        const st = pod.status?.containerStatuses?.[0]?.state;
        const started = Date.parse(
          st?.running?.startedAt ?? st?.terminated?.startedAt ?? '',
        );
        if (Number.isNaN(started) || tMs < started) continue;
        const finished = Date.parse(st?.terminated?.finishedAt ?? '');
        if (!Number.isNaN(finished) && tMs > finished) continue;
        out.push({ cluster: name, pod, gpus });
      }
    }
    return out;
  }

  select(name: string | undefined, matchers: Matcher[], t: number): Sample[] {
    const nameMatchers = matchers.filter(m => m.name === '__name__');
    const want = (n: string) =>
      (name === undefined || name === n) &&
      matchLabels({ __name__: n }, nameMatchers);
    const rest = matchers.filter(m => m.name !== '__name__');
    const out: Sample[] = [];
    const push = (metric: string, labels: Labels, value: number) => {
      if (!want(metric)) return;
      const full = { __name__: metric, ...labels };
      if (matchLabels(full, rest)) out.push({ labels: full, value });
    };
    for (const [cluster] of this.sim.clusters) {
      push(
        'up',
        { job: 'kube-apiserver', cluster },
        this.clusterUp(cluster) ? 1 : 0,
      );
    }
    const httpNames = ['http_requests_total', 'http_request_duration_seconds'];
    if (httpNames.some(want)) {
      for (const s of this.services()) {
        const phase = unit(`${s.cluster}|${s.service}`) * TWO_PI;
        const base = {
          cluster: s.cluster,
          namespace: s.namespace,
          service: s.service,
          job: s.service,
        };
        const total = this.requests(s.rps, t, phase);
        const errors = total * s.errorRatio;
        const notFound = total * 0.01;
        push(
          'http_requests_total',
          { ...base, code: '200' },
          Math.floor(total - errors - notFound),
        );
        push(
          'http_requests_total',
          { ...base, code: '404' },
          Math.floor(notFound),
        );
        push(
          'http_requests_total',
          { ...base, code: '500' },
          Math.floor(errors * 0.7),
        );
        push(
          'http_requests_total',
          { ...base, code: '503' },
          Math.floor(errors * 0.3),
        );
        const wobble = 1 + 0.1 * Math.sin((TWO_PI * t) / 600 + phase);
        push(
          'http_request_duration_seconds',
          { ...base, quantile: '0.5' },
          (s.latencyMs * wobble) / 1000,
        );
        push(
          'http_request_duration_seconds',
          { ...base, quantile: '0.95' },
          (s.latencyMs * 2.5 * wobble) / 1000,
        );
        push(
          'http_request_duration_seconds',
          { ...base, quantile: '0.99' },
          (s.latencyMs * 4.2 * wobble) / 1000,
        );
      }
    }
    if (
      [
        'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
        'DCGM_FI_DEV_GPU_UTIL',
        'DCGM_FI_DEV_FB_USED',
        'DCGM_FI_DEV_FB_FREE',
        'DCGM_FI_DEV_POWER_USAGE',
        'DCGM_FI_DEV_GPU_TEMP',
        'DCGM_FI_PROF_DRAM_ACTIVE',
      ].some(want)
    ) {
      for (const { cluster, pod, gpus } of this.gpuPods(t)) {
        const override = Number(
          pod.metadata.annotations?.['sim.careplane.io/gpu-util'],
        );
        const base = Number.isFinite(override)
          ? override
          : 0.62 + unit(pod.metadata.uid!) * 0.3;
        for (let g = 0; g < gpus; g++) {
          const seed = `${pod.metadata.uid}|${g}`;
          const active = Math.min(
            1,
            Math.max(0, base + 0.06 * Math.sin(t / 47 + unit(seed) * TWO_PI)),
          );
          const used = Math.round(81920 * (0.35 + active * 0.55));
          const labels: Labels = {
            gpu: String(g),
            UUID: `GPU-${fnv32(seed).toString(16).padStart(8, '0')}-${fnv32(
              `${seed}|b`,
            )
              .toString(16)
              .padStart(8, '0')
              .slice(0, 4)}-4a1e-9c3b-${fnv32(`${seed}|c`)
              .toString(16)
              .padStart(8, '0')}`,
            device: `nvidia${g}`,
            modelName: 'NVIDIA A100-SXM4-80GB',
            Hostname: pod.spec?.nodeName ?? '',
            cluster,
            namespace: pod.metadata.namespace!,
            pod: pod.metadata.name!,
            container: pod.spec?.containers?.[0]?.name ?? '',
          };
          push(
            'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
            labels,
            Math.round(active * 10000) / 10000,
          );
          push(
            'DCGM_FI_PROF_DRAM_ACTIVE',
            labels,
            Math.round(active * 0.7 * 10000) / 10000,
          );
          push('DCGM_FI_DEV_GPU_UTIL', labels, Math.round(active * 100));
          push('DCGM_FI_DEV_FB_USED', labels, used);
          push('DCGM_FI_DEV_FB_FREE', labels, 81920 - used);
          push(
            'DCGM_FI_DEV_POWER_USAGE',
            labels,
            Math.round((90 + active * 300) * 10) / 10,
          );
          push('DCGM_FI_DEV_GPU_TEMP', labels, Math.round(38 + active * 30));
        }
      }
    }
    for (const r of this.sim.scenario.metrics?.replication ?? []) {
      const jitter = r.jitterSeconds ?? r.lagSeconds * 0.2;
      const lag = Math.max(
        0,
        r.lagSeconds + jitter * Math.sin(t / 37 + unit(r.stream) * TWO_PI),
      );
      const labels = {
        stream: r.stream,
        cluster: r.cluster,
        namespace: r.namespace,
        source_cluster: r.source,
        target_cluster: r.target,
      };
      push(
        'careplane_replication_lag_seconds',
        labels,
        Math.round(lag * 100) / 100,
      );
      push(
        'cnpg_pg_replication_lag',
        {
          cluster: r.cluster,
          namespace: r.namespace,
          pod: `${r.stream}-1`,
          subscription: r.stream,
        },
        Math.round(lag * 100) / 100,
      );
    }
    return out;
  }

  /** All metric names the source can produce (for /api/v1/label/__name__/values). */
  names(): string[] {
    return [
      'DCGM_FI_DEV_FB_FREE',
      'DCGM_FI_DEV_FB_USED',
      'DCGM_FI_DEV_GPU_TEMP',
      'DCGM_FI_DEV_GPU_UTIL',
      'DCGM_FI_DEV_POWER_USAGE',
      'DCGM_FI_PROF_DRAM_ACTIVE',
      'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
      'careplane_replication_lag_seconds',
      'cnpg_pg_replication_lag',
      'http_request_duration_seconds',
      'http_requests_total',
      'up',
    ];
  }
}
