import type { SimulatedCluster } from '../cluster';
import { fnv32, K8sObject, parseQuantity } from '../util';

/** Options of a pod log request. */
export interface PodLogOptions {
  container: string;
  previous?: boolean;
  timestamps?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
  limitBytes?: number;
  /** Only lines strictly after this simulated time (used by follow). */
  afterMs?: number;
}

const MAX_LINES = 10000;

function rand(seed: string): number {
  return fnv32(seed) / 4294967296;
}

/** Whether a pod runs a GPU training workload (changes its log style). */
export function isTrainingPod(pod: K8sObject): boolean {
  const labels = pod.metadata.labels ?? {};
  if (
    labels['trainer.kubeflow.org/trainjob-ancestor-step'] ||
    labels['training.kubeflow.org/job-name']
  ) {
    return true;
  }
  return (pod.spec?.containers ?? []).some(
    (c: any) =>
      parseQuantity(
        c.resources?.limits?.['nvidia.com/gpu'] ??
          c.resources?.requests?.['nvidia.com/gpu'],
      ) > 0,
  );
}

function serviceLine(pod: K8sObject, i: number, tMs: number): string {
  const name =
    pod.metadata.labels?.['backstage.io/kubernetes-id'] ??
    pod.metadata.labels?.app ??
    pod.metadata.name;
  if (i === 0) {
    const image = String(pod.spec?.containers?.[0]?.image ?? '');
    return `{"level":"info","ts":"${new Date(
      tMs,
    ).toISOString()}","msg":"server starting","service":"${name}","version":"${
      image.split(':')[1] ?? 'latest'
    }","port":8080}`;
  }
  if (i === 1) {
    return `{"level":"info","ts":"${new Date(
      tMs,
    ).toISOString()}","msg":"readiness probe passing","service":"${name}"}`;
  }
  const r = rand(`${pod.metadata.uid}|${i}`);
  const paths = [
    '/api/v1/sessions',
    '/api/v1/appointments',
    '/healthz',
    '/api/v1/consultations',
    '/metrics',
  ];
  const path = paths[Math.floor(r * paths.length)];
  const status = r > 0.985 ? 503 : r > 0.96 ? 404 : 200;
  const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
  const duration = Math.round(5 + rand(`${pod.metadata.uid}|d|${i}`) * 120);
  const trace = fnv32(`${pod.metadata.uid}|t|${i}`)
    .toString(16)
    .padStart(8, '0');
  return `{"level":"${level}","ts":"${new Date(
    tMs,
  ).toISOString()}","msg":"request completed","service":"${name}","method":"GET","path":"${path}","status":${status},"duration_ms":${duration},"trace_id":"${trace}"}`;
}

function trainingLine(pod: K8sObject, i: number): string {
  if (i === 0)
    return 'INFO torch.distributed: initialised process group backend=nccl world_size=8';
  if (i === 1)
    return 'INFO dataset: loaded 1,204,332 de-identified triage transcripts (train) and 60,114 (eval)';
  const step = (i - 1) * 50;
  const loss =
    2.4 * Math.exp(-step / 4000) +
    0.35 +
    rand(`${pod.metadata.uid}|l|${i}`) * 0.05;
  const tput = 410 + Math.round(rand(`${pod.metadata.uid}|p|${i}`) * 40);
  return `INFO trainer: epoch=${
    Math.floor(step / 2000) + 1
  } step=${step} loss=${loss.toFixed(
    4,
  )} lr=3.0e-04 throughput=${tput} samples/s`;
}

function startedAtMs(
  status: any,
  previous: boolean,
): { start?: number; end?: number; exitCode?: number } {
  const st = previous ? status?.lastState : status?.state;
  if (!st) return {};
  if (st.running) return { start: Date.parse(st.running.startedAt) };
  if (st.terminated) {
    return {
      start: Date.parse(st.terminated.startedAt),
      end: Date.parse(st.terminated.finishedAt),
      exitCode: st.terminated.exitCode,
    };
  }
  if (st.waiting && !previous && status?.lastState?.terminated) {
    return {};
  }
  return {};
}

/**
 * The log of one container up to `nowMs`, generated deterministically from
 * the pod's identity and timeline (nothing is stored, so 10,000 pods cost
 * nothing until someone reads their logs).
 */
export function podLogText(
  _cluster: SimulatedCluster,
  pod: K8sObject,
  opts: PodLogOptions,
  nowMs: number,
): { text: string; terminated: boolean } {
  const status = [
    ...(pod.status?.containerStatuses ?? []),
    ...(pod.status?.initContainerStatuses ?? []),
  ].find((s: any) => s.name === opts.container);
  const { start, end, exitCode } = startedAtMs(status, !!opts.previous);
  if (start === undefined || Number.isNaN(start))
    return { text: '', terminated: true };
  const training = isTrainingPod(pod);
  const intervalMs =
    Number(
      pod.metadata.annotations?.['sim.careplane.io/log-interval-seconds'] ??
        (training ? 10 : 5),
    ) * 1000;
  const stopMs = end !== undefined ? Math.min(end, nowMs) : nowMs;
  let fromMs = start;
  if (opts.sinceSeconds !== undefined)
    fromMs = Math.max(fromMs, nowMs - opts.sinceSeconds * 1000);
  if (opts.sinceTime) fromMs = Math.max(fromMs, Date.parse(opts.sinceTime));
  let firstIdx = Math.max(0, Math.ceil((fromMs - start) / intervalMs));
  if (opts.afterMs !== undefined) {
    firstIdx = Math.max(
      firstIdx,
      Math.floor((opts.afterMs - start) / intervalMs) + 1,
    );
  }
  let lastIdx = Math.floor((stopMs - start) / intervalMs);
  if (lastIdx < firstIdx && end === undefined)
    return { text: '', terminated: false };
  lastIdx = Math.min(lastIdx, firstIdx + MAX_LINES * 4);
  if (opts.tailLines !== undefined)
    firstIdx = Math.max(firstIdx, lastIdx - opts.tailLines + 1);
  if (lastIdx - firstIdx + 1 > MAX_LINES) firstIdx = lastIdx - MAX_LINES + 1;
  const lines: string[] = [];
  for (let i = firstIdx; i <= lastIdx; i++) {
    const t = start + i * intervalMs;
    const line = training ? trainingLine(pod, i) : serviceLine(pod, i, t);
    lines.push(
      opts.timestamps
        ? `${new Date(t).toISOString().replace('Z', '000000Z')} ${line}`
        : line,
    );
  }
  const terminated = end !== undefined && end <= nowMs;
  if (terminated && (opts.afterMs === undefined || opts.afterMs < end!)) {
    const finalLine =
      exitCode === 0
        ? training
          ? 'INFO trainer: training complete, checkpoint saved to s3://northwind-ml/checkpoints/final'
          : '{"level":"info","msg":"shutting down gracefully"}'
        : training
        ? 'ERROR trainer: RuntimeError: CUDA error: an illegal memory access was encountered'
        : `{"level":"fatal","msg":"unrecoverable error, exiting","exit_code":${exitCode}}`;
    lines.push(
      opts.timestamps
        ? `${new Date(end!).toISOString().replace('Z', '000000Z')} ${finalLine}`
        : finalLine,
    );
  }
  let text = lines.length ? `${lines.join('\n')}\n` : '';
  if (opts.limitBytes !== undefined && text.length > opts.limitBytes)
    text = text.slice(0, opts.limitBytes);
  return { text, terminated };
}
