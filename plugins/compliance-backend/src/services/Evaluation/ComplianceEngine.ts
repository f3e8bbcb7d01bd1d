import type {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type {
  ClustersStreamEvent,
  ObjectEnvelope,
} from '@careplane/plugin-clusters-common';
import type {
  ClustersService,
  ClustersSubscription,
} from '@careplane/plugin-clusters-node';
import {
  applyExemptions,
  CheckDefinition,
  definitionOf,
  EVALUATED_KINDS,
  KindFreshness,
  scoreResults,
} from '@careplane/plugin-compliance-common';
import type {
  ComplianceStore,
  ResultChange,
} from '../../database/ComplianceStore';
import { toFleetEntity } from '../Fleet/entities';
import { FleetEntity, FleetIndex } from '../Fleet/FleetIndex';
import { CheckSet, evaluateFleetEntity } from './evaluateFleet';
import { notifyRegressions } from './notifyRegressions';

/** Whether two index entries describe the entity the same way. */
function sameEntity(a: FleetEntity | undefined, b: FleetEntity): boolean {
  if (!a) return false;
  const key = (e: FleetEntity) =>
    JSON.stringify([e.facts, e.phi, e.labelSelector, e.namespace ?? null]);
  return key(a) === key(b);
}

/** @internal */
export interface ComplianceEngineOptions {
  clusters: ClustersService;
  catalog: CatalogService;
  auth: AuthService;
  store: ComplianceStore;
  logger: LoggerService;
  notifications?: NotificationService;
  checks: CheckSet;
  /** Clock, for tests. */
  now?: () => number;
}

/**
 * Keeps compliance results current: a local fleet index fed by the hub (`getObjects` once, then
 * `subscribe`), incremental re-evaluation of only the entities an event affects, and a full
 * evaluation (catalog, clusters and objects reloaded) that the scheduler runs on one instance.
 * Results are written only when they change; page loads only read the store.
 * @internal
 */
export class ComplianceEngine {
  private index = new FleetIndex();
  private subscription?: ClustersSubscription;
  private pending = new Set<string>();
  private flushing?: Promise<void>;
  private lastEvaluatedAt?: string;
  private synced = false;
  /** Events that arrived while a sync was loading, replayed onto the new index. */
  private buffered?: ClustersStreamEvent[];
  readonly catalogById: ReadonlyMap<string, CheckDefinition>;

  constructor(private readonly options: ComplianceEngineOptions) {
    this.catalogById = new Map(
      options.checks.checks.map(c => [c.id, definitionOf(c)]),
    );
  }

  private now() {
    return this.options.now?.() ?? Date.now();
  }

  /** Facts of an entity from the current index. */
  entity(ref: string) {
    return this.index.entity(ref);
  }

  evaluatedAt(): string | undefined {
    return this.lastEvaluatedAt;
  }

  /** Loads catalog, clusters and objects into a fresh index and starts following changes. */
  async sync(): Promise<FleetIndex> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const index = new FleetIndex();
    this.buffered = [];
    const clusters = await this.options.clusters.listClusters({ credentials });
    index.setClusters(clusters.map(c => ({ name: c.name, labels: c.labels })));
    const { items } = await this.options.catalog.getEntities(
      { filter: [{ kind: 'Component' }, { kind: 'Resource' }] },
      { credentials },
    );
    for (const e of items) {
      const fe = toFleetEntity(e);
      if (fe) index.setEntity(fe);
    }
    const started = Date.now();
    // one kind per call: smaller answers, and a kind that is slow to sync delays only itself
    let clusterCount = 0;
    for (const kind of EVALUATED_KINDS) {
      const answer = await this.options.clusters.getObjects(
        { selector: { labelSelector: '' }, kinds: [kind] },
        { credentials },
      );
      clusterCount = Math.max(clusterCount, answer.clusters.length);
      for (const c of answer.clusters) {
        for (const k of c.kinds) {
          index.setKindStatus(c.cluster, k.kind, k.status as KindFreshness);
        }
        for (const o of c.items) index.upsert(o);
      }
    }
    this.options.logger.info(
      `Compliance sync: ${
        index.entityRefs().length
      } entities, ${index.objectCount()} objects from ${clusterCount} clusters in ${
        Date.now() - started
      } ms`,
    );
    this.index = index;
    const replay = this.buffered ?? [];
    this.buffered = undefined;
    replay.forEach(e => this.onEvent(e));
    if (!this.subscription) {
      this.subscription = this.options.clusters.subscribe(
        { selector: { labelSelector: '' }, kinds: EVALUATED_KINDS },
        e => this.onEvent(e),
        { credentials },
      );
      this.subscription.ready.catch(error =>
        this.options.logger.warn(`Compliance stream failed: ${error}`),
      );
    }
    return index;
  }

  /** The full evaluation: reload everything, evaluate every entity, write what changed. */
  async evaluateAll(): Promise<{ entities: number; changes: number }> {
    this.options.logger.info('Compliance full evaluation: starting');
    const index = await this.sync();
    const refs = index.entityRefs();
    let changes = 0;
    for (const ref of refs) changes += (await this.evaluate(ref)).length;
    await this.forgetGone(new Set(refs));
    this.lastEvaluatedAt = new Date(this.now()).toISOString();
    return { entities: refs.length, changes };
  }

  /** A stream event: update the index and re-evaluate only the affected entities (batched). */
  onEvent(event: ClustersStreamEvent): void {
    this.buffered?.push(event);
    let affected: string[] = [];
    if (event.type === 'upsert')
      affected = this.index.upsert(event.object as ObjectEnvelope);
    else if (event.type === 'delete')
      affected = this.index.remove(event.object);
    else if (event.type === 'status') {
      const hasData = (k: string) => k === 'ok' || k === 'stale';
      const before = this.index.kindStatusOf(event.cluster, event.kind.kind);
      affected = this.index.setKindStatus(
        event.cluster,
        event.kind.kind,
        event.kind.status,
      );
      if (hasData(event.kind.status) && !hasData(before)) {
        // data came back (first sync done, cluster reachable again): reload what it holds
        this.resync();
        return;
      }
    } else if (event.type === 'resync') {
      this.resync();
      return;
    }
    if (affected.length === 0) return;
    affected.forEach(r => this.pending.add(r));
    void this.flush();
  }

  /** Reloads the fleet and re-evaluates every entity (writes only what changed). */
  private resync() {
    this.sync()
      .then(i => i.entityRefs().forEach(r => this.pending.add(r)))
      .then(() => this.flush())
      .catch(e => this.options.logger.warn(`Compliance resync failed: ${e}`));
  }

  /** Resolves once every queued evaluation is written. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.pending.size === 0) return;
    this.flushing = (async () => {
      try {
        while (this.pending.size) {
          const refs = [...this.pending];
          this.pending.clear();
          for (const ref of refs) await this.evaluate(ref);
        }
        this.lastEvaluatedAt = new Date(this.now()).toISOString();
      } catch (e) {
        this.options.logger.error(`Compliance evaluation failed: ${e}`);
      } finally {
        this.flushing = undefined;
      }
    })();
    await this.flushing;
  }

  /** Evaluates one entity from the index and writes its changes, score and notifications. */
  async evaluate(ref: string): Promise<ResultChange[]> {
    const { store } = this.options;
    const at = new Date(this.now());
    if (!this.index.hasEntity(ref)) {
      return store.applyResults(ref, [], at);
    }
    const results = evaluateFleetEntity(
      this.index,
      ref,
      this.options.checks,
      at.getTime(),
    );
    const changes = await store.applyResults(ref, results, at);
    await this.rescore(ref, at);
    const owner = this.index.entity(ref)?.facts.owner;
    if (this.options.notifications && owner) {
      await notifyRegressions(
        this.options.notifications,
        owner,
        changes,
        this.catalogById,
      ).catch(e =>
        this.options.logger.warn(`Compliance notification failed: ${e}`),
      );
    }
    return changes;
  }

  /** Records the entity's score (with exemptions) if it changed. */
  async rescore(ref: string, at = new Date(this.now())): Promise<void> {
    const { store } = this.options;
    const [current, exemptions] = await Promise.all([
      store.currentResults(ref),
      store.listExemptions(ref),
    ]);
    const score = scoreResults(
      applyExemptions(current, exemptions, at.getTime()),
      this.catalogById,
    );
    await store.recordScore(ref, score.score, score.grade, at);
  }

  private async forgetGone(live: Set<string>) {
    const stored = new Set(
      (await this.options.store.currentResults()).map(r => r.entityRef),
    );
    for (const ref of stored)
      if (!live.has(ref))
        await this.options.store.applyResults(ref, [], new Date(this.now()));
  }

  /** Schedules the full evaluation (global: one instance) and the local follow-up. */
  async schedule(scheduler: SchedulerService, minutes: number): Promise<void> {
    await scheduler.scheduleTask({
      id: 'compliance-full-evaluation',
      scope: 'global',
      frequency: { minutes },
      timeout: { minutes: Math.max(5, minutes) },
      initialDelay: { seconds: 5 },
      fn: async () => {
        const r = await this.evaluateAll();
        this.options.logger.info(
          `Compliance full evaluation: ${r.entities} entities, ${r.changes} changes`,
        );
      },
    });
    // every instance keeps its own index (and stream) for incremental evaluation: loaded on the
    // first run, then the catalog is followed every 30 s
    await scheduler.scheduleTask({
      id: 'compliance-local-sync',
      scope: 'local',
      frequency: { seconds: 30 },
      timeout: { minutes: 5 },
      initialDelay: { seconds: 1 },
      fn: async () => {
        await this.catchUp();
      },
    });
  }

  /**
   * This instance's index refresh: reloads the fleet and evaluates the entities that are new or
   * whose catalog data changed since the last refresh (all of them on an instance's first
   * refresh, so a restarted instance catches up on what happened while it was down). Writes are
   * compare-and-set, so two instances catching up at once write each change once.
   */
  async catchUp(): Promise<number> {
    if (!this.synced) {
      const index = await this.sync();
      this.synced = true;
      index.entityRefs().forEach(r => this.pending.add(r));
      await this.flush();
      return index.entityRefs().length;
    }
    return this.refreshEntities();
  }

  /**
   * Follows the catalog between full evaluations: entities that are new, changed (annotations,
   * owner, lifecycle…) or gone are re-indexed and re-evaluated, with the entities sharing their
   * namespaces. Objects come from the stream; this reads only the catalog.
   */
  async refreshEntities(): Promise<number> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const { items } = await this.options.catalog.getEntities(
      { filter: [{ kind: 'Component' }, { kind: 'Resource' }] },
      { credentials },
    );
    const index = this.index;
    const seen = new Set<string>();
    const affected = new Set<string>();
    for (const e of items) {
      const fe = toFleetEntity(e);
      if (!fe) continue;
      seen.add(fe.facts.entityRef);
      if (!sameEntity(index.entity(fe.facts.entityRef), fe)) {
        index.setEntity(fe).forEach(r => affected.add(r));
      }
    }
    for (const ref of index.entityRefs()) {
      if (!seen.has(ref)) {
        index.removeEntity(ref).forEach(r => affected.add(r));
        affected.add(ref);
      }
    }
    affected.forEach(r => this.pending.add(r));
    await this.flush();
    return affected.size;
  }

  stop() {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
  }
}
