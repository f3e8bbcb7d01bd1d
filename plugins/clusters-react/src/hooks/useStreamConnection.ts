import { useApi } from '@backstage/frontend-plugin-api';
import { useEffect, useState } from 'react';
import { clustersApiRef } from '../api';
import type { StreamConnectionState } from '../stream';

/**
 * The state of the tab's shared stream connection, for a "live" / "reconnecting" indicator.
 * @public
 */
export function useStreamConnection(): StreamConnectionState {
  const api = useApi(clustersApiRef);
  const [state, setState] = useState<StreamConnectionState>({
    status: 'idle',
  });
  useEffect(() => api.onConnectionState(setState), [api]);
  return state;
}
