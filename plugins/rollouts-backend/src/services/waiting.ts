import type {
  WaitingItem,
  WaitingQuery,
  WaitingResponse,
} from '@careplane/plugin-rollouts-common';
import type { EntityOwners } from './EntityOwners';
import type { FleetIndex } from './FleetIndex';

/**
 * The fleet's releases waiting for a person (paused for a human, degraded, aborted, analysis
 * inconclusive, progress deadline exceeded), oldest first, from the {@link FleetIndex}: a scan of
 * memory, no call to the hub.
 */
export async function waitingForHumans(
  index: FleetIndex,
  owners: EntityOwners,
  query: WaitingQuery,
  now: number = Date.now(),
): Promise<WaitingResponse> {
  await index.ensureStarted();
  const map = await owners.get();
  const { entries, clusters } = index.snapshot();
  const items: WaitingItem[] = [];
  for (const e of entries) {
    if (!e.state || e.managedBy) continue;
    if (query.cluster && e.cluster !== query.cluster) continue;
    if (query.state && e.state !== query.state) continue;
    const owner = map.get(e.kubernetesId);
    if (query.team && owner?.owner !== query.team) continue;
    const since = e.view.pause?.since ?? e.view.lastTransition;
    const t = since ? Date.parse(since) : NaN;
    items.push({
      cluster: e.cluster,
      entityRef: owner?.entityRef,
      owner: owner?.owner,
      kubernetesId: e.kubernetesId,
      kind: e.kind,
      namespace: e.namespace,
      name: e.name,
      state: e.state,
      phase: e.view.phase,
      message: e.view.message,
      since,
      ageSeconds: Number.isFinite(t)
        ? Math.max(0, Math.round((now - t) / 1000))
        : undefined,
    });
  }
  items.sort((a, b) => (b.ageSeconds ?? -1) - (a.ageSeconds ?? -1));
  return {
    items,
    clusters: [...clusters].map(([cluster, status]) => ({ cluster, status })),
  };
}

/**
 * The serialised fleet answer, reused while nothing changed: the same index version, owners map,
 * filters and second (ages are whole seconds). A settled fleet's page costs one JSON write per
 * second instead of a scan and a serialisation per request.
 */
export class WaitingAnswers {
  private readonly cache = new Map<string, string>();

  constructor(
    private readonly index: FleetIndex,
    private readonly owners: EntityOwners,
  ) {}

  async json(query: WaitingQuery, now: number = Date.now()): Promise<string> {
    await this.index.ensureStarted();
    await this.owners.get();
    const second = Math.floor(now / 1000);
    const key = [
      this.index.version,
      this.owners.version,
      second,
      query.cluster,
      query.team,
      query.state,
    ].join('|');
    let body = this.cache.get(key);
    if (body === undefined) {
      body = JSON.stringify(
        await waitingForHumans(this.index, this.owners, query, second * 1000),
      );
      if (this.cache.size >= 32) this.cache.clear();
      this.cache.set(key, body);
    }
    return body;
  }
}
