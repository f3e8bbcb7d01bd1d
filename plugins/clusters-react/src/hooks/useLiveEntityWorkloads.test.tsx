import { TestApiProvider } from '@backstage/frontend-test-utils';
import type {
  ClustersStreamEvent,
  ObjectEnvelope,
  ObjectsResponse,
} from '@careplane/plugin-clusters-common';
import { act, renderHook, waitFor } from '@testing-library/react';
import { ReactNode } from 'react';
import { ClustersApi, clustersApiRef } from '../api';
import { useLiveEntityWorkloads } from './useLiveEntityWorkloads';

const entityRef = 'component:default/video-consultation';

function pod(cluster: string, name: string, rv: string, ready: boolean): ObjectEnvelope {
  return {
    cluster,
    kind: 'Pod',
    namespace: 'video-consultation',
    name,
    uid: `${cluster}-${name}`,
    resourceVersion: rv,
    object: {
      metadata: { name, namespace: 'video-consultation', uid: `${cluster}-${name}` },
      spec: { containers: [{ name: 'app' }] },
      status: {
        phase: ready ? 'Running' : 'Pending',
        conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
        containerStatuses: [{ name: 'app', ready, restartCount: 0 }],
      },
    },
  };
}

function snapshot(items: ObjectEnvelope[]): ObjectsResponse {
  return {
    selector: { labelSelector: 'backstage.io/kubernetes-id=video-consultation' },
    clusters: [
      {
        cluster: 'legacy-onprem',
        status: 'ok',
        kinds: [{ kind: 'Pod', status: 'ok' }],
        items: items.filter(i => i.cluster === 'legacy-onprem'),
      },
      {
        cluster: 'cloud-east',
        status: 'ok',
        kinds: [{ kind: 'Pod', status: 'ok' }],
        items: items.filter(i => i.cluster === 'cloud-east'),
      },
    ],
  };
}

function fakeApi(first: ObjectsResponse) {
  let listener: (e: ClustersStreamEvent) => void = () => {};
  const api = {
    getEntityObjects: jest.fn().mockResolvedValue(first),
    watch: jest.fn((_req, l) => {
      listener = l;
      return { unsubscribe: jest.fn() };
    }),
    onConnectionState: jest.fn(l => {
      l({ status: 'live', since: '2026-01-01T00:00:00Z' });
      return () => {};
    }),
  };
  return {
    api: api as unknown as ClustersApi,
    mocks: api,
    emit: (e: ClustersStreamEvent) => act(() => listener(e)),
  };
}

function render(api: ClustersApi) {
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TestApiProvider apis={[[clustersApiRef, api]]}>{children}</TestApiProvider>
  );
  return renderHook(() => useLiveEntityWorkloads(entityRef), { wrapper });
}

describe('useLiveEntityWorkloads', () => {
  it('applies a pod becoming ready without refetching, keeping other rows identical', async () => {
    const { api, mocks, emit } = fakeApi(
      snapshot([pod('legacy-onprem', 'vc-a', '10', true), pod('cloud-east', 'vc-b', '20', false)]),
    );
    const { result } = render(api);
    await waitFor(() => expect(result.current.clusters).toHaveLength(2));
    expect(mocks.watch).toHaveBeenCalledWith(
      expect.objectContaining({ entityRef, kinds: expect.arrayContaining(['Pod', 'Rollout']) }),
      expect.any(Function),
      expect.any(Function),
    );
    const legacyPod = result.current.clusters![0].pods[0];
    expect(result.current.clusters![1].pods[0].summary.ready).toBe(false);

    emit({ type: 'upsert', watchId: 'w1', object: pod('cloud-east', 'vc-b', '21', true) });

    expect(result.current.clusters![1].pods[0].summary.ready).toBe(true);
    expect(result.current.clusters![0].pods[0]).toBe(legacyPod);
    expect(mocks.getEntityObjects).toHaveBeenCalledTimes(1);
    expect(result.current.loading).toBe(false);
  });

  it('ignores an event older than what it has', async () => {
    const { api, emit } = fakeApi(snapshot([pod('cloud-east', 'vc-b', '20', true)]));
    const { result } = render(api);
    await waitFor(() => expect(result.current.clusters).toHaveLength(2));
    emit({ type: 'upsert', watchId: 'w1', object: pod('cloud-east', 'vc-b', '19', false) });
    expect(result.current.clusters![1].pods[0].summary.ready).toBe(true);
  });

  it('marks one cluster unreachable without touching the other', async () => {
    const { api, emit } = fakeApi(
      snapshot([pod('legacy-onprem', 'vc-a', '10', true), pod('cloud-east', 'vc-b', '20', true)]),
    );
    const { result } = render(api);
    await waitFor(() => expect(result.current.clusters).toHaveLength(2));
    emit({
      type: 'status',
      watchId: 'w1',
      cluster: 'legacy-onprem',
      kind: {
        kind: 'Pod',
        status: 'unavailable',
        error: { name: 'ServiceUnavailableError', message: 'connect ECONNREFUSED' },
      },
    });
    const [legacy, east] = result.current.clusters!;
    expect(legacy.status).toBe('unavailable');
    expect(legacy.error?.message).toBe('connect ECONNREFUSED');
    expect(legacy.pods).toHaveLength(1); // what was known stays visible
    expect(east.status).toBe('ok');
  });

  it('refetches on resync in the background and replays events that raced the answer', async () => {
    const { api, mocks, emit } = fakeApi(snapshot([pod('cloud-east', 'vc-b', '20', false)]));
    const { result } = render(api);
    await waitFor(() => expect(result.current.clusters).toHaveLength(2));

    let answer: (v: ObjectsResponse) => void = () => {};
    mocks.getEntityObjects.mockImplementationOnce(
      () => new Promise(resolve => (answer = resolve)),
    );
    emit({ type: 'resync', watchId: 'w1', cluster: '*', kind: '*' });
    // while the refetch runs, the old value stays (no spinner, no empty page)
    expect(result.current.clusters![1].pods).toHaveLength(1);
    emit({ type: 'upsert', watchId: 'w1', object: pod('cloud-east', 'vc-c', '30', true) });
    await act(async () =>
      answer(snapshot([pod('cloud-east', 'vc-b', '25', true)])),
    );
    const names = result.current.clusters![1].pods.map(p => [p.name, p.summary.ready]);
    expect(names).toEqual([
      ['vc-b', true],
      ['vc-c', true],
    ]);
    expect(result.current.refreshError).toBeUndefined();
  });

  it('keeps the last value when a refresh fails', async () => {
    const { api, mocks, emit } = fakeApi(snapshot([pod('cloud-east', 'vc-b', '20', true)]));
    const { result } = render(api);
    await waitFor(() => expect(result.current.clusters).toHaveLength(2));
    mocks.getEntityObjects.mockRejectedValueOnce(new Error('backend restarting'));
    emit({ type: 'resync', watchId: 'w1', cluster: '*', kind: '*' });
    await waitFor(() =>
      expect(result.current.refreshError?.message).toBe('backend restarting'),
    );
    expect(result.current.clusters![1].pods).toHaveLength(1);
    expect(result.current.error).toBeUndefined();
  });
});
