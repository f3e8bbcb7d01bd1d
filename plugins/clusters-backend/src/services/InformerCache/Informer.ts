import type { LoggerService } from '@backstage/backend-plugin-api';
import { serializeError } from '@backstage/errors';
import {
  KindDescriptor,
  KindStatus,
  KubeObject,
  LabelRequirement,
  ObjectEnvelope,
} from '@careplane/plugin-clusters-common';
import type { KubeClient } from '../KubeClient/KubeClient';
import { keyOf, ObjectStore } from './ObjectStore';
import { Reflector, ReflectorOptions, ReflectorSink } from './Reflector';
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
 * How long a reader waits for the first sync of an informer that was started in the background
 * (at backend start) before it answers with the kind `syncing`: the person sees what is ready
 * now, and the rest arrives through the live view (a `status` event, then `resync`).
 */
const BACKGROUND_READ_WAIT_MS = 500;

/**
 * Tuning of an {@link Informer}.
 * @internal
 */
export interface InformerOptions extends ReflectorOptions {
  logger: LoggerService;
  /** Called after each re-LIST (a watch answered 410 Gone), for the cache's counters. */
  onRelist?: () => void;
}

/**
 * One (cluster, kind) informer, as client-go's shared informer: a {@link Reflector} (the
 * list/watch loop) fills an {@link ObjectStore} (stripped objects indexed by every `label=value`
 * pair, so a label-selector look-up is a set intersection in memory); the informer keeps the
 * freshness status and tells its listeners what changed.
 * @internal
 */
export class Informer implements ReflectorSink {
  readonly cluster: string;
  readonly kind: KindDescriptor;
  lastUsedAt = Date.now();
  subscribers = 0;
  /** Started in the background (not by a reader): readers wait less for its first sync. */
  background = false;
  /** A reader was told `syncing` (its answer lacks this kind until it asks again). */
  private syncingShown = false;

  private readonly options: InformerOptions;
  private readonly logger: LoggerService;
  private readonly store: ObjectStore;
  private readonly listeners = new Set<(event: InformerEvent) => void>();
  private readonly reflector: Reflector;
  private state: 'syncing' | 'synced' | 'not-installed' = 'syncing';
  private watchingNow = false;
  private everSynced = false;
  private syncedAt?: number;
  private disconnectedAt?: number;
  private error?: Error;
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
    this.cluster = client.name;
    this.kind = kind;
    this.options = options;
    this.store = new ObjectStore(client.name, kind);
    this.logger = options.logger.child({
      cluster: client.name,
      kind: kind.kind,
    });
    this.reflector = new Reflector(client, kind, this, options, this.logger);
    this.firstAttempt = new Promise(resolve => {
      this.firstAttemptResolve = () => {
        this.firstAttemptDone = true;
        resolve();
      };
    });
  }

  start() {
    this.reflector.run().catch(e =>
      this.logger.error('Informer loop ended unexpectedly', {
        error: String(e),
      }),
    );
  }

  stop() {
    this.reflector.stop();
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
    this.reflector.interrupt(error);
    this.setStatus(() => {
      this.watchingNow = false;
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
    this.reflector.kick();
  }

  get stopped() {
    return this.reflector.stopped;
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

  /** The freshness of this kind, as a reader is told it. */
  status(): KindStatus {
    const status = this.currentStatus();
    if (status.status === 'syncing') this.syncingShown = true;
    return status;
  }

  private currentStatus(): KindStatus {
    const kind = this.kind.kind;
    if (this.state === 'not-installed')
      return { kind, status: 'not-installed' };
    if (this.everSynced && this.watchingNow) {
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
    // never synced and nothing failed: the first sync is under way (a reader that waited its
    // first-sync timeout answers without this kind rather than holding the whole answer)
    if (!this.error) return { kind, status: 'syncing' };
    return { kind, status: 'unavailable', error: serializeError(this.error) };
  }

  /**
   * Waits (at most `timeoutMs`, or {@link BACKGROUND_READ_WAIT_MS} for an informer started in
   * the background) for the first LIST attempt to settle.
   */
  async waitForFirstAttempt(timeoutMs: number): Promise<void> {
    if (this.firstAttemptDone) return; // the common case: no timer per read
    await this.waitFirst(
      this.background
        ? Math.min(timeoutMs, BACKGROUND_READ_WAIT_MS)
        : timeoutMs,
    );
  }

  /** Waits (at most `timeoutMs`) for the first attempt, whoever started the informer. */
  async waitFirst(timeoutMs: number): Promise<void> {
    if (this.firstAttemptDone) return;
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
      ...this.currentStatus(),
      syncedAt: undefined,
      ageMs: undefined,
    });
    update();
    const after = this.currentStatus();
    if (
      JSON.stringify({ ...after, syncedAt: undefined, ageMs: undefined }) !==
      before
    ) {
      this.emit({ type: 'status', status: after });
    }
  }

  // --- ReflectorSink: what the list/watch loop learns -----------------------------------------

  replace(items: KubeObject[], relist: boolean) {
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
    this.setStatus(() => {
      // freshly listed is fresh; a watch that then fails to connect turns this stale
      this.state = 'synced';
      this.everSynced = true;
      this.watchingNow = true;
      this.disconnectedAt = undefined;
      this.syncedAt = Date.now();
      this.error = undefined;
    });
    if (relist) {
      this.options.onRelist?.();
      this.emit({ type: 'resync' });
    } else if (this.syncingShown && this.listeners.size > 0) {
      // a reader was told `syncing` and a live view listens: it fetches what was found now
      this.emit({ type: 'resync' });
    }
    this.firstAttemptResolve();
  }

  upsert(object: KubeObject) {
    const { envelope } = this.store.put(object);
    this.emit({ type: 'upsert', object: envelope });
  }

  delete(object: KubeObject) {
    const removed = this.store.remove(keyOf(object));
    this.emit({
      type: 'delete',
      object:
        removed?.envelope ??
        this.store.envelopeOf(stripObject(object, this.kind.kind)),
    });
  }

  watching() {
    this.setStatus(() => {
      this.watchingNow = true;
      this.disconnectedAt = undefined;
      this.error = undefined;
    });
  }

  notInstalled() {
    this.setStatus(() => {
      this.state = 'not-installed';
      this.error = undefined;
    });
    this.firstAttemptResolve();
  }

  failed(error: Error) {
    this.firstAttemptResolve();
    this.setStatus(() => {
      this.watchingNow = false;
      this.disconnectedAt ??= Date.now();
      this.error = error;
    });
  }
}
