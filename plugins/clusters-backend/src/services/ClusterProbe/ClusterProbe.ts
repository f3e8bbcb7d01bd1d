import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  apiVersionOf,
  ClusterKindAvailability,
  ClusterVersion,
} from '@careplane/plugin-clusters-common';
import type { ClusterRegistry } from '../ClusterRegistry/ClusterRegistry';
import type { InformerCache } from '../InformerCache/InformerCache';

/** What the last successful probe of one cluster found. */
interface ProbeResult {
  at: number;
  version: ClusterVersion;
  /** `group/version` pairs from `GET /apis`. */
  served: Set<string>;
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
 * @internal
 */
export class ClusterProbe {
  private readonly results = new Map<string, ProbeResult>();
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private running?: Promise<void>;

  constructor(
    private readonly deps: {
      registry: ClusterRegistry;
      cache: InformerCache;
      logger: LoggerService;
      intervalMs: number;
    },
  ) {}

  /** Probes every cluster now, then every `intervalMs` until {@link ClusterProbe.stop}. */
  start() {
    this.stopped = false;
    const tick = () => {
      this.running = this.probeAll().finally(() => {
        this.running = undefined;
        if (this.stopped) return;
        this.timer = setTimeout(tick, this.deps.intervalMs);
        this.timer.unref();
      });
    };
    tick();
  }

  /** Stops the schedule and waits for a round in progress to end. */
  async stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
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
      });
      const groups = await client.request<APIGroupList>({
        verb: 'get',
        method: 'GET',
        path: '/apis',
        retry: 'throttled-only',
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
    } catch (e) {
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
