import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { KubeClient } from '../KubeClient/KubeClient';
import { Informer, InformerOptions } from './Informer';
import { KindRegistry } from './KindRegistry';

/**
 * All informers of the process, started lazily per (cluster, kind) on first use and stopped when
 * idle (no reader for `idleTimeoutMs` and no stream subscriber).
 * @internal
 */
export class InformerCache {
  private readonly informers = new Map<string, Informer>();
  /** Re-LISTs (after 410 Gone) per cluster since start; outlives idle informers. */
  private readonly relists = new Map<string, number>();
  private readonly sweeper = new AbortController();
  /** (cluster, kind) keys queued by {@link InformerCache.warm} and not started yet. */
  private readonly warmQueue = new Set<string>();

  constructor(
    private readonly clients: Map<string, KubeClient>,
    readonly kinds: KindRegistry,
    private readonly options: {
      logger: LoggerService;
      idleTimeoutMs: number;
      crdRecheckIntervalMs: number;
      informer?: Partial<InformerOptions>;
    },
  ) {}

  /**
   * Runs {@link InformerCache.sweep} every half `idleTimeoutMs` (1 s to 1 min) as a local task of
   * the plugin's scheduler (the informers are this instance's) until {@link InformerCache.close}.
   */
  async scheduleSweep(scheduler: SchedulerService): Promise<void> {
    const everyMs = Math.max(
      1000,
      Math.min(60_000, this.options.idleTimeoutMs / 2),
    );
    await scheduler.scheduleTask({
      id: 'clusters-informer-sweep',
      scope: 'local',
      frequency: { milliseconds: everyMs },
      timeout: { milliseconds: Math.max(everyMs, 10_000) },
      // the first sweep cannot find an informer idle for idleTimeoutMs before that long
      initialDelay: { milliseconds: everyMs },
      signal: this.sweeper.signal,
      fn: async () => {
        if (!this.sweeper.signal.aborted) this.sweep();
      },
    });
  }

  /** The informer for (cluster, kind), started if needed. */
  get(cluster: string, kindName: string): Informer {
    const key = `${cluster}\u0000${kindName}`;
    let informer = this.informers.get(key);
    if (!informer || informer.stopped) {
      const client = this.clients.get(cluster);
      if (!client) throw new Error(`Unknown cluster ${cluster}`);
      informer = new Informer(client, this.kinds.get(kindName), {
        logger: this.options.logger,
        crdRecheckIntervalMs: this.options.crdRecheckIntervalMs,
        ...this.options.informer,
        onRelist: () => {
          this.relists.set(cluster, (this.relists.get(cluster) ?? 0) + 1);
          this.options.informer?.onRelist?.();
        },
      });
      // a reader ahead of the start-up pool: still a background sync (readers wait briefly)
      informer.background = this.warmQueue.delete(key);
      this.informers.set(key, informer);
      this.options.logger.info('Starting informer', {
        cluster,
        kind: kindName,
      });
      informer.start();
    }
    return informer;
  }

  /**
   * Starts the informers of `kindNames` on every cluster now (at backend start), so the first
   * person does not pay for the first sync: at most `concurrency` first syncs at a time across
   * clusters and kinds (each bounded by its cluster's first-sync timeout, so a hanging cluster
   * holds one slot for that long, not the pool). Resolves when every one has had its first
   * attempt; readers meanwhile wait briefly (see `Informer.waitForFirstAttempt`) and answer with
   * the kinds that are ready and `syncing` for the rest.
   * These informers are stopped when idle like any other, and then started again only when read.
   */
  async warm(
    kindNames: string[],
    concurrency = 8,
  ): Promise<{ started: number; ms: number }> {
    const started = Date.now();
    const queue = [...this.clients.keys()].flatMap(cluster =>
      kindNames.map(kind => ({ cluster, kind })),
    );
    const total = queue.length;
    for (const job of queue)
      this.warmQueue.add(`${job.cluster}\u0000${job.kind}`);
    const next = async (): Promise<void> => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        if (this.sweeper.signal.aborted) return;
        const client = this.clients.get(job.cluster);
        if (!client) continue;
        const key = `${job.cluster}\u0000${job.kind}`;
        const queued = this.warmQueue.has(key);
        const informer = this.get(job.cluster, job.kind);
        this.warmQueue.delete(key); // already running: nothing to mark
        // not a read: the idle sweep still stops what nobody reads
        if (queued) informer.lastUsedAt = started;
        await informer.waitFirst(client.firstSyncTimeoutMs);
      }
    };
    await Promise.all(
      Array.from({ length: Math.max(1, Math.min(concurrency, total)) }, next),
    );
    return { started: total, ms: Date.now() - started };
  }

  /** Stops idle informers; returns how many were stopped. */
  sweep(now = Date.now()): number {
    let stopped = 0;
    for (const [key, informer] of this.informers) {
      if (
        informer.subscribers === 0 &&
        now - informer.lastUsedAt >= this.options.idleTimeoutMs
      ) {
        informer.stop();
        this.informers.delete(key);
        stopped++;
        this.options.logger.info('Stopped idle informer', {
          cluster: informer.cluster,
          kind: informer.kind.kind,
        });
      }
    }
    return stopped;
  }

  stats(cluster: string) {
    let informers = 0;
    let objects = 0;
    let approxBytes = 0;
    const kinds: Array<{
      kind: string;
      objects: number;
      bytesPerObject: number;
    }> = [];
    for (const informer of this.informers.values()) {
      if (informer.cluster !== cluster) continue;
      informers++;
      objects += informer.size;
      approxBytes += informer.approxBytes;
      kinds.push({
        kind: informer.kind.kind,
        objects: informer.size,
        bytesPerObject:
          informer.size > 0
            ? Math.round(informer.approxBytes / informer.size)
            : 0,
      });
    }
    return {
      informers,
      objects,
      approxBytes,
      relists: this.relists.get(cluster) ?? 0,
      // per kind, when any informer runs
      ...(kinds.length > 0
        ? { kinds: kinds.sort((a, b) => a.kind.localeCompare(b.kind)) }
        : {}),
    };
  }

  /** Whether any informer of the cluster runs (someone reads or watches its data). */
  hasInformers(cluster: string): boolean {
    for (const informer of this.informers.values()) {
      if (informer.cluster === cluster && !informer.stopped) return true;
    }
    return false;
  }

  /**
   * The cluster's probe failed: every informer of it turns stale (or unavailable) with `error`
   * as the reason, at once. See `Informer.markUnreachable`.
   */
  markUnreachable(cluster: string, error: Error) {
    for (const informer of this.informers.values()) {
      if (informer.cluster === cluster) informer.markUnreachable(error);
    }
  }

  /** The cluster answers again: its informers reconnect now. See `Informer.reconnectNow`. */
  reconnect(cluster: string) {
    for (const informer of this.informers.values()) {
      if (informer.cluster === cluster) informer.reconnectNow();
    }
  }

  /**
   * The CRD-presence check of a running informer for (cluster, kind), without starting one:
   * see `Informer.installState`.
   */
  installState(
    cluster: string,
    kindName: string,
  ): 'installed' | 'not-installed' | undefined {
    const informer = this.informers.get(`${cluster}\u0000${kindName}`);
    return informer && !informer.stopped ? informer.installState : undefined;
  }

  running(): Array<{ cluster: string; kind: string }> {
    return [...this.informers.values()].map(i => ({
      cluster: i.cluster,
      kind: i.kind.kind,
    }));
  }

  close() {
    this.sweeper.abort();
    this.warmQueue.clear();
    for (const informer of this.informers.values()) informer.stop();
    this.informers.clear();
  }
}
