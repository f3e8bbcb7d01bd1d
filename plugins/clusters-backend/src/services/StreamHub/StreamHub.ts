import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  ClustersStreamEvent,
  LabelRequirement,
  matchesLabelSelector,
  ObjectEnvelope,
  ObjectSelector,
  parseLabelSelector,
} from '@careplane/plugin-clusters-common';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { ClusterGateway } from '../ClusterGateway/ClusterGateway';
import type { InformerCache } from '../InformerCache/InformerCache';
import { serializeAnswer } from '../serialize';

const MAX_WATCHES_PER_STREAM = 50;
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

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

interface Stream {
  owner: string;
  res: Response;
  watches: Map<string, () => void>;
  heartbeat: NodeJS.Timeout;
  seq: number;
}

/**
 * One SSE stream per browser tab (or backend subscriber), multiplexing any number of watches.
 * A watch subscribes to the informers of its (cluster, kind) pairs and forwards the events whose
 * objects match its selector; objects are already stripped by the cache.
 * @internal
 */
export class StreamHub {
  private readonly streams = new Map<string, Stream>();

  constructor(
    private readonly deps: {
      cache: InformerCache;
      gateway: ClusterGateway;
      logger: LoggerService;
      heartbeatMs: number;
    },
  ) {}

  get size() {
    return this.streams.size;
  }

  /** Starts an SSE response owned by `owner` (the caller's principal id). */
  open(owner: string, res: Response) {
    const streamId = randomUUID();
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    const heartbeat = setInterval(
      () => this.write(streamId, ': ping\n\n'),
      this.deps.heartbeatMs,
    );
    heartbeat.unref();
    this.streams.set(streamId, {
      owner,
      res,
      watches: new Map(),
      heartbeat,
      seq: 0,
    });
    res.on('close', () => this.close(streamId));
    this.send(streamId, {
      type: 'ready',
      streamId,
      heartbeatMs: this.deps.heartbeatMs,
    });
    return streamId;
  }

  private write(streamId: string, chunk: string | Buffer) {
    const stream = this.streams.get(streamId);
    if (!stream) return;
    if (stream.res.writableLength > MAX_BUFFERED_BYTES) {
      // a client that does not read is dropped rather than buffering without bound
      this.deps.logger.warn('Closing a stream whose client does not keep up', {
        streamId,
      });
      stream.res.end();
      this.close(streamId);
      return;
    }
    stream.res.write(chunk);
    // the root router may compress; flush so events are not held back
    (stream.res as unknown as { flush?: () => void }).flush?.();
  }

  private send(streamId: string, event: ClustersStreamEvent) {
    const stream = this.streams.get(streamId);
    if (!stream) return;
    stream.seq++;
    this.write(
      streamId,
      // the object's JSON is memoised: N tabs watching it cost one serialisation
      Buffer.concat([
        Buffer.from(`id: ${stream.seq}\nevent: ${event.type}\ndata: `),
        serializeAnswer(event),
        Buffer.from('\n\n'),
      ]),
    );
  }

  private stream(streamId: string, owner: string): Stream {
    const stream = this.streams.get(streamId);
    if (!stream) throw new NotFoundError(`No open stream ${streamId}`);
    if (stream.owner !== owner)
      throw new NotAllowedError('The stream belongs to someone else');
    return stream;
  }

  /**
   * Adds or replaces a watch on a stream. The selector is resolved (and permission-checked) by
   * the caller.
   */
  async putWatch(
    streamId: string,
    owner: string,
    watchId: string,
    selector: ObjectSelector,
    kinds: string[],
    clusters?: string[],
  ) {
    if (!/^[\w.-]{1,64}$/.test(watchId))
      throw new InputError('Invalid watch id');
    const stream = this.stream(streamId, owner);
    if (
      !stream.watches.has(watchId) &&
      stream.watches.size >= MAX_WATCHES_PER_STREAM
    ) {
      throw new InputError(
        `At most ${MAX_WATCHES_PER_STREAM} watches per stream`,
      );
    }
    const requirements: LabelRequirement[] = parseLabelSelector(
      selector.labelSelector,
    );
    kinds.forEach(k => this.deps.gateway.kinds.get(k));
    const known = this.deps.gateway.listClusters().map(c => c.name);
    const unknown = clusters?.filter(c => !known.includes(c)) ?? [];
    if (unknown.length > 0) {
      throw new InputError(
        `Unknown cluster${unknown.length > 1 ? 's' : ''} ${unknown
          .map(c => `'${c.slice(0, 63)}'`)
          .join(', ')}; known: ${known.join(', ')}`,
      );
    }
    const names = clusters?.length ? clusters : known;
    stream.watches.get(watchId)?.();
    stream.watches.delete(watchId);

    const unsubscribes: Array<() => void> = [];
    try {
      this.subscribeAll(
        streamId,
        watchId,
        names,
        kinds,
        selector,
        requirements,
        unsubscribes,
      );
    } catch (e) {
      // nothing half-made stays behind
      unsubscribes.forEach(u => u());
      throw e;
    }
    stream.watches.set(watchId, () => unsubscribes.forEach(u => u()));
  }

  private subscribeAll(
    streamId: string,
    watchId: string,
    names: string[],
    kinds: string[],
    selector: ObjectSelector,
    requirements: LabelRequirement[],
    unsubscribes: Array<() => void>,
  ) {
    for (const cluster of names) {
      for (const kind of kinds) {
        const informer = this.deps.cache.get(cluster, kind);
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
                this.send(streamId, { type: 'upsert', watchId, object: o });
              } else if (matches(o)) {
                matching.delete(key);
                this.send(streamId, { type: 'delete', watchId, object: o });
              } else if (matching.delete(key)) {
                // relabelled out of the selector: gone for this watch; what the object is now
                // (labels, spec) is not this watch's to tell
                this.send(streamId, {
                  type: 'delete',
                  watchId,
                  object: identityOf(o),
                });
              }
            } else if (event.type === 'status') {
              // the first LIST may end after the watch was added: what it found is known now
              remember();
              this.send(streamId, {
                type: 'status',
                watchId,
                cluster,
                kind: event.status,
              });
            } else {
              remember();
              this.send(streamId, { type: 'resync', watchId, cluster, kind });
            }
          }),
        );
      }
    }
  }

  deleteWatch(streamId: string, owner: string, watchId: string) {
    const stream = this.stream(streamId, owner);
    stream.watches.get(watchId)?.();
    stream.watches.delete(watchId);
  }

  private close(streamId: string) {
    const stream = this.streams.get(streamId);
    if (!stream) return;
    clearInterval(stream.heartbeat);
    stream.watches.forEach(unsubscribe => unsubscribe());
    this.streams.delete(streamId);
  }

  closeAll() {
    for (const [id, stream] of this.streams) {
      stream.res.end();
      this.close(id);
    }
  }
}
