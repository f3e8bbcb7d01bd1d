import { useApi } from '@backstage/frontend-plugin-api';
import { useLiveEntityObjects } from '@careplane/plugin-clusters-react';
import {
  ClusterRollouts,
  GateResponse,
  ROLLOUT_READ_KINDS,
  rolloutsFromObjects,
} from '@careplane/plugin-rollouts-common';
import { useEffect, useMemo, useState } from 'react';
import { rolloutsApiRef } from '../../api/RolloutsApi';

const KINDS = [...ROLLOUT_READ_KINDS];

/**
 * An entity's releases per cluster, live: the objects come from the clusters cache and follow
 * the tab's one SSE stream; the model is derived here with the same rules as the backend
 * (`rolloutsFromObjects` of rollouts-common), so the two cannot disagree.
 */
export function useEntityRollouts(entityRef: string) {
  const live = useLiveEntityObjects(entityRef, KINDS);
  const clusters: ClusterRollouts[] | undefined = useMemo(
    () => (live.value ? rolloutsFromObjects(live.value) : undefined),
    [live.value],
  );
  return { ...live, clusters };
}

/** The error-budget gate, fetched on open and every `intervalMs` (the hub caches metrics 10 s). */
export function useGate(entityRef: string, intervalMs = 30_000) {
  const api = useApi(rolloutsApiRef);
  const [gate, setGate] = useState<GateResponse>();
  const [error, setError] = useState<Error>();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick(t => t + 1), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  useEffect(() => {
    let disposed = false;
    api.getGate(entityRef).then(
      g => !disposed && (setGate(g), setError(undefined)),
      e => !disposed && setError(e),
    );
    return () => {
      disposed = true;
    };
  }, [api, entityRef, tick]);
  return { gate, error, refresh: () => setTick(t => t + 1) };
}
