import type { LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import type {
  KindDescriptor,
  KubeObject,
} from '@careplane/plugin-clusters-common';
import { GoneError, statusCodeOf } from '../KubeClient/errors';
import type { KubeClient } from '../KubeClient/KubeClient';

/**
 * Longest wait between reconnect attempts. A cluster that answers again is reconnected at once
 * by the probe (see {@link Reflector.kick}); this cap bounds recovery from failures the probe
 * cannot see (one kind's collection failing).
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
 * Tuning of a {@link Reflector}.
 * @internal
 */
export interface ReflectorOptions {
  crdRecheckIntervalMs: number;
  /** Page size of LIST calls. */
  pageSize?: number;
  /**
   * First sync by streaming list (WatchList: a watch with `sendInitialEvents=true`, beta and on
   * by default in Kubernetes 1.32) instead of paged LISTs; a server that refuses it (400 / 422,
   * as before 1.27 or with the feature gate off) gets paged LISTs from then on. Default: false.
   */
  watchList?: boolean;
  /** Server-side watch timeout; the watch is resumed from its resourceVersion afterwards. */
  watchTimeoutSeconds?: number;
  /** Waits between reconnect attempts; injectable for tests. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/**
 * Where a {@link Reflector} delivers what it learns: the informer's store and status.
 * @internal
 */
export interface ReflectorSink {
  /** A complete LIST: the store becomes exactly `items` (a re-LIST tells what changed). */
  replace(items: KubeObject[], relist: boolean): void;
  /** A watch event for one object. */
  upsert(object: KubeObject): void;
  delete(object: KubeObject): void;
  /** A watch is connected: the data is live. */
  watching(): void;
  /** The kind's collection answered 404 and the kind is optional (a CRD not installed). */
  notInstalled(): void;
  /** A LIST or WATCH failed; the loop retries with backoff. */
  failed(error: Error): void;
}

/**
 * The list/watch loop of one (cluster, kind), as client-go's reflector: LIST (paged), then WATCH
 * resumed from the last resourceVersion when a watch drops, re-LIST after 410 Gone, backoff
 * between failures (cut short by {@link Reflector.kick}). What it learns goes to its sink.
 * @internal
 */
export class Reflector {
  private readonly controller = new AbortController();
  private resourceVersion?: string;
  /** The running watch's abort, and an error that interrupted it (see interrupt). */
  private watchAbort?: AbortController;
  private interrupted?: { controller: AbortController; error: Error };
  /** Ends the current wait between attempts early (see kick). */
  private wake?: () => void;
  private kicks = 0;
  /** Whether the next first sync streams (see ReflectorOptions.watchList). */
  private watchList: boolean;
  /** The initial events of a streaming list until its `k8s.io/initial-events-end` bookmark. */
  private initial?: { items: KubeObject[]; relist: boolean };
  /** Completed streaming lists. */
  private streamedSyncs = 0;

  constructor(
    private readonly client: KubeClient,
    private readonly kind: KindDescriptor,
    private readonly sink: ReflectorSink,
    private readonly options: ReflectorOptions,
    private readonly logger: LoggerService,
  ) {
    this.watchList = options.watchList ?? false;
  }

  get stopped() {
    return this.controller.signal.aborted;
  }

  stop() {
    this.controller.abort();
  }

  /** Ends the running watch; the loop fails it with `error` and retries with backoff. */
  interrupt(error: Error) {
    const watch = this.watchAbort;
    if (watch && !watch.signal.aborted) {
      this.interrupted = { controller: watch, error };
      watch.abort();
    }
  }

  /** Skips the rest of the current backoff and reconnects now, with the backoff reset. */
  kick() {
    this.kicks++;
    this.wake?.();
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
    this.resourceVersion = resourceVersion;
    this.sink.replace(items, relist);
  }

  /**
   * One WATCH, resumed from the last resourceVersion; with `initialSync`, a streaming list: the
   * initial events (the current state as ADDED events) replace the store at the
   * `k8s.io/initial-events-end` bookmark, then the same stream goes on as a watch.
   */
  private async watch(initialSync?: { relist: boolean }) {
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
    const cluster = this.client.name;
    try {
      const timeoutSeconds =
        this.options.watchTimeoutSeconds ??
        240 + Math.floor(Math.random() * 60);
      const stream = await this.client.stream(
        {
          verb: 'watch',
          method: 'GET',
          path: pathOf(this.kind),
          query: initialSync
            ? {
                watch: 1,
                sendInitialEvents: true,
                resourceVersionMatch: 'NotOlderThan',
                allowWatchBookmarks: true,
                timeoutSeconds,
              }
            : {
                watch: 1,
                resourceVersion: this.resourceVersion,
                allowWatchBookmarks: true,
                timeoutSeconds,
              },
        },
        controller.signal,
      );
      if (initialSync) this.initial = { items: [], relist: initialSync.relist };
      else this.sink.watching();
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
          `Cluster ${cluster}: ${this.kind.kind} watch dropped (${
            (e as Error).message
          })`,
        );
      }
      if (controller.signal.aborted && !this.stopped) {
        throw new ServiceUnavailableError(
          `Cluster ${cluster}: ${this.kind.kind} watch idle for ${idleMs} ms`,
        );
      }
      if (this.initial && !this.stopped) {
        throw new ServiceUnavailableError(
          `Cluster ${cluster}: ${this.kind.kind} streaming list ended before its initial events did`,
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
          `Cluster ${cluster}: ${this.kind.kind} watch dropped (${
            (e as Error).message
          })`,
        );
      }
      throw e;
    } finally {
      this.initial = undefined;
      if (this.watchAbort === controller) this.watchAbort = undefined;
      if (this.interrupted?.controller === controller) {
        this.interrupted = undefined;
      }
      clearTimeout(idleTimer);
      this.controller.signal.removeEventListener('abort', onStop);
      controller.abort();
    }
  }

  private onWatchEvent(event: {
    type: string;
    object?: KubeObject & { code?: number; message?: string };
  }) {
    const { type, object } = event;
    if (type === 'ERROR') {
      if (object?.code === 410) throw new GoneError(object.message ?? 'Gone');
      throw new ServiceUnavailableError(
        `Cluster ${this.client.name}: watch error ${object?.code ?? ''} ${
          object?.message ?? ''
        }`,
      );
    }
    const rv = object?.metadata?.resourceVersion;
    const initial = this.initial;
    if (type === 'BOOKMARK') {
      if (rv) this.resourceVersion = rv;
      if (
        initial &&
        object?.metadata?.annotations?.['k8s.io/initial-events-end'] === 'true'
      ) {
        // the streaming list is complete: the store becomes exactly these, and it is live
        this.initial = undefined;
        this.streamedSyncs++;
        this.sink.replace(initial.items, initial.relist);
      }
      return;
    }
    if (initial && object && type === 'ADDED') {
      initial.items.push(object);
      if (rv) this.resourceVersion = rv;
      return;
    }
    if (object && (type === 'ADDED' || type === 'MODIFIED')) {
      this.sink.upsert(object);
    } else if (object && type === 'DELETED') {
      this.sink.delete(object);
    }
    if (rv) this.resourceVersion = rv;
  }

  /** Waits `ms`, or less when stopped or woken by {@link Reflector.kick}. */
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

  /** The loop; returns when stopped. */
  async run() {
    const signal = this.controller.signal;
    const sleep = this.options.sleep ?? abortableSleep;
    let needList = true;
    let relist = false;
    let failures = 0;
    let goneStreak = 0;
    while (!signal.aborted) {
      const kicks = this.kicks;
      let streaming = false;
      const streamedSyncs = this.streamedSyncs;
      try {
        if (needList && !this.watchList) {
          await this.list(relist);
          needList = false;
          relist = true;
        }
        if (signal.aborted) return;
        const watchStarted = Date.now();
        streaming = needList;
        await this.watch(needList ? { relist } : undefined);
        needList = false;
        relist = true;
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
        if (streaming && this.streamedSyncs !== streamedSyncs) {
          // the streaming list completed before the watch failed: resume it, as after a LIST
          needList = false;
          relist = true;
        }
        if (streaming && needList && (code === 400 || code === 422)) {
          // the server does not serve streaming lists (before 1.27, or WatchList off)
          this.logger.info(
            `Streaming list refused (${code}); using paged LIST: ${
              (e as Error).message
            }`,
          );
          this.watchList = false;
          continue;
        }
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
          this.sink.notInstalled();
          await this.pause(this.options.crdRecheckIntervalMs);
          continue;
        }
        failures++;
        this.sink.failed(e as Error);
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
