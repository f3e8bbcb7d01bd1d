import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  apiVersionOf,
  ClusterKindAvailability,
  ClusterVersion,
} from '@careplane/plugin-clusters-common';
import type { ClusterRegistry } from '../ClusterRegistry/ClusterRegistry';
import type { InformerCache } from '../InformerCache/InformerCache';
import { statusCodeOf } from '../KubeClient/errors';

/** What the last successful probe of one cluster found. */
interface ProbeResult {
  at: number;
  version: ClusterVersion;
  /** `group/version` pairs from `GET /apis`. */
  served: Set<string>;
}

/** The liveness of one cluster as the probe sees it. */
interface Liveness {
  /** The last probe failed because the cluster did not answer (timeout, refused, 5xx). */
  failing: boolean;
  failures: number;
  /** When the last liveness check ended. */
  lastCheckAt: number;
  inFlight?: Promise<void>;
}

/** Longest wait between checks of a cluster that does not answer: bounds recovery. */
const FAILING_RECHECK_MAX_MS = 2000;
const FAILING_RECHECK_BASE_MS = 250;

/**
 * Whether a probe failure means the cluster does not answer (timeout, connection refused, 5xx),
 * as opposed to an answer we dislike (401/403 credentials, 429 throttling, 404).
 */
function isUnanswered(error: unknown): boolean {
  const code = statusCodeOf(error);
  return code === undefined || code >= 500;
}

/** The part of `GET /apis` (an `APIGroupList`) the probe reads. */
interface APIGroupList {
  groups?: Array<{ versions?: Array<{ groupVersion?: string }> }>;
}

/** The part of `GET /version` the probe reads. */
interface VersionInfo {
  gitVersion?: string;
  major?: string;
  minor?: string;
  platform?: string;
}

/**
 * The periodic, cheap per-cluster probe: `GET /version` and one `GET /apis` (discovery of the
 * served API groups) per cluster and round, through the cluster's `KubeClient`, so its timeout,
 * circuit breaker, health and request counters apply (a probe is a `get`; it never LISTs). It keeps
 * clusters' health current without user traffic (and lets an open circuit's half-open probe
 * happen), and tells which optional kinds each cluster serves.
 *
 * Between rounds, a liveness check (`GET /version`) runs for every cluster whose data is in use
 * (it has informers): when nothing from the cluster was answered for half a request timeout, and
 * every {@link FAILING_RECHECK_MAX_MS} at most while it does not answer. A watch that still
 * streams says nothing about whether the API server answers, so a check that fails turns the
 * cluster's informers stale with the check's error at once (within about 1.5 request timeouts
 * of the cluster stopping to answer); the first check that succeeds again reconnects them at
 * once. Checks go out even with the circuit open: they are its half-open trial.
 * @internal
 */
export class ClusterProbe {
  private readonly results = new Map<string, ProbeResult>();
  private readonly liveness = new Map<string, Liveness>();
  private abort?: AbortController;
  private livenessTimer?: NodeJS.Timeout;
  private stopped = false;
  private running?: Promise<void>;

  constructor(
    private readonly deps: {
      registry: ClusterRegistry;
      cache: InformerCache;
      logger: LoggerService;
      scheduler: SchedulerService;
      intervalMs: number;
    },
  ) {}

  /**
   * Probes every cluster now, then every `intervalMs` until {@link ClusterProbe.stop}: a local
   * task of the plugin's scheduler (each backend instance probes its own connections, so
   * `scope: 'local'`), which never overlaps runs.
   *
   * The liveness check keeps a timer of its own: its tick is a tenth of the shortest request
   * timeout (20 to 250 ms), because when a check is due depends on each cluster's last answer,
   * and a check that starts a second late is a second more of data shown as fresh. A scheduler
   * task at that rate would record a trace span and task metrics 4 to 50 times a second for a
   * loop that usually does nothing, and the scheduler's cadence is not meant for sub-second work.
   */
  async start() {
    this.stopped = false;
    this.abort = new AbortController();
    await this.deps.scheduler.scheduleTask({
      id: 'clusters-probe',
      scope: 'local',
      frequency: { milliseconds: this.deps.intervalMs },
      // advisory: a round is bounded by the clients' request timeouts, not by this signal
      timeout: { milliseconds: Math.max(this.deps.intervalMs, 60_000) },
      signal: this.abort.signal,
      fn: () => this.round(),
    });
    const timeouts = this.deps.registry
      .list()
      .map(c => c.client.requestTimeoutMs);
    const tickMs = Math.max(20, Math.min(250, ...timeouts.map(t => t / 10)));
    this.livenessTimer = setInterval(() => this.checkDue(), tickMs);
    this.livenessTimer.unref();
  }

  /** One scheduled round; none after {@link ClusterProbe.stop}. */
  private async round(): Promise<void> {
    if (this.stopped) return;
    this.running = this.probeAll().finally(() => {
      this.running = undefined;
    });
    await this.running;
  }

  /** Stops the schedule and waits for a round in progress to end. */
  async stop() {
    this.stopped = true;
    this.abort?.abort();
    this.abort = undefined;
    clearInterval(this.livenessTimer);
    this.livenessTimer = undefined;
    await Promise.all([
      this.running,
      ...[...this.liveness.values()].map(l => l.inFlight),
    ]);
  }

  private livenessOf(name: string): Liveness {
    let state = this.liveness.get(name);
    if (!state) {
      state = { failing: false, failures: 0, lastCheckAt: 0 };
      this.liveness.set(name, state);
    }
    return state;
  }

  /** Starts the liveness checks that are due (see the class comment). */
  checkDue(now = Date.now()) {
    if (this.stopped) return;
    for (const cluster of this.deps.registry.list()) {
      const name = cluster.definition.name;
      if (!this.deps.cache.hasInformers(name)) continue;
      const state = this.livenessOf(name);
      if (state.inFlight) continue;
      const { client } = cluster;
      const due = state.failing
        ? state.lastCheckAt +
          Math.min(
            FAILING_RECHECK_MAX_MS,
            FAILING_RECHECK_BASE_MS * 2 ** Math.min(state.failures - 1, 4),
          )
        : Math.max(state.lastCheckAt, client.lastAnsweredAt ?? 0) +
          client.requestTimeoutMs / 2;
      if (now < due) continue;
      state.inFlight = this.check(name).finally(() => {
        state.inFlight = undefined;
        state.lastCheckAt = Date.now();
      });
    }
  }

  /** One liveness check: `GET /version`, one attempt, bounded by the request timeout. */
  async check(name: string): Promise<void> {
    const { client } = this.deps.registry.get(name);
    try {
      await client.request({
        verb: 'get',
        method: 'GET',
        path: '/version',
        retry: 'throttled-only',
        probe: true,
      });
      this.answered(name);
    } catch (e) {
      this.unanswered(name, e as Error);
      // an answered failure (401, 5xx) is in the client's health; say it here too
      this.deps.logger.debug('Cluster liveness check failed', {
        cluster: name,
        error: (e as Error).message,
      });
    }
  }

  private answered(name: string) {
    const state = this.livenessOf(name);
    if (!state.failing) return;
    state.failing = false;
    state.failures = 0;
    this.deps.logger.info('Cluster answers again; reconnecting its informers', {
      cluster: name,
    });
    this.deps.cache.reconnect(name);
  }

  private unanswered(name: string, error: Error) {
    if (!isUnanswered(error)) return;
    const state = this.livenessOf(name);
    if (!state.failing) {
      this.deps.logger.warn('Cluster does not answer; its data is stale', {
        cluster: name,
        error: error.message,
      });
    }
    state.failing = true;
    state.failures++;
    this.deps.cache.markUnreachable(name, error);
  }

  /** One round over every cluster; a failing cluster never affects the others. */
  async probeAll(): Promise<void> {
    await Promise.all(this.deps.registry.names().map(name => this.probe(name)));
  }

  /** Probes one cluster; failures are recorded in the client's health, not thrown. */
  async probe(name: string): Promise<void> {
    const { client } = this.deps.registry.get(name);
    try {
      const info = await client.request<VersionInfo>({
        verb: 'get',
        method: 'GET',
        path: '/version',
        // one attempt per round: the next round is the retry, and a down cluster costs one timeout
        retry: 'throttled-only',
        probe: true,
      });
      const groups = await client.request<APIGroupList>({
        verb: 'get',
        method: 'GET',
        path: '/apis',
        retry: 'throttled-only',
        probe: true,
      });
      const served = new Set<string>();
      for (const group of groups?.groups ?? []) {
        for (const v of group.versions ?? []) {
          if (v.groupVersion) served.add(v.groupVersion);
        }
      }
      this.results.set(name, {
        at: Date.now(),
        version: {
          gitVersion: info?.gitVersion ?? 'unknown',
          major: info?.major,
          minor: info?.minor,
          platform: info?.platform,
        },
        served,
      });
      this.answered(name);
    } catch (e) {
      this.unanswered(name, e as Error);
      // the client's health already holds the error; keep the last good result
      this.deps.logger.debug('Cluster probe failed', {
        cluster: name,
        error: (e as Error).message,
      });
    }
  }

  /**
   * What is known about a cluster: its version and, for every optional kind the backend knows,
   * whether the cluster serves it. Discovery says whether the kind's group/version is served; a
   * running informer that found the kind's collection absent (404) refines that to
   * `not-installed`, and before the first successful probe an informer's finding is used as is.
   */
  snapshot(name: string): {
    version?: ClusterVersion;
    kinds: ClusterKindAvailability[];
    probedAt?: string;
  } {
    const result = this.results.get(name);
    const kinds = this.deps.cache.kinds
      .list()
      .filter(k => k.optional)
      .map((k): ClusterKindAvailability => {
        const apiVersion = apiVersionOf(k);
        const informer = this.deps.cache.installState(name, k.kind);
        let status: ClusterKindAvailability['status'];
        if (!result) status = informer ?? 'unknown';
        else if (!result.served.has(apiVersion)) status = 'not-installed';
        else status = informer === 'not-installed' ? informer : 'installed';
        return { kind: k.kind, apiVersion, status };
      });
    return {
      version: result?.version,
      kinds,
      probedAt: result ? new Date(result.at).toISOString() : undefined,
    };
  }
}
