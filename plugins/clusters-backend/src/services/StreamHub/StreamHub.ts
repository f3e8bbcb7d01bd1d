import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type {
  ClustersStreamEvent,
  ObjectSelector,
} from '@careplane/plugin-clusters-common';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { InformerCache } from '../InformerCache/InformerCache';
import type { KindRegistry } from '../InformerCache/KindRegistry';
import { serializeAnswer } from '../serialize';
import { planWatch, watchObjects } from './watchObjects';

const MAX_WATCHES_PER_STREAM = 50;
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

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
      /** The kinds and clusters a watch may name (the gateway's read model). */
      known: { kinds: KindRegistry; clusterNames(): string[] };
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
    const plan = planWatch(this.deps.known, selector, kinds, clusters);
    stream.watches.get(watchId)?.();
    stream.watches.delete(watchId);
    stream.watches.set(
      watchId,
      watchObjects(this.deps.cache, plan, watchId, event =>
        this.send(streamId, event),
      ),
    );
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
