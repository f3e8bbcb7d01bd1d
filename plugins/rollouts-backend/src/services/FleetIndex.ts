import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type {
  ClusterResultStatus,
  ClustersStreamEvent,
  KindStatus,
  ObjectEnvelope,
  ObjectsResponse,
} from '@careplane/plugin-clusters-common';
import { LABEL_KUBERNETES_ID } from '@careplane/plugin-clusters-common';
import type {
  ClustersService,
  ClustersSubscription,
} from '@careplane/plugin-clusters-node';
import {
  deriveRollout,
  ROLLOUT_READ_KINDS,
  RolloutView,
  waitingState,
  WaitingState,
} from '@careplane/plugin-rollouts-common';

/** The kinds the index follows: the release kinds and what fills pods, analysis and history. */
export const FLEET_KINDS: string[] = [...ROLLOUT_READ_KINDS];
const RELEASE_KINDS = new Set([
  'Rollout',
  'Canary',
  'Deployment',
  'StatefulSet',
]);

/** One release in the index. */
export interface FleetEntry {
  cluster: string;
  kind: string;
  namespace: string;
  name: string;
  kubernetesId: string;
  view: RolloutView;
  state?: WaitingState;
  /** Flagger target / primary, or an Argo workloadRef: shown inside its release instead. */
  managedBy?: string;
  /** For a Canary: the Deployments it manages; for a Rollout: its workloadRef. */
  manages: string[];
}

const key = (cluster: string, kind: string, ns?: string, name?: string) =>
  `${cluster}|${kind}|${ns ?? ''}|${name ?? ''}`;

const RANK: Record<ClusterResultStatus, number> = {
  ok: 0,
  'not-installed': 0,
  syncing: 1,
  stale: 2,
  unavailable: 3,
};

/** A cluster's status from its kinds, as the hub computes it. */
function worst(kinds: KindStatus[]): ClusterResultStatus {
  if (kinds.length > 0 && kinds.every(k => k.status === 'not-installed'))
    return 'not-installed';
  return kinds.reduce<ClusterResultStatus>(
    (w, k) => (RANK[k.status] > RANK[w] ? k.status : w),
    'ok',
  );
}

/**
 * Every release on every cluster that belongs to some entity (objects labelled
 * `backstage.io/kubernetes-id`), with its ReplicaSets and AnalysisRuns, derived once per change:
 * filled from the hub's cache once, then kept current from the hub's events. A fleet query or an
 * entity's status is a look-up in this map: no LIST and no call to the hub. It reads with the
 * plugin's own credentials (raw selectors are for backends only); callers check the person's read
 * permission before answering from it.
 */
export class FleetIndex {
  private readonly objects = new Map<string, ObjectEnvelope>();
  private readonly entries = new Map<string, FleetEntry>();
  private readonly byId = new Map<string, Set<string>>();
  private readonly kindStatus = new Map<string, Map<string, KindStatus>>();
  private started?: Promise<void>;
  private ready = false;
  private subscription?: ClustersSubscription;
  private refilling?: Promise<void>;
  private touched?: Set<string>;
  private changes = 0;

  constructor(
    private readonly clusters: ClustersService,
    private readonly auth: AuthService,
    private readonly logger: LoggerService,
  ) {}

  /** Starts following (once); resolves when the first fill is done. */
  ensureStarted(): Promise<void> {
    this.started ??= this.start().catch(e => {
      this.started = undefined;
      this.subscription?.unsubscribe();
      throw e;
    });
    return this.started;
  }

  /** Whether the first fill is done (callers that must answer at once fall back to the hub). */
  get isReady(): boolean {
    return this.ready;
  }

  /** Grows with every change of the objects or of a cluster's freshness (for answer caches). */
  get version(): number {
    return this.changes;
  }

  /** The releases and each cluster's freshness. */
  snapshot(): {
    entries: Iterable<FleetEntry>;
    clusters: Map<string, ClusterResultStatus>;
  } {
    const clusters = new Map<string, ClusterResultStatus>();
    for (const [c, kinds] of this.kindStatus)
      clusters.set(c, worst([...kinds.values()]));
    return { entries: this.entries.values(), clusters };
  }

  /** An entity's objects of the followed kinds, in the hub's answer shape. */
  entityObjects(kubernetesId: string, only?: string[]): ObjectsResponse {
    const keys = this.byId.get(kubernetesId) ?? new Set<string>();
    const items = [...keys].map(k => this.objects.get(k)!).filter(Boolean);
    return {
      selector: { labelSelector: `${LABEL_KUBERNETES_ID}=${kubernetesId}` },
      clusters: [...this.kindStatus]
        .filter(([c]) => !only || only.includes(c))
        .map(([cluster, kinds]) => {
          const list = [...kinds.values()];
          return {
            cluster,
            status: worst(list),
            kinds: list,
            items: items.filter(i => i.cluster === cluster),
          };
        }),
    };
  }

  stop(): void {
    this.subscription?.unsubscribe();
  }

  private async start(): Promise<void> {
    const credentials = await this.auth.getOwnServiceCredentials();
    this.subscription = this.clusters.subscribe(
      { selector: { labelSelector: LABEL_KUBERNETES_ID }, kinds: FLEET_KINDS },
      e => this.onEvent(e),
      { credentials },
    );
    await this.subscription.ready;
    await this.fill();
    this.ready = true;
  }

  private async fill(): Promise<void> {
    const credentials = await this.auth.getOwnServiceCredentials();
    this.touched = new Set();
    const answer = await this.clusters.getObjects(
      { selector: { labelSelector: LABEL_KUBERNETES_ID }, kinds: FLEET_KINDS },
      { credentials },
    );
    const seen = new Set<string>();
    const answered = new Set<string>();
    for (const c of answer.clusters) {
      this.kindStatus.set(c.cluster, new Map(c.kinds.map(k => [k.kind, k])));
      if (c.status !== 'unavailable') answered.add(c.cluster);
      for (const item of c.items) {
        const k = key(item.cluster, item.kind, item.namespace, item.name);
        seen.add(k);
        // an event that arrived while the fill was under way is newer than the fill
        if (!this.touched.has(k)) this.upsert(item);
      }
    }
    for (const [k, o] of this.objects) {
      if (answered.has(o.cluster) && !seen.has(k) && !this.touched.has(k))
        this.remove(k);
    }
    this.touched = undefined;
    this.link();
    this.changes++;
  }

  private onEvent(e: ClustersStreamEvent): void {
    switch (e.type) {
      case 'upsert': {
        const k = key(
          e.object.cluster,
          e.object.kind,
          e.object.namespace,
          e.object.name,
        );
        this.touched?.add(k);
        const stored = this.objects.get(k);
        // the same version again (e.g. after a reconnect) changes nothing
        if (
          stored &&
          e.object.resourceVersion &&
          stored.resourceVersion === e.object.resourceVersion
        )
          break;
        this.changes++;
        this.upsert(e.object);
        if (RELEASE_KINDS.has(e.object.kind)) this.link();
        break;
      }
      case 'delete': {
        const k = key(
          e.object.cluster,
          e.object.kind,
          e.object.namespace,
          e.object.name,
        );
        this.touched?.add(k);
        this.changes++;
        this.remove(k);
        if (RELEASE_KINDS.has(e.object.kind)) this.link();
        break;
      }
      case 'status': {
        const kinds =
          this.kindStatus.get(e.cluster) ?? new Map<string, KindStatus>();
        const before = kinds.get(e.kind.kind);
        kinds.set(e.kind.kind, e.kind);
        this.kindStatus.set(e.cluster, kinds);
        if (before?.status !== e.kind.status) this.changes++;
        break;
      }
      case 'resync':
        this.refilling ??= this.fill()
          .catch(err =>
            this.logger.warn('Rollouts fleet refill failed', {
              error: String(err),
            }),
          )
          .finally(() => {
            this.refilling = undefined;
          });
        break;
      default:
        break;
    }
  }

  private remove(k: string): void {
    const o = this.objects.get(k);
    if (!o) return;
    this.objects.delete(k);
    this.entries.delete(k);
    const id = o.object.metadata.labels?.[LABEL_KUBERNETES_ID];
    if (id) this.byId.get(id)?.delete(k);
  }

  private upsert(item: ObjectEnvelope): void {
    const id = item.object.metadata.labels?.[LABEL_KUBERNETES_ID];
    const k = key(item.cluster, item.kind, item.namespace, item.name);
    const previous = this.objects.get(k);
    const previousId = previous?.object.metadata.labels?.[LABEL_KUBERNETES_ID];
    if (previousId && previousId !== id) this.byId.get(previousId)?.delete(k);
    if (!id) {
      this.remove(k);
      return;
    }
    this.objects.set(k, item);
    let ids = this.byId.get(id);
    if (!ids) this.byId.set(id, (ids = new Set()));
    ids.add(k);
    if (!RELEASE_KINDS.has(item.kind)) return;
    const view = deriveRollout(item.kind, { ...item.object, kind: item.kind });
    if (!view) return;
    const ns = item.namespace ?? '';
    const manages: string[] = [];
    if (item.kind === 'Canary') {
      const t = item.object.spec?.targetRef?.name;
      if (t)
        manages.push(
          key(item.cluster, 'Deployment', ns, t),
          key(item.cluster, 'Deployment', ns, `${t}-primary`),
        );
    }
    const ref = item.object.spec?.workloadRef;
    if (item.kind === 'Rollout' && ref?.kind === 'Deployment' && ref.name) {
      manages.push(key(item.cluster, 'Deployment', ns, ref.name));
    }
    this.entries.set(k, {
      cluster: item.cluster,
      kind: item.kind,
      namespace: ns,
      name: item.name,
      kubernetesId: id,
      view,
      state: waitingState(view),
      manages,
    });
  }

  /** Marks the Deployments a Canary or Rollout manages. */
  private link(): void {
    for (const e of this.entries.values()) e.managedBy = undefined;
    for (const [k, e] of this.entries) {
      for (const m of e.manages) {
        const managed = this.entries.get(m);
        if (managed) managed.managedBy = k;
      }
    }
  }
}
