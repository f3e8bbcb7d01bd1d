import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import type {
  ClustersStreamEvent,
  ObjectEnvelope,
  ObjectsResponse,
} from '@careplane/plugin-clusters-common';
import {
  ClustersApi,
  clustersApiRef,
} from '@careplane/plugin-clusters-react';
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EntityWorkloadsContent } from './EntityWorkloadsContent';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'video-consultation',
    annotations: { 'backstage.io/kubernetes-id': 'video-consultation' },
  },
  spec: { type: 'service', owner: 'telehealth-video', lifecycle: 'production' },
};

function pod(cluster: string, name: string, rv: string, ready: boolean): ObjectEnvelope {
  return {
    cluster,
    kind: 'Pod',
    namespace: 'video-consultation',
    name,
    uid: `${cluster}-${name}`,
    resourceVersion: rv,
    object: {
      metadata: {
        name,
        namespace: 'video-consultation',
        uid: `${cluster}-${name}`,
        creationTimestamp: new Date(Date.now() - 300_000).toISOString(),
        labels: { 'backstage.io/kubernetes-id': 'video-consultation' },
      },
      spec: { nodeName: `${cluster}-node-1`, containers: [{ name: 'app', image: 'registry/vc:1.4.2' }] },
      status: ready
        ? {
            phase: 'Running',
            conditions: [{ type: 'Ready', status: 'True' }],
            containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: {} } }],
          }
        : {
            phase: 'Running',
            conditions: [{ type: 'Ready', status: 'False' }],
            containerStatuses: [
              {
                name: 'app',
                ready: false,
                restartCount: 4,
                state: { waiting: { reason: 'CrashLoopBackOff' } },
              },
            ],
          },
    },
  };
}

const deployment: ObjectEnvelope = {
  cluster: 'legacy-onprem',
  kind: 'Deployment',
  namespace: 'video-consultation',
  name: 'video-consultation',
  uid: 'd1',
  resourceVersion: '5',
  object: {
    metadata: { name: 'video-consultation', generation: 2 },
    spec: { replicas: 3 },
    status: { observedGeneration: 2, readyReplicas: 3, updatedReplicas: 3, availableReplicas: 3 },
  },
};

function snapshot(): ObjectsResponse {
  return {
    selector: { labelSelector: 'backstage.io/kubernetes-id=video-consultation' },
    clusters: [
      {
        cluster: 'legacy-onprem',
        status: 'ok',
        kinds: [{ kind: 'Pod', status: 'ok' }, { kind: 'Rollout', status: 'not-installed' }],
        items: [deployment, pod('legacy-onprem', 'vc-legacy-a', '10', true)],
      },
      {
        cluster: 'cloud-east',
        status: 'ok',
        kinds: [{ kind: 'Pod', status: 'ok' }],
        items: [pod('cloud-east', 'vc-east-a', '20', false)],
      },
      { cluster: 'cloud-west', status: 'ok', kinds: [{ kind: 'Pod', status: 'ok' }], items: [] },
    ],
  };
}

function fakeApi(first: ObjectsResponse) {
  let listener: (e: ClustersStreamEvent) => void = () => {};
  const api: Partial<ClustersApi> = {
    getEntityObjects: jest.fn().mockResolvedValue(first),
    watch: jest.fn((_req, l) => {
      listener = l;
      return { unsubscribe: jest.fn() };
    }),
    onConnectionState: jest.fn(l => {
      l({ status: 'live', since: new Date().toISOString() });
      return () => {};
    }),
  };
  return { api, emit: (e: ClustersStreamEvent) => act(() => listener(e)) };
}

async function render(api: Partial<ClustersApi>, e: Entity = entity) {
  return renderInTestApp(
    <EntityProvider entity={e}>
      <EntityWorkloadsContent />
    </EntityProvider>,
    { apis: [[clustersApiRef, api]] },
  );
}

describe('EntityWorkloadsContent', () => {
  it('shows the pods and workloads on each cluster the service runs on', async () => {
    const { api } = fakeApi(snapshot());
    await render(api);
    const legacy = await screen.findByRole('region', { name: 'legacy-onprem' });
    const east = screen.getByRole('region', { name: 'cloud-east' });
    expect(within(legacy).getByText('vc-legacy-a')).toBeInTheDocument();
    expect(within(legacy).getByText('live')).toBeInTheDocument();
    expect(within(legacy).getByText('Rollout: not installed on this cluster')).toBeInTheDocument();
    const deploymentRow = within(legacy).getByRole('row', { name: /Deployment video-consultation/ });
    expect(within(deploymentRow).getByText('Available')).toBeInTheDocument();
    expect(within(east).getByText('vc-east-a')).toBeInTheDocument();
    expect(within(east).getAllByText('CrashLoopBackOff').length).toBeGreaterThan(0);
    expect(within(east).getByText('0/1')).toBeInTheDocument();
    // a cluster without objects of the service is one line, not an empty section
    expect(screen.queryByRole('region', { name: 'cloud-west' })).not.toBeInTheDocument();
    expect(screen.getByText('Nothing of this entity on cloud-west.')).toBeInTheDocument();
    expect(screen.getByText('Live updates on')).toBeInTheDocument();
  });

  it('says which cluster is unreachable and keeps showing the others', async () => {
    const first = snapshot();
    first.clusters[0] = {
      cluster: 'legacy-onprem',
      status: 'unavailable',
      error: { name: 'ServiceUnavailableError', message: 'connect ECONNREFUSED 127.0.0.1:16441' },
      kinds: [],
      items: [],
    };
    const { api } = fakeApi(first);
    await render(api);
    const legacy = await screen.findByRole('region', { name: 'legacy-onprem' });
    expect(
      within(legacy).getByText('cluster legacy-onprem unreachable: connect ECONNREFUSED 127.0.0.1:16441'),
    ).toBeInTheDocument();
    expect(within(legacy).getByText(/Other clusters are unaffected/)).toBeInTheDocument();
    expect(
      within(screen.getByRole('region', { name: 'cloud-east' })).getByText('vc-east-a'),
    ).toBeInTheDocument();
  });

  it('applies a pod becoming ready live, with the detail drawer staying open', async () => {
    const { api, emit } = fakeApi(snapshot());
    await render(api);
    const east = await screen.findByRole('region', { name: 'cloud-east' });
    await userEvent.click(
      within(east).getByRole('button', { name: 'Details of pod vc-east-a on cloud-east' }),
    );
    const drawer = await screen.findByRole('dialog', { name: 'Pod vc-east-a' });
    expect(within(drawer).getByText('0/1 containers')).toBeInTheDocument();

    emit({ type: 'upsert', watchId: 'w1', object: pod('cloud-east', 'vc-east-a', '21', true) });

    // the drawer is still open and shows the new state
    expect(screen.getByRole('dialog', { name: 'Pod vc-east-a' })).toBe(drawer);
    expect(within(drawer).getByText('1/1 containers')).toBeInTheDocument();
    const row = screen.getByTestId('pod-cloud-east-vc-east-a');
    expect(within(row).getByText('Ready')).toBeInTheDocument();
    expect(within(row).getByText('1/1')).toBeInTheDocument();
    expect(api.getEntityObjects).toHaveBeenCalledTimes(1);

    // a deleted pod keeps its last state in the open drawer, and says so
    emit({ type: 'delete', watchId: 'w1', object: pod('cloud-east', 'vc-east-a', '22', true) });
    expect(within(drawer).getByText(/This pod no longer exists on cloud-east/)).toBeInTheDocument();

    await userEvent.click(within(drawer).getByRole('button', { name: 'Close pod details' }));
    expect(screen.queryByRole('dialog', { name: 'Pod vc-east-a' })).not.toBeInTheDocument();
  });

  it('tells what to add when the entity has no Kubernetes annotation', async () => {
    const { api } = fakeApi(snapshot());
    await render(api, { ...entity, metadata: { name: 'plain' } });
    expect(
      await screen.findByText('No Kubernetes objects are linked to this entity'),
    ).toBeInTheDocument();
    expect(screen.getByText(/Add the annotation backstage.io\/kubernetes-id: <id>/)).toBeInTheDocument();
    expect(api.getEntityObjects).not.toHaveBeenCalled();
  });
});
