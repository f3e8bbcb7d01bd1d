import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  InputError,
  serializeError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { ClusterHealth } from '@careplane/plugin-clusters-common';
import type { ClusterDefinition } from '@careplane/plugin-clusters-node';
import type { LookupFunction } from 'node:net';
import fetch, { RequestInit, Response } from 'node-fetch';
import { CircuitBreaker } from './CircuitBreaker';
import { Connection, openConnection, refreshHeaders } from './connection';
import {
  credentialsRefused,
  toBackstageError,
  TooManyRequestsError,
} from './errors';
import {
  buildQuery,
  connectionErrorOf,
  retryAfterMs,
  safeJson,
} from './httpAnswer';

/** API-server verbs counted per cluster. @internal */
export type KubeVerb =
  | 'list'
  | 'watch'
  | 'get'
  | 'create'
  | 'apply'
  | 'patch'
  | 'delete'
  | 'logs';

/**
 * One call to an API server.
 * @internal
 */
export interface KubeRequest {
  verb: KubeVerb;
  method: 'GET' | 'PATCH' | 'DELETE' | 'POST' | 'PUT';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  /**
   * `idempotent` calls are retried on network errors, timeouts, 5xx and 429; `throttled-only`
   * (non-idempotent writes) only on 429, which the server sends before doing anything.
   */
  retry: 'idempotent' | 'throttled-only';
  /**
   * The cluster probe: goes out even while the circuit is open (it is the half-open trial), so
   * a cluster that answers again is seen at the next probe, not after the breaker's cooldown.
   */
  probe?: boolean;
}

/**
 * Tuning of a {@link KubeClient}.
 * @internal
 */
export interface KubeClientOptions {
  retry: { maxRetries: number; baseDelayMs: number; maxDelayMs: number };
  circuitBreaker: { failureThreshold: number; cooldownMs: number };
  logger: LoggerService;
  /** Injectable for tests: how to wait between retries. */
  sleep?: (ms: number) => Promise<void>;
  /**
   * How the agent resolves the API server's host; by default DNS. A supplied cluster gets the
   * addresses its SSRF check resolved (`pinnedLookup`), so a second DNS answer cannot rebind it.
   */
  lookup?: LookupFunction;
}

const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);

/**
 * The per-cluster client: the only place that talks HTTP to an API server. client-node supplies
 * the KubeConfig (token, kubeconfig file, in-cluster, CA / client certs); this class adds what
 * client-node lacks: a timeout on every call, retries with backoff that honour 429 /
 * Retry-After, a circuit breaker, health, and request counters.
 * @internal
 */
export class KubeClient {
  readonly name: string;
  readonly requests: Record<KubeVerb, number> = {
    list: 0,
    watch: 0,
    get: 0,
    create: 0,
    apply: 0,
    patch: 0,
    delete: 0,
    logs: 0,
  };
  throttled = 0;

  private readonly definition: ClusterDefinition;
  private readonly options: KubeClientOptions;
  private readonly breaker: CircuitBreaker;
  private readonly logger: LoggerService;
  private readonly sleep: (ms: number) => Promise<void>;
  private connection?: Promise<Connection>;
  private lastContactAt?: number;
  private latencyMs?: number;
  private lastError?: Error;

  static create(definition: ClusterDefinition, options: KubeClientOptions) {
    return new KubeClient(definition, options);
  }

  private constructor(
    definition: ClusterDefinition,
    options: KubeClientOptions,
  ) {
    this.name = definition.name;
    this.definition = definition;
    this.options = options;
    this.breaker = new CircuitBreaker(options.circuitBreaker);
    this.logger = options.logger.child({ cluster: definition.name });
    this.sleep = options.sleep ?? (ms => new Promise(r => setTimeout(r, ms)));
  }

  get requestTimeoutMs() {
    return this.definition.timeouts?.requestMs ?? 5000;
  }

  get firstSyncTimeoutMs() {
    return this.definition.timeouts?.firstSyncMs ?? 5000;
  }

  get watchIdleMs() {
    return this.definition.timeouts?.watchIdleMs ?? 90_000;
  }

  /** When the API server last answered a request (any status), in epoch ms. */
  get lastAnsweredAt(): number | undefined {
    return this.lastContactAt;
  }

  health(): ClusterHealth {
    const circuit = this.breaker.state;
    let status: ClusterHealth['status'] = 'unknown';
    if (circuit === 'open') status = 'unavailable';
    else if (this.lastError)
      status = this.lastContactAt ? 'degraded' : 'unavailable';
    else if (this.lastContactAt) status = 'healthy';
    return {
      status,
      circuit,
      lastContactAt: this.lastContactAt
        ? new Date(this.lastContactAt).toISOString()
        : undefined,
      latencyMs: this.latencyMs,
      error: this.lastError ? serializeError(this.lastError) : undefined,
    };
  }

  /** Sends a request and parses the JSON answer; throws a Backstage error on failure. */
  async request<T>(req: KubeRequest): Promise<T> {
    const res = await this.send(req, this.requestTimeoutMs, false);
    const text = res.text;
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Sends a request and returns the raw text answer (pod logs). */
  async requestText(req: KubeRequest): Promise<string> {
    return (await this.send(req, this.requestTimeoutMs, false)).text;
  }

  /**
   * Opens a streaming response (watch, followed logs). Only connecting is bounded by the request
   * timeout; the caller owns the stream and aborts it with `signal`.
   */
  async stream(
    req: Omit<KubeRequest, 'retry'>,
    signal: AbortSignal,
  ): Promise<NodeJS.ReadableStream> {
    const res = await this.send(
      { ...req, retry: 'throttled-only' },
      this.requestTimeoutMs,
      true,
      signal,
    );
    return res.body!;
  }

  private async connect(): Promise<Connection> {
    if (!this.connection) {
      this.connection = openConnection(this.definition, this.options.lookup);
      this.connection.catch(() => {
        // a failed connection is not kept: the next call tries again (the error is the call's)
        this.connection = undefined;
      });
    }
    return refreshHeaders(await this.connection);
  }

  private backoff(attempt: number): number {
    const { baseDelayMs, maxDelayMs } = this.options.retry;
    const exp = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
    return Math.round(exp / 2 + (Math.random() * exp) / 2);
  }

  private async send(
    req: KubeRequest,
    timeoutMs: number,
    streaming: boolean,
    signal?: AbortSignal,
  ): Promise<{ text: string; body?: NodeJS.ReadableStream }> {
    const { maxRetries, maxDelayMs } = this.options.retry;
    // Serialised once, before anything is counted: a body that cannot be serialised is the
    // caller's problem, never a failure of the cluster (it must not touch health or the breaker).
    let body: string | undefined;
    try {
      body = req.body === undefined ? undefined : JSON.stringify(req.body);
    } catch (e) {
      throw new InputError(
        `Request body cannot be sent: ${(e as Error).message}`,
      );
    }
    // One request timeout bounds the whole call, retries included: a cluster that does not
    // answer costs its caller one timeout, not one per attempt (a retry is only made while the
    // budget lasts, so a timed-out attempt is never retried). Waits the server asked for (429)
    // extend the budget: a throttling server is answering.
    let deadline = Date.now() + timeoutMs;
    const canRetry = (attempt: number, delayMs: number) =>
      req.retry === 'idempotent' &&
      !req.probe &&
      attempt < maxRetries &&
      this.breaker.state === 'closed' &&
      Date.now() + delayMs < deadline;
    for (let attempt = 0; ; attempt++) {
      if (!this.breaker.tryAcquire(req.probe)) {
        // keep the cause: "circuit open" alone tells an operator nothing about what is wrong
        const cause = this.lastError
          ? `; last error: ${this.lastError.message}`
          : '';
        throw new ServiceUnavailableError(
          `Cluster ${
            this.name
          } is unavailable (circuit open; next probe in ${Math.ceil(
            this.breaker.retryInMs / 1000,
          )} s${cause})`,
        );
      }
      const controller = new AbortController();
      const onAbort = () => controller.abort();
      signal?.addEventListener('abort', onAbort);
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, Math.max(1, deadline - Date.now()));
      const started = Date.now();
      let res: Response;
      let text = '';
      try {
        const connection = await this.connect();
        this.requests[req.verb]++;
        const headers: Record<string, string> = {
          ...connection.headers,
          Accept: req.verb === 'logs' ? 'text/plain, */*' : 'application/json',
        };
        if (req.body !== undefined) {
          headers['Content-Type'] = req.contentType ?? 'application/json';
        }
        res = await fetch(
          `${connection.baseUrl}${req.path}${buildQuery(req.query)}`,
          {
            method: req.method,
            headers,
            body,
            agent: connection.agent,
            // node-fetch 2 types its own AbortSignal; the runtime one is what it expects
            signal: controller.signal as NonNullable<RequestInit['signal']>,
            compress: !streaming,
          },
        );
        if (!streaming || !res.ok) text = await res.text();
      } catch (e) {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (signal?.aborted) throw e;
        const error = timedOut
          ? new ServiceUnavailableError(
              `Cluster ${this.name} did not answer within ${timeoutMs} ms`,
            )
          : new ServiceUnavailableError(
              `Cluster ${this.name} is unreachable (${connectionErrorOf(e)})`,
            );
        this.recordFailure(error);
        const delay = this.backoff(attempt);
        if (canRetry(attempt, delay)) {
          await this.sleep(delay);
          continue;
        }
        throw error;
      }
      clearTimeout(timer);
      if (!streaming || !res.ok) signal?.removeEventListener('abort', onAbort);

      if (res.status === 429) {
        this.throttled++;
        this.recordContact(started, false);
        if (attempt < maxRetries) {
          const wait = Math.min(
            maxDelayMs,
            retryAfterMs(res) ?? this.backoff(attempt),
          );
          this.logger.warn('API server throttled the request; backing off', {
            verb: req.verb,
            waitMs: wait,
          });
          deadline += wait;
          await this.sleep(wait);
          continue;
        }
        const error = new TooManyRequestsError(
          `Cluster ${this.name} is throttling requests (429)`,
        );
        this.lastError = error;
        throw Object.assign(error, { kubeStatusCode: 429, statusCode: 429 });
      }
      if (RETRYABLE_STATUS.has(res.status)) {
        const error = toBackstageError(this.name, res.status, safeJson(text));
        this.recordFailure(error);
        const delay = retryAfterMs(res) ?? this.backoff(attempt);
        if (canRetry(attempt, delay)) {
          await this.sleep(delay);
          continue;
        }
        throw error;
      }
      this.recordContact(started, !streaming);
      if (!res.ok) {
        const status = safeJson(text);
        // a read of ours refused: the token or its RBAC is wrong, not the caller's request (a
        // 403 on a write may be admission or quota, so writes keep the server's message alone)
        if (
          res.status === 401 ||
          (res.status === 403 && req.method === 'GET')
        ) {
          const error = credentialsRefused(this.name, res.status, status);
          this.lastError = error;
          throw error;
        }
        throw toBackstageError(this.name, res.status, status);
      }
      if (streaming) {
        return { text: '', body: res.body as NodeJS.ReadableStream };
      }
      return { text };
    }
  }

  private recordContact(started: number, measure: boolean) {
    this.breaker.onSuccess();
    this.lastContactAt = Date.now();
    if (measure) this.latencyMs = this.lastContactAt - started;
    this.lastError = undefined;
  }

  private recordFailure(error: Error) {
    this.breaker.onFailure();
    this.lastError = error;
    this.logger.debug('API server request failed', { error: error.message });
  }

  /** Frees sockets. */
  async close() {
    // a connection that failed to open holds no socket; its error went to the calls that waited
    const connection = await this.connection?.catch(() => undefined);
    connection?.agent.destroy();
  }
}
