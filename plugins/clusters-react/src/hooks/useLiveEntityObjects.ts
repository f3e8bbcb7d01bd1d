import { useApi } from '@backstage/frontend-plugin-api';
import type {
  ClustersStreamEvent,
  ObjectsResponse,
} from '@careplane/plugin-clusters-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { clustersApiRef } from '../api';
import type { StreamConnectionState } from '../stream';
import { useStreamConnection } from './useStreamConnection';
import {
  applyDelete,
  applyStatus,
  applyUpsert,
  isOlder,
  mergeSnapshot,
  objectKey,
} from './liveState';

/**
 * What {@link useLiveEntityObjects} returns.
 * @public
 */
export interface LiveEntityObjects {
  /** The objects per cluster, kept current by the stream; absent until the first answer. */
  value?: ObjectsResponse;
  /** True only until the first answer: later refreshes keep showing the current value. */
  loading: boolean;
  /** The first request failed (nothing to show). */
  error?: Error;
  /** A later refresh or the watch registration failed; `value` is still shown, maybe stale. */
  refreshError?: Error;
  /** The tab's stream connection (`live`, `reconnecting`, ...). */
  connection: StreamConnectionState;
  /** When the value last changed (answer or event), ISO time. */
  updatedAt?: string;
  /** Refetches the snapshot without clearing the current value. */
  refresh(): void;
}

type Pending = Extract<
  ClustersStreamEvent,
  { type: 'upsert' | 'delete' | 'status' }
>;

function apply(state: ObjectsResponse, event: Pending): ObjectsResponse {
  switch (event.type) {
    case 'upsert':
      return applyUpsert(state, event.object);
    case 'delete':
      return applyDelete(state, event.object);
    default:
      return applyStatus(state, event.cluster, event.kind);
  }
}

/** Replays events received while a snapshot was being fetched, skipping what it already has. */
function replay(snapshot: ObjectsResponse, events: Pending[]): ObjectsResponse {
  return events.reduce((state, event) => {
    if (event.type === 'status') return apply(state, event);
    const cluster = state.clusters.find(c => c.cluster === event.object.cluster);
    const current = cluster?.items.find(
      i => objectKey(i) === objectKey(event.object),
    );
    if (current && isOlder(event.object.resourceVersion, current.resourceVersion)) {
      return state;
    }
    if (event.type === 'delete' && !current) return state;
    return apply(state, event);
  }, snapshot);
}

/**
 * An entity's objects of some kinds on every cluster (or the given ones), kept live over the
 * tab's shared SSE stream: a snapshot from the cache, then upserts, deletes and freshness
 * changes applied in place. After a reconnect or a server-side re-list the snapshot is
 * refetched in the background and merged, keeping unchanged objects identical, so rows keyed by
 * {@link objectKey} neither flicker nor lose their UI state (an open drawer stays open).
 *
 * @param entityRef - the entity, e.g. `component:default/video-consultation`; nothing is
 *   fetched while undefined
 * @param kinds - kind names, e.g. `['Deployment', 'Pod']`
 * @public
 */
export function useLiveEntityObjects(
  entityRef: string | undefined,
  kinds: string[],
  options?: { clusters?: string[] },
): LiveEntityObjects {
  const api = useApi(clustersApiRef);
  const kindsKey = kinds.join(',');
  const clustersKey = options?.clusters?.join(',') ?? '';
  const [value, setValue] = useState<ObjectsResponse>();
  const [error, setError] = useState<Error>();
  const [refreshError, setRefreshError] = useState<Error>();
  const [updatedAt, setUpdatedAt] = useState<string>();
  const connection = useStreamConnection();
  const refreshRef = useRef<() => void>(() => {});

  useEffect(() => {
    setValue(undefined);
    setError(undefined);
    setRefreshError(undefined);
    if (!entityRef) return undefined;

    const request = {
      entityRef,
      kinds: kindsKey.split(',').filter(Boolean),
      clusters: clustersKey ? clustersKey.split(',') : undefined,
    };
    let disposed = false;
    let current: ObjectsResponse | undefined;
    let inFlight = false;
    let again = false;
    let buffer: Pending[] = [];
    let controller: AbortController | undefined;

    const commit = (next: ObjectsResponse) => {
      if (next === current) return;
      current = next;
      setValue(next);
      setUpdatedAt(new Date().toISOString());
    };

    const fetchSnapshot = async () => {
      if (inFlight) {
        again = true; // coalesce resyncs that arrive while a fetch runs
        return;
      }
      inFlight = true;
      buffer = [];
      controller = new AbortController();
      try {
        const snapshot = await api.getEntityObjects(request, {
          signal: controller.signal,
        });
        if (disposed) return;
        commit(replay(mergeSnapshot(current, snapshot), buffer));
        setError(undefined);
        setRefreshError(undefined);
      } catch (e) {
        if (disposed) return;
        // keep showing what we have; only the first failure has nothing to show
        if (current) {
          setRefreshError(e as Error);
          commit(replay(current, buffer));
        } else setError(e as Error);
      } finally {
        inFlight = false;
        buffer = [];
      }
      if (again && !disposed) {
        again = false;
        fetchSnapshot();
      }
    };

    const watch = api.watch(
      request,
      event => {
        if (disposed) return;
        if (event.type === 'resync') {
          fetchSnapshot();
        } else if (event.type !== 'ready') {
          if (inFlight) buffer.push(event);
          else if (current) commit(apply(current, event));
          // else: the first request failed; the next resync refetches everything
        }
      },
      e => {
        if (!disposed) setRefreshError(e);
      },
    );
    refreshRef.current = fetchSnapshot;
    fetchSnapshot();

    return () => {
      disposed = true;
      controller?.abort();
      watch.unsubscribe();
    };
  }, [api, entityRef, kindsKey, clustersKey]);

  const refresh = useCallback(() => refreshRef.current(), []);

  return {
    value,
    loading: Boolean(entityRef) && !value && !error,
    error,
    refreshError,
    connection,
    updatedAt,
    refresh,
  };
}
