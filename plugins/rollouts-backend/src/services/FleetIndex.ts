import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type {
  ClusterResultStatus,
  ClustersStreamEvent,
  ObjectEnvelope,
} from '@careplane/plugin-clusters-common';
import { LABEL_KUBERNETES_ID } from '@careplane/plugin-clusters-common';
import type {
  ClustersService,
  ClustersSubscription,
} from '@careplane/plugin-clusters-node';
import {
  deriveRollout,
  RolloutView,
  waitingState,
  WaitingState,
} from '@careplane/plugin-rollouts-common';

/** The kinds the fleet index follows. */
export const FLEET_KINDS = ['Rollout', 'Canary', 'Deployment', 'StatefulSet'];

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

/**
 * Every release on every cluster that belongs to some entity (objects labelled
 * `backstage.io/kubernetes-id`), derived once per change: filled from the hub's cache once, then
 * kept current from the hub's events. A fleet query is a scan of this map: no LIST, no call to
 * the hub. It reads with the plugin's own credentials (raw selectors are for backends only); what
 * it answers is names and states, which Careplane's policy lets everyone read.
 */
export class FleetIndex {
  private readonly entries = new Map<string, FleetEntry>();
  private readonly status = new Map<string, ClusterResultStatus>();
  private started?: Promise<void>;
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

  /** Grows with every change of the entries or of a cluster's freshness (for answer caches). */
  get version(): number {
    return this.changes;
  }

  /** The entries and each cluster's freshness. */
  snapshot(): {
    entries: Iterable<FleetEntry>;
    clusters: Map<string, ClusterResultStatus>;
  } {
    return { entries: this.entries.values(), clusters: this.status };
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
  }

  private async fill(): Promise<void> {
    const credentials = await this.auth.getOwnServiceCredentials();
    this.touched = new Set();
    const answer = await this.clusters.getObjects(
      { selector: { labelSelector: LABEL_KUBERNETES_ID }, kinds: FLEET_KINDS },
      { credentials },
    );
    const seen = new Set<string>();
    for (const c of answer.clusters) {
      this.status.set(c.cluster, c.status);
      for (const item of c.items) {
        const k = key(item.cluster, item.kind, item.namespace, item.name);
        seen.add(k);
        // an event that arrived while the fill was under way is newer than the fill
        if (!this.touched.has(k)) this.upsert(item);
      }
    }
    for (const [k, entry] of this.entries) {
      const answered = answer.clusters.some(
        c => c.cluster === entry.cluster && c.status !== 'unavailable',
      );
      if (answered && !seen.has(k) && !this.touched.has(k))
        this.entries.delete(k);
    }
    this.touched = undefined;
    this.link();
    this.changes++;
  }

  private onEvent(e: ClustersStreamEvent): void {
    this.changes++;
    switch (e.type) {
      case 'upsert':
        this.touched?.add(
          key(
            e.object.cluster,
            e.object.kind,
            e.object.namespace,
            e.object.name,
          ),
        );
        this.upsert(e.object);
        this.link();
        break;
      case 'delete': {
        const k = key(
          e.object.cluster,
          e.object.kind,
          e.object.namespace,
          e.object.name,
        );
        this.touched?.add(k);
        this.entries.delete(k);
        this.link();
        break;
      }
      case 'status':
        this.status.set(e.cluster, e.kind.status);
        break;
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

  private upsert(item: ObjectEnvelope): void {
    const view = deriveRollout(item.kind, item.object);
    const id = item.object.metadata.labels?.[LABEL_KUBERNETES_ID];
    if (!view || !id) return;
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
    this.entries.set(key(item.cluster, item.kind, ns, item.name), {
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

  /** Marks the Deployments a Canary or Rollout manages (few: a scan of the managers only). */
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
