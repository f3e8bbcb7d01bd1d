import { useApi } from '@backstage/frontend-plugin-api';
import { useLiveEntityObjects } from '@careplane/plugin-clusters-react';
import type {
  CheckDefinition,
  EntityHistory,
  EntityScorecard,
  ExemptionDto,
} from '@careplane/plugin-compliance-common';
import { useCallback, useEffect, useState } from 'react';
import { complianceApiRef } from '../../api';

const LIVE_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob'];

/**
 * An entity's stored scorecard, fetched again shortly after its workloads change on the tab's SSE
 * stream (the backend re-evaluates on the same change) and every `intervalMs`.
 */
export function useScorecard(entityRef: string, intervalMs = 30_000) {
  const api = useApi(complianceApiRef);
  const live = useLiveEntityObjects(entityRef, LIVE_KINDS);
  const [card, setCard] = useState<EntityScorecard>();
  const [history, setHistory] = useState<EntityHistory>();
  const [exemptions, setExemptions] = useState<ExemptionDto[]>([]);
  const [error, setError] = useState<Error>();
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick(t => t + 1), []);

  useEffect(() => {
    const timer = setInterval(refresh, intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, refresh]);
  useEffect(() => {
    if (!live.updatedAt) return undefined;
    const timer = setTimeout(refresh, 1000);
    return () => clearTimeout(timer);
  }, [live.updatedAt, refresh]);
  useEffect(() => {
    let disposed = false;
    Promise.all([
      api.getScorecard(entityRef),
      api.getHistory(entityRef),
      api.listExemptions(entityRef),
    ]).then(
      ([c, h, e]) => {
        if (disposed) return;
        setCard(c);
        setHistory(h);
        setExemptions(e);
        setError(undefined);
      },
      e => !disposed && setError(e),
    );
    return () => {
      disposed = true;
    };
  }, [api, entityRef, tick]);
  return { card, history, exemptions, error, refresh };
}

/** The check catalog (built-in and custom), once. */
export function useChecks(): Map<string, CheckDefinition> {
  const api = useApi(complianceApiRef);
  const [checks, setChecks] = useState(new Map<string, CheckDefinition>());
  useEffect(() => {
    api.getChecks().then(
      list => setChecks(new Map(list.map(c => [c.id, c]))),
      () => {},
    );
  }, [api]);
  return checks;
}
