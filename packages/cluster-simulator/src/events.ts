import type { SimulatedCluster } from './cluster';
import type { K8sObject } from './util';

/**
 * core/v1 Events as kube-controller-manager's event recorder writes them:
 * repeated events about the same object, reason and message are aggregated
 * (count, lastTimestamp); the oldest are deleted beyond a bound, as the
 * apiserver's event TTL would.
 */
export class EventRecorder {
  private readonly order: string[] = [];
  private readonly index = new Map<string, string>();

  constructor(
    private readonly cluster: SimulatedCluster,
    private readonly maxEvents: number,
  ) {}

  /** Records (or aggregates) an Event about `involved`. */
  record(
    involved: K8sObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    component: string,
  ): void {
    if (!this.cluster.eventsEnabled) return;
    const ns = involved.metadata.namespace ?? 'default';
    const key = `${involved.metadata.uid}|${reason}|${message}`;
    const now = this.cluster.nowIso();
    const existing = this.index.get(key);
    if (existing && this.cluster.store.get('events', ns, existing)) {
      this.cluster.mutate('', 'Event', ns, existing, ev => {
        ev.count = (ev.count ?? 1) + 1;
        ev.lastTimestamp = now;
      });
      return;
    }
    const name = `${involved.metadata.name}.${this.cluster.rng
      .uuid()
      .replace(/-/g, '')
      .slice(0, 16)}`;
    this.cluster.writeInternal(
      {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace: ns },
        involvedObject: {
          apiVersion: involved.apiVersion,
          kind: involved.kind,
          name: involved.metadata.name,
          namespace: involved.metadata.namespace,
          uid: involved.metadata.uid,
          resourceVersion: involved.metadata.resourceVersion,
        },
        reason,
        message,
        type,
        source: { component },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
        eventTime: null,
        reportingComponent: component,
        reportingInstance: '',
      },
      component,
    );
    this.index.set(key, name);
    this.order.push(`${ns}/${name}`);
    while (this.order.length > this.maxEvents) {
      const [ons, oname] = this.order.shift()!.split('/');
      this.cluster.store.remove('events', ons, oname);
    }
  }
}
