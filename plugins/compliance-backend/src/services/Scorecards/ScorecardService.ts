import {
  applyExemptions,
  CheckDefinition,
  EntityHistory,
  EntityScorecard,
  Exemption,
  Overview,
  resultsForSafeguard,
  rollUp,
  SAFEGUARDS,
  Score,
  scoreResults,
} from '@careplane/plugin-compliance-common';
import type {
  ComplianceStore,
  StoredResult,
} from '../../database/ComplianceStore';
import type { FleetEntity } from '../Fleet/FleetIndex';

/** @internal */
export interface ScorecardServiceOptions {
  store: ComplianceStore;
  catalog: ReadonlyMap<string, CheckDefinition>;
  /** Entity facts (title, owner, system, PHI) from the evaluation's index. */
  entity(ref: string): FleetEntity | undefined;
  evaluatedAt(): string | undefined;
  now?: () => number;
}

/** Filters of the overview, exports and actions. @internal */
export interface ResultFilter {
  entityRef?: string;
  owner?: string;
  system?: string;
  safeguard?: string;
  phiOnly?: boolean;
}

const DAY = 86_400_000;

/**
 * Reads for people and assistants: everything comes from the store (never an evaluation).
 * @internal
 */
export class ScorecardService {
  constructor(private readonly o: ScorecardServiceOptions) {}

  private now() {
    return this.o.now?.() ?? Date.now();
  }

  /** Current results with exemptions applied, grouped by entity, filtered. */
  async results(
    filter: ResultFilter = {},
  ): Promise<Map<string, Array<StoredResult & { exemptionId?: string }>>> {
    const [rows, exemptions] = await Promise.all([
      this.o.store.currentResults(filter.entityRef),
      this.o.store.listExemptions(filter.entityRef),
    ]);
    const byEntity = new Map<string, Exemption[]>();
    exemptions.forEach(e =>
      byEntity.set(e.entityRef, [...(byEntity.get(e.entityRef) ?? []), e]),
    );
    const out = new Map<
      string,
      Array<StoredResult & { exemptionId?: string }>
    >();
    for (const r of rows) {
      const facts = this.o.entity(r.entityRef);
      if (filter.owner && facts?.facts.owner !== filter.owner) continue;
      if (filter.system && facts?.facts.system !== filter.system) continue;
      if (filter.phiOnly && !facts?.phi) continue;
      out.set(r.entityRef, [...(out.get(r.entityRef) ?? []), r]);
    }
    for (const [ref, list] of out) {
      let applied = applyExemptions(list, byEntity.get(ref) ?? [], this.now());
      if (filter.safeguard)
        applied = resultsForSafeguard(
          applied,
          this.o.catalog,
          filter.safeguard,
        );
      out.set(ref, applied);
    }
    return out;
  }

  async scorecard(entityRef: string): Promise<EntityScorecard> {
    const results = (await this.results({ entityRef })).get(entityRef) ?? [];
    return {
      entityRef,
      phi: this.o.entity(entityRef)?.phi ?? false,
      evaluatedAt:
        this.o.evaluatedAt() ??
        (results.length
          ? results.reduce(
              (a, r) => (r.evaluatedAt > a ? r.evaluatedAt : a),
              '',
            )
          : null),
      score: scoreResults(results, this.o.catalog),
      results: results.map(r => ({
        ...r,
        since: r.since,
        evaluatedAt: r.evaluatedAt,
      })),
    };
  }

  async history(entityRef: string): Promise<EntityHistory> {
    const [changes, scores] = await Promise.all([
      this.o.store.history(entityRef),
      this.o.store.scores(entityRef, new Date(this.now() - 366 * DAY)),
    ]);
    return {
      entityRef,
      changes,
      scores: scores.map(s => ({
        at: s.at,
        score: s.score,
        grade: s.grade as EntityHistory['scores'][number]['grade'],
      })),
    };
  }

  async overview(): Promise<Overview> {
    const all = await this.results();
    const entities: Overview['entities'] = [];
    const scores = new Map<string, Score>();
    const safeguardScores = new Map<string, Score[]>();
    for (const [ref, results] of all) {
      const f = this.o.entity(ref);
      const score = scoreResults(results, this.o.catalog);
      scores.set(ref, score);
      const safeguards: Record<string, number | null> = {};
      for (const s of SAFEGUARDS) {
        const sub = scoreResults(
          resultsForSafeguard(results, this.o.catalog, s.id),
          this.o.catalog,
        );
        safeguards[s.id] = sub.score;
        if (f?.phi)
          safeguardScores.set(s.id, [
            ...(safeguardScores.get(s.id) ?? []),
            sub,
          ]);
      }
      entities.push({
        entityRef: ref,
        title: f?.facts.title,
        owner: f?.facts.owner,
        system: f?.facts.system,
        phi: f?.phi ?? false,
        score,
        safeguards,
      });
    }
    const group = (
      key: (e: Overview['entities'][number]) => string | undefined,
    ) => {
      const m = new Map<string, Score[]>();
      for (const e of entities) {
        const k = key(e);
        if (k) m.set(k, [...(m.get(k) ?? []), scores.get(e.entityRef)!]);
      }
      return [...m]
        .map(([k, s]) => rollUp(k, s))
        .sort((a, b) => (a.score ?? -1) - (b.score ?? -1));
    };
    const since = new Date(this.now() - 90 * DAY);
    return {
      evaluatedAt: this.o.evaluatedAt() ?? null,
      entities: entities.sort(
        (a, b) => (a.score.score ?? -1) - (b.score.score ?? -1),
      ),
      teams: group(e => e.owner),
      systems: group(e => e.system),
      safeguards: SAFEGUARDS.map(s => ({
        ...rollUp(s.id, safeguardScores.get(s.id) ?? []),
        title: `${s.title} across PHI services`,
      })),
      regressions: await this.o.store.regressions(
        new Date(this.now() - 30 * DAY),
        20,
      ),
      trend: await this.trend(since),
    };
  }

  /** Mean of every entity's latest score at the end of each day since `since`. */
  private async trend(since: Date): Promise<Overview['trend']> {
    const points = await this.o.store.scores(undefined, new Date(0));
    const latest = new Map<string, number | null>();
    const out: Overview['trend'] = [];
    let i = 0;
    for (
      let day = Math.floor(since.getTime() / DAY) * DAY;
      day <= this.now();
      day += DAY
    ) {
      while (i < points.length && Date.parse(points[i].at) < day + DAY) {
        latest.set(points[i].entityRef, points[i].score);
        i++;
      }
      const values = [...latest.values()].filter(
        (v): v is number => v !== null,
      );
      if (values.length)
        out.push({
          day: new Date(day).toISOString().slice(0, 10),
          score: Math.round(values.reduce((a, b) => a + b, 0) / values.length),
        });
    }
    return out;
  }
}
