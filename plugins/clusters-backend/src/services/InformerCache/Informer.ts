import type { LoggerService } from '@backstage/backend-plugin-api';
import { serializeError, ServiceUnavailableError } from '@backstage/errors';
import {
  KindDescriptor,
  KindStatus,
  KubeObject,
  LabelRequirement,
  ObjectEnvelope,
} from '@careplane/plugin-clusters-common';
import { GoneError, statusCodeOf } from '../KubeClient/errors';
import type { KubeClient } from '../KubeClient/KubeClient';
import { keyOf, ObjectStore } from './ObjectStore';
import { stripObject } from './strip';

/**
 * What an informer tells its listeners.
 * @internal
 */
export type InformerEvent =
  | { type: 'upsert' | 'delete'; object: ObjectEnvelope }
  | { type: 'status'; status: KindStatus }
  | { type: 'resync' };

/**
 * Tuning of an {@link Informer}.
 * @internal
 */
export interface InformerOptions {
  logger: LoggerService;
  crdRecheckIntervalMs: number;
  /** Page size of LIST calls. */
  pageSize?: number;
  /** Server-side watch timeout; the watch is resumed from its resourceVersion afterwards. */
  watchTimeoutSeconds?: number;
  /** Waits between reconnect attempts; injectable for tests. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Called after each re-LIST (a watch answered 410 Gone), for the cache's counters. */
  onRelist?: () => void;
}

/**
 * Longest wait between reconnect attempts. A cluster that answers again is reconnected at once
 * by the probe (see {@link Informer.reconnectNow}); this cap bounds recovery from failures the
 * probe cannot see (one kind's collection failing).
 */
const MAX_BACKOFF_MS = 10_000;

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

function pathOf(kind: KindDescriptor): string {
  return kind.group
    ? `/apis/${kind.group}/${kind.version}/${kind.plural}`
    : `/api/${kind.version}/${kind.plural}`;
}

/**
 * One (cluster, kind) informer: LIST then WATCH, resumed from the last resourceVersion when a
 * watch drops, re-listed after 410 Gone. Objects are stripped before they are stored and indexed
 * by every `label=value` pair, so a label-selector look-up is a set intersection in memory.
 * @internal
 */
export class Informer {
  readonly cluster: string;
  readonly kind: KindDescriptor;
  lastUsedAt = Date.now();
  subscribers = 0;

  private readonly client: KubeClient;
  private readonly options: InformerOptions;
  private readonly logger: LoggerService;
  private readonly store: ObjectStore;
  private readonly listeners = new Set<(event: InformerEvent) => void>();
  private readonly controller = new AbortController();
  private resourceVersion?: string;
  private state: 'syncing' | 'synced' | 'not-installed' = 'syncing';
  private watching = false;
  private everSynced = false;
  private syncedAt?: number;
  private disconnectedAt?: number;
  private error?: Error;
  /** The running watch's abort, and an error that interrupted it (see markUnreachable). */
  private watchAbort?: AbortController;
  private interrupted?: { controller: AbortController; error: Error };
  /** Ends the current wait between attempts early (see reconnectNow). */
  private wake?: () => void;
  private kicks = 0;
  private firstAttemptResolve!: () => void;
  private firstAttemptDone = false;
  /**
   * Resolves after the first LIST attempt: synced, found not installed, or failed. Readers wait
   * for it (bounded by the cluster's first-sync timeout) and then answer with whatever status
   * the informer has, so a broken cluster costs one timeout, not one per request.
   */
  readonly firstAttempt: Promise<void>;

  constructor(
    client: KubeClient,
    kind: KindDescriptor,
    options: InformerOptions,
  ) {
    this.client = client;
    this.cluster = client.name;
    this.kind = kind;
    this.options = options;
    this.store = new ObjectStore(client.name, kind);
    this.logger = options.logger.child({
      cluster: client.name,
      kind: kind.kind,
    });
    this.firstAttempt = new Promise(resolve => {
      this.firstAttemptResolve = () => {
        this.firstAttemptDone = true;
        resolve();
      };
    });
  }

  start() {
    this.run().catch(e =>
      this.logger.error('Informer loop ended unexpectedly', {
        error: String(e),
      }),
    );
  }

  stop() {
    this.controller.abort();
    this.store.clear();
    this.listeners.clear();
  }

  /**
   * The cluster stopped answering (its probe failed): the data is no longer live, whatever the
   * watch says. Turns the status stale (unavailable before the first sync) with `error` as the
   * reason at once, and ends the running watch; the loop reconnects with backoff, or at once
   * after {@link Informer.reconnectNow}.
   */
  markUnreachable(error: Error) {
    if (this.stopped || this.state === 'not-installed') return;
    const watch = this.watchAbort;
    if (watch && !watch.signal.aborted) {
      this.interrupted = { controller: watch, error };
      watch.abort();
    }
    this.setStatus(() => {
      this.watching = false;
      if (this.everSynced) this.disconnectedAt ??= Date.now();
      this.error = error;
    });
    // readers waiting for a first LIST get the reason now instead of at the first-sync timeout
    this.firstAttemptResolve();
  }

  /**
   * The cluster answers again (its probe succeeded after failures): skip the rest of the
   * backoff and reconnect now, with the backoff reset.
   */
  reconnectNow() {
    if (this.stopped) return;
    this.kicks++;
    this.wake?.();
  }

  get stopped() {
    return this.controller.signal.aborted;
  }

  get size() {
    return this.store.size;
  }

  get approxBytes() {
    return this.store.approxBytes;
  }

  subscribe(listener: (event: InformerEvent) => void): () => void {
    this.listeners.add(listener);
    this.subscribers++;
    return () => {
      if (this.listeners.delete(listener)) this.subscribers--;
      this.lastUsedAt = Date.now();
    };
  }

  /**
   * What this informer found out about its kind being served: `installed` once a LIST succeeded,
   * `not-installed` when the collection answered 404 (optional kinds only), otherwise undefined.
   */
  get installState(): 'installed' | 'not-installed' | undefined {
    if (this.state === 'not-installed') return 'not-installed';
    return this.everSynced ? 'installed' : undefined;
  }

  status(): KindStatus {
    const kind = this.kind.kind;
    if (this.state === 'not-installed')
      return { kind, status: 'not-installed' };
    if (this.everSynced && this.watching) {
      return { kind, status: 'ok', syncedAt: new Date().toISOString() };
    }
    if (this.everSynced) {
      const since = this.disconnectedAt ?? this.syncedAt ?? Date.now();
      return {
        kind,
        status: 'stale',
        syncedAt: new Date(since).toISOString(),
        ageMs: Date.now() - since,
        error: this.error ? serializeError(this.error) : undefined,
      };
    }
    return {
      kind,
      status: 'unavailable',
      error: serializeError(
        this.error ??
          new ServiceUnavailableError(
            `Cluster ${this.cluster}: ${kind} not synced within ${this.client.firstSyncTimeoutMs} ms`,
          ),
      ),
    };
  }

  /** Waits (at most `timeoutMs`) for the first LIST attempt to settle. */
  async waitForFirstAttempt(timeoutMs: number): Promise<void> {
    if (this.firstAttemptDone) return; // the common case: no timer per read
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.firstAttempt,
      new Promise<void>(resolve => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }

  /** Objects matching the requirements (and namespace), from memory. */
  select(
    requirements: LabelRequirement[],
    namespace?: string,
  ): ObjectEnvelope[] {
    this.lastUsedAt = Date.now();
    return this.store.select(requirements, namespace);
  }

  private emit(event: InformerEvent) {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (e) {
        this.logger.error('Informer listener failed', { error: String(e) });
      }
    }
  }

  private setStatus(update: () => void) {
    const before = JSON.stringify({
      ...this.status(),
      syncedAt: undefined,
      ageMs: undefined,
    });
    update();
    const after = this.status();
    if (
      JSON.stringify({ ...after, syncedAt: undefined, ageMs: undefined }) !==
      before
    ) {
      this.emit({ type: 'status', status: after });
    }
  }

  private async list(relist: boolean) {
    const items: KubeObject[] = [];
    let continueToken: string | undefined;
    let resourceVersion = '';
    do {
      const page = await this.client.request<{
        metadata: { resourceVersion: string; continue?: string };
        items: KubeObject[];
      }>({
        verb: 'list',
        method: 'GET',
        path: pathOf(this.kind),
        query: { limit: this.options.pageSize ?? 500, continue: continueToken },
        retry: 'idempotent',
      });
      if (this.stopped) return;
      items.push(...page.items);
      continueToken = page.metadata.continue || undefined;
      resourceVersion = page.metadata.resourceVersion;
    } while (continueToken);

    const seen = new Set<string>();
    for (const item of items) {
      const { envelope, changed } = this.store.put(item);
      seen.add(`${envelope.namespace ?? ''}/${envelope.name}`);
      if (relist && changed) this.emit({ type: 'upsert', object: envelope });
    }
    for (const key of [...this.store.keys()]) {
      if (!seen.has(key)) {
        const removed = this.store.remove(key);
        if (removed && relist)
          this.emit({ type: 'delete', object: removed.envelope });
      }
    }
    this.resourceVersion = resourceVersion;
    this.setStatus(() => {
      // freshly listed is fresh; a watch that then fails to connect turns this stale
      this.state = 'synced';
      this.everSynced = true;
      this.watching = true;
      this.disconnectedAt = undefined;
      this.syncedAt = Date.now();
      this.error = undefined;
    });
    if (relist) {
      this.options.onRelist?.();
      this.emit({ type: 'resync' });
    }
    this.firstAttemptResolve();
  }

  private async watch() {
    const idleMs = this.client.watchIdleMs;
    const controller = new AbortController();
    this.watchAbort = controller;
    const onStop = () => controller.abort();
    this.controller.signal.addEventListener('abort', onStop);
    let idleTimer: NodeJS.Timeout | undefined;
    const armIdle = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => controller.abort(), idleMs);
    };
    try {
      const timeoutSeconds =
        this.options.watchTimeoutSeconds ??
        240 + Math.floor(Math.random() * 60);
      const stream = await this.client.stream(
        {
          verb: 'watch',
          method: 'GET',
          path: pathOf(this.kind),
          query: {
            watch: 1,
            resourceVersion: this.resourceVersion,
            allowWatchBookmarks: true,
            timeoutSeconds,
          },
        },
        controller.signal,
      );
      this.setStatus(() => {
        this.watching = true;
        this.disconnectedAt = undefined;
        this.error = undefined;
      });
      armIdle();
      let buffer = '';
      try {
        for await (const chunk of stream as AsyncIterable<Buffer | string>) {
          armIdle();
          buffer += chunk.toString();
          let newline = buffer.indexOf('\n');
          while (newline >= 0) {
            const line = buffer.slice(0, newline).trim();
            buffer = buffer.slice(newline + 1);
            if (line) this.onWatchEvent(JSON.parse(line));
            newline = buffer.indexOf('\n');
          }
        }
      } catch (e) {
        if (
          e instanceof GoneError ||
          e instanceof ServiceUnavailableError ||
          controller.signal.aborted
        ) {
          throw e;
        }
        // a connection reset mid-stream surfaces as a bare "Premature close": say where
        throw new ServiceUnavailableError(
          `Cluster ${this.cluster}: ${this.kind.kind} watch dropped (${
            (e as Error).message
          })`,
        );
      }
      if (controller.signal.aborted && !this.stopped) {
        throw new ServiceUnavailableError(
          `Cluster ${this.cluster}: ${this.kind.kind} watch idle for ${idleMs} ms`,
        );
      }
    } catch (e) {
      if (this.interrupted?.controller === controller) {
        const reason = this.interrupted.error;
        this.interrupted = undefined;
        throw reason;
      }
      if (
        controller.signal.aborted &&
        !this.stopped &&
        !(e instanceof GoneError)
      ) {
        throw new ServiceUnavailableError(
          `Cluster ${this.cluster}: ${this.kind.kind} watch dropped (${
            (e as Error).message
          })`,
        );
      }
      throw e;
    } finally {
      if (this.watchAbort === controller) this.watchAbort = undefined;
      if (this.interrupted?.controller === controller) {
        this.interrupted = undefined;
      }
      clearTimeout(idleTimer);
      this.controller.signal.removeEventListener('abort', onStop);
      controller.abort();
    }
  }

  private onWatchEvent(event: { type: string; object: any }) {
    const { type, object } = event;
    if (type === 'ERROR') {
      if (object?.code === 410) throw new GoneError(object.message ?? 'Gone');
      throw new ServiceUnavailableError(
        `Cluster ${this.cluster}: watch error ${object?.code ?? ''} ${
          object?.message ?? ''
        }`,
      );
    }
    const rv = object?.metadata?.resourceVersion;
    if (type === 'BOOKMARK') {
      if (rv) this.resourceVersion = rv;
      return;
    }
    if (type === 'ADDED' || type === 'MODIFIED') {
      const { envelope } = this.store.put(object);
      this.emit({ type: 'upsert', object: envelope });
    } else if (type === 'DELETED') {
      const removed = this.store.remove(keyOf(object));
      this.emit({
        type: 'delete',
        object:
          removed?.envelope ??
          this.store.envelopeOf(stripObject(object, this.kind.kind)),
      });
    }
    if (rv) this.resourceVersion = rv;
  }

  /** Waits `ms`, or less when stopped or woken by {@link Informer.reconnectNow}. */
  private async pause(ms: number) {
    const sleep = this.options.sleep ?? abortableSleep;
    const wake = new AbortController();
    const onStop = () => wake.abort();
    this.controller.signal.addEventListener('abort', onStop);
    this.wake = () => wake.abort();
    try {
      await sleep(ms, wake.signal);
    } finally {
      this.wake = undefined;
      this.controller.signal.removeEventListener('abort', onStop);
    }
  }

  private async run() {
    const signal = this.controller.signal;
    const sleep = this.options.sleep ?? abortableSleep;
    let needList = true;
    let relist = false;
    let failures = 0;
    let goneStreak = 0;
    while (!signal.aborted) {
      const kicks = this.kicks;
      try {
        if (needList) {
          await this.list(relist);
          needList = false;
          relist = true;
        }
        if (signal.aborted) return;
        const watchStarted = Date.now();
        await this.watch();
        failures = 0;
        goneStreak = 0;
        if (Date.now() - watchStarted < 1000) {
          // a server that closes watches at once must not turn this loop into a busy one
          await sleep(1000, signal);
        }
        // the server closed the watch (timeoutSeconds): resume from the last resourceVersion
      } catch (e) {
        if (signal.aborted) return;
        const code = statusCodeOf(e);
        if (e instanceof GoneError || code === 410) {
          this.logger.info('Watch expired (410 Gone); re-listing');
          needList = true;
          goneStreak++;
          if (goneStreak > 1) {
            // 410 right after a fresh LIST again: back off instead of LIST-storming the server
            await this.pause(
              Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(goneStreak, 7)),
            );
          }
          continue;
        }
        if (needList && code === 404 && this.kind.optional) {
          this.setStatus(() => {
            this.state = 'not-installed';
            this.error = undefined;
          });
          this.firstAttemptResolve();
          await this.pause(this.options.crdRecheckIntervalMs);
          continue;
        }
        failures++;
        this.firstAttemptResolve();
        this.setStatus(() => {
          this.watching = false;
          this.disconnectedAt ??= Date.now();
          this.error = e as Error;
        });
        this.logger.warn('Informer failed; retrying', {
          error: (e as Error).message,
          failures,
        });
        if (this.kicks === kicks) {
          await this.pause(
            Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(failures, 7)),
          );
        }
        // the probe saw the cluster answer again (during the attempt or the wait): start over
        if (this.kicks !== kicks) failures = 0;
        continue;
      }
    }
  }
}
