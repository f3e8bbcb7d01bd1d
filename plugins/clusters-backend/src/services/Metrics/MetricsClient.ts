import type {
  ClusterMetricsResult,
  MetricsResultType,
  MetricsSeries,
} from '@careplane/plugin-clusters-common';
import type { MetricsSource } from '../../config';
import { CircuitBreaker } from '../KubeClient/CircuitBreaker';

/**
 * A validated query as it goes to a source: instant, or range in unix seconds.
 * @internal
 */
export interface MetricsCall {
  query: string;
  range?: { start: number; end: number; step: number };
}

/** Bigger answers are refused rather than parsed and held in the cache. */
const MAX_ANSWER_CHARS = 20 * 1024 * 1024;
/** Prometheus error messages can be long (they quote the query); the caller needs the start. */
const MAX_ERROR_CHARS = 500;
const RESULT_TYPES: MetricsResultType[] = [
  'vector',
  'matrix',
  'scalar',
  'string',
];

/**
 * One cluster's Prometheus-compatible source: POSTs the query (form-encoded, as Prometheus'
 * own UI does, so long queries fit), with the cluster's request timeout and its own circuit
 * breaker. Every failure becomes an `unavailable` result whose message names neither the URL nor
 * the token.
 * @internal
 */
export class MetricsClient {
  private readonly breaker: CircuitBreaker;

  constructor(
    private readonly cluster: string,
    private readonly source: MetricsSource,
    circuitBreaker: { failureThreshold: number; cooldownMs: number },
  ) {
    this.breaker = new CircuitBreaker(circuitBreaker);
  }

  async query(call: MetricsCall): Promise<ClusterMetricsResult> {
    const resultType: MetricsResultType = call.range ? 'matrix' : 'vector';
    const unavailable = (error: string): ClusterMetricsResult => ({
      cluster: this.cluster,
      status: 'unavailable',
      error: this.redact(error),
      resultType,
      result: [],
    });
    if (!this.breaker.tryAcquire()) {
      return unavailable(
        `metrics source circuit open after repeated failures; next try in ${Math.ceil(
          this.breaker.retryInMs / 1000,
        )} s`,
      );
    }

    const body = new URLSearchParams({ query: call.query });
    if (call.range) {
      body.set('start', String(call.range.start));
      body.set('end', String(call.range.end));
      body.set('step', String(call.range.step));
    }
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    };
    if (this.source.auth) {
      headers.authorization = `Bearer ${this.source.auth.token}`;
    }

    let status: number;
    let text: string;
    try {
      const res = await fetch(
        `${this.source.url}/api/v1/${call.range ? 'query_range' : 'query'}`,
        {
          method: 'POST',
          headers,
          body,
          // a redirect would carry the token to wherever it points
          redirect: 'error',
          signal: AbortSignal.timeout(this.source.timeoutMs),
        },
      );
      status = res.status;
      const length = Number(res.headers.get('content-length'));
      if (length > MAX_ANSWER_CHARS) {
        await res.body?.cancel();
        this.breaker.onSuccess();
        return unavailable(
          'metrics answer too large; narrow the query or the range',
        );
      }
      text = await res.text();
    } catch (e) {
      this.breaker.onFailure();
      return unavailable(this.describe(e));
    }
    if (text.length > MAX_ANSWER_CHARS) {
      this.breaker.onSuccess();
      return unavailable(
        'metrics answer too large; narrow the query or the range',
      );
    }

    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (json?.status === 'error') {
      // bad_data (400) and execution (422) errors are the query's fault, not the source's
      if (status >= 500) this.breaker.onFailure();
      else this.breaker.onSuccess();
      const message = `${json.errorType ?? 'error'}: ${String(
        json.error ?? 'no message',
      )}`;
      return unavailable(message.slice(0, MAX_ERROR_CHARS));
    }
    if (status < 200 || status >= 300) {
      this.breaker.onFailure();
      return unavailable(
        status === 401 || status === 403
          ? `metrics source refused the credentials (HTTP ${status})`
          : `metrics source answered HTTP ${status}`,
      );
    }
    const data = json?.status === 'success' ? json.data : undefined;
    if (!data || !RESULT_TYPES.includes(data.resultType)) {
      this.breaker.onFailure();
      return unavailable(
        'metrics source answered something that is not a Prometheus API response',
      );
    }
    this.breaker.onSuccess();
    return {
      cluster: this.cluster,
      status: 'ok',
      resultType: data.resultType,
      result: this.series(data.resultType, data.result),
    };
  }

  private series(type: MetricsResultType, result: unknown): MetricsSeries[] {
    if (type === 'scalar' || type === 'string') {
      return Array.isArray(result)
        ? [{ metric: {}, value: result as [number, string] }]
        : [];
    }
    const series = Array.isArray(result) ? (result as MetricsSeries[]) : [];
    const label = this.source.clusterLabel;
    if (!label) return series;
    return series.filter(s => s?.metric?.[label] === this.cluster);
  }

  private describe(e: unknown): string {
    const error = e as { name?: string; code?: string; cause?: any };
    if (error?.name === 'TimeoutError' || error?.name === 'AbortError') {
      return `metrics source did not answer within ${this.source.timeoutMs} ms`;
    }
    // undici's messages and causes carry host:port; only the error code is passed on
    const code = error?.cause?.code ?? error?.code;
    return typeof code === 'string' && /^[A-Z_]+$/.test(code)
      ? `metrics source unreachable (${code})`
      : 'metrics source unreachable';
  }

  /** Belt and braces: whatever a message says, it never carries the source's address or token. */
  private redact(message: string): string {
    let out = message;
    const secrets = [this.source.url, new URL(this.source.url).host];
    if (this.source.auth) secrets.push(this.source.auth.token);
    for (const secret of secrets) {
      if (secret) out = out.split(secret).join('<redacted>');
    }
    return out;
  }
}
