import { InputError } from '@backstage/errors';
import {
  ClustersStreamEvent,
  LabelRequirement,
  matchesLabelSelector,
  ObjectEnvelope,
  ObjectSelector,
  parseLabelSelector,
} from '@careplane/plugin-clusters-common';
import type { InformerCache } from '../InformerCache/InformerCache';
import type { KindRegistry } from '../InformerCache/KindRegistry';

const keyOf = (o: ObjectEnvelope) => `${o.namespace ?? ''}/${o.name}`;

/** An envelope that names the object and nothing else. */
function identityOf(o: ObjectEnvelope): ObjectEnvelope {
  const { cluster, kind, namespace, name, uid, resourceVersion } = o;
  return {
    cluster,
    kind,
    namespace,
    name,
    uid,
    resourceVersion,
    object: {
      apiVersion: o.object.apiVersion,
      kind: o.object.kind,
      metadata: { name, namespace, uid, resourceVersion },
    },
  };
}

/**
 * A watch, checked: the clusters and kinds it follows and its parsed selector.
 * @internal
 */
export interface WatchPlan {
  clusters: string[];
  kinds: string[];
  selector: ObjectSelector;
  requirements: LabelRequirement[];
}

/**
 * Checks a watch (selector syntax, known kinds, known clusters) before anything is subscribed;
 * no `clusters` means every cluster.
 * @internal
 */
export function planWatch(
  known: { kinds: KindRegistry; clusterNames(): string[] },
  selector: ObjectSelector,
  kinds: string[],
  clusters?: string[],
): WatchPlan {
  const requirements = parseLabelSelector(selector.labelSelector);
  kinds.forEach(k => known.kinds.get(k));
  const names = known.clusterNames();
  const unknown = clusters?.filter(c => !names.includes(c)) ?? [];
  if (unknown.length > 0) {
    throw new InputError(
      `Unknown cluster${unknown.length > 1 ? 's' : ''} ${unknown
        .map(c => `'${c.slice(0, 63)}'`)
        .join(', ')}; known: ${names.join(', ')}`,
    );
  }
  return {
    clusters: clusters?.length ? clusters : names,
    kinds,
    selector,
    requirements,
  };
}

/**
 * Subscribes a watch to the informers of its (cluster, kind) pairs and hands `send` the events
 * whose objects match its selector (objects are already stripped by the cache). Returns the
 * unsubscribe; if subscribing fails half way, nothing half-made stays behind.
 * @internal
 */
export function watchObjects(
  cache: InformerCache,
  plan: WatchPlan,
  watchId: string,
  send: (event: ClustersStreamEvent) => void,
): () => void {
  const { selector, requirements } = plan;
  const unsubscribes: Array<() => void> = [];
  const unsubscribeAll = () => unsubscribes.forEach(u => u());
  try {
    for (const cluster of plan.clusters) {
      for (const kind of plan.kinds) {
        const informer = cache.get(cluster, kind);
        const inScope = (o: ObjectEnvelope) =>
          !(
            selector.namespace &&
            o.namespace &&
            o.namespace !== selector.namespace
          );
        const matches = (o: ObjectEnvelope) =>
          inScope(o) &&
          matchesLabelSelector(requirements, o.object.metadata.labels);
        // The objects this watch last told (or, through the informer, the tab's first read told)
        // as matching. An upsert that no longer matches is a `delete` for the tab, sent once;
        // other objects that do not match are never told, not even their names.
        const matching = new Set<string>();
        const remember = () => {
          for (const o of informer.select(requirements)) {
            if (inScope(o)) matching.add(keyOf(o));
          }
        };
        remember();
        unsubscribes.push(
          informer.subscribe(event => {
            if (event.type === 'upsert' || event.type === 'delete') {
              const o = event.object;
              const key = keyOf(o);
              if (event.type === 'upsert' && matches(o)) {
                matching.add(key);
                send({ type: 'upsert', watchId, object: o });
              } else if (matches(o)) {
                matching.delete(key);
                send({ type: 'delete', watchId, object: o });
              } else if (matching.delete(key)) {
                // relabelled out of the selector: gone for this watch; what the object is now
                // (labels, spec) is not this watch's to tell
                send({ type: 'delete', watchId, object: identityOf(o) });
              }
            } else if (event.type === 'status') {
              // the first LIST may end after the watch was added: what it found is known now
              remember();
              send({ type: 'status', watchId, cluster, kind: event.status });
            } else {
              remember();
              send({ type: 'resync', watchId, cluster, kind });
            }
          }),
        );
      }
    }
  } catch (e) {
    // nothing half-made stays behind
    unsubscribeAll();
    throw e;
  }
  return unsubscribeAll;
}
