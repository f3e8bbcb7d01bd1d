import {
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import type { ClusterInfo } from '@careplane/plugin-clusters-common';
import {
  ClustersClient,
  clustersApiRef,
} from '@careplane/plugin-clusters-react';
import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { ClustersOverview } from './ClustersOverview';

const baseUrl = 'http://localhost:7007/api/clusters';
const server = setupServer();
registerMswTestHooks(server);

const cluster = (name: string, over: Partial<ClusterInfo>): ClusterInfo => ({
  name,
  source: 'config',
  environment: 'production',
  region: 'us-east-1',
  phi: true,
  labels: {},
  health: {
    status: 'healthy',
    circuit: 'closed',
    lastContactAt: new Date(Date.now() - 5000).toISOString(),
    latencyMs: 12.4,
  },
  stats: {
    informers: 8,
    objects: 142,
    approxBytes: 300_000,
    requests: { list: 8, watch: 8 },
    throttled: 0,
  },
  ...over,
});

describe('ClustersOverview', () => {
  it('shows health in words, last contact, latency and cache size per cluster', async () => {
    server.use(
      http.get(`${baseUrl}/v1/clusters`, () =>
        HttpResponse.json({
          items: [
            cluster('cloud-east', {}),
            cluster('legacy-onprem', {
              health: {
                status: 'unavailable',
                circuit: 'open',
                error: {
                  name: 'Error',
                  message: 'connect ECONNREFUSED 127.0.0.1:16441',
                },
              },
            }),
            cluster('gpu-research', {
              version: { gitVersion: 'v1.30.2', platform: 'linux/amd64' },
              kinds: [
                {
                  kind: 'Rollout',
                  apiVersion: 'argoproj.io/v1alpha1',
                  status: 'installed',
                },
                {
                  kind: 'AnalysisRun',
                  apiVersion: 'argoproj.io/v1alpha1',
                  status: 'installed',
                },
                {
                  kind: 'Canary',
                  apiVersion: 'flagger.app/v1beta1',
                  status: 'not-installed',
                },
                {
                  kind: 'Workload',
                  apiVersion: 'kueue.x-k8s.io/v1beta2',
                  status: 'installed',
                },
                {
                  kind: 'ClusterQueue',
                  apiVersion: 'kueue.x-k8s.io/v1beta2',
                  status: 'installed',
                },
                {
                  kind: 'PolicyReport',
                  apiVersion: 'wgpolicyk8s.io/v1alpha2',
                  status: 'not-installed',
                },
                {
                  kind: 'Subscription',
                  apiVersion: 'postgresql.cnpg.io/v1',
                  status: 'not-installed',
                },
              ],
            }),
            cluster('cloud-west', {
              health: { status: 'unavailable', circuit: 'closed' },
              kinds: [
                {
                  kind: 'Rollout',
                  apiVersion: 'argoproj.io/v1alpha1',
                  status: 'unknown',
                },
                {
                  kind: 'Canary',
                  apiVersion: 'flagger.app/v1beta1',
                  status: 'unknown',
                },
              ],
            }),
          ],
        }),
      ),
    );
    await renderInTestApp(<ClustersOverview />, {
      apis: [
        [
          clustersApiRef,
          new ClustersClient({
            discoveryApi: { getBaseUrl: async () => baseUrl },
            fetchApi: { fetch: (input, init) => fetch(input, init) },
          }),
        ],
      ],
    });
    const east = await screen.findByTestId('cluster-row-cloud-east');
    expect(within(east).getByText('Healthy')).toBeInTheDocument();
    expect(within(east).getByText('12 ms')).toBeInTheDocument();
    expect(within(east).getByText('142 (293 KiB)')).toBeInTheDocument();
    expect(within(east).getByText(/s ago$/)).toBeInTheDocument();
    expect(within(east).getByText('8 watched')).toBeInTheDocument();
    const legacy = screen.getByTestId('cluster-row-legacy-onprem');
    expect(
      within(legacy).getByText(/^Unreachable \(circuit open/),
    ).toBeInTheDocument();
    expect(
      within(legacy).getByText('connect ECONNREFUSED 127.0.0.1:16441'),
    ).toBeInTheDocument();
    expect(within(legacy).getByText('never')).toBeInTheDocument();
    expect(within(legacy).getByText('not reported')).toBeInTheDocument();

    const gpu = screen.getByTestId('cluster-row-gpu-research');
    expect(within(gpu).getByText('v1.30.2')).toBeInTheDocument();
    expect(within(gpu).getByText('linux/amd64')).toBeInTheDocument();
    expect(
      within(gpu).getByText(
        'Argo Rollouts, Kueue — not installed: Flagger, Policy Reports, CloudNativePG',
      ),
    ).toBeInTheDocument();
    const west = screen.getByTestId('cluster-row-cloud-west');
    expect(
      within(west).getByText('unknown (not probed yet)'),
    ).toBeInTheDocument();
  });

  it('shows the bytes per cached object of each kind', async () => {
    server.use(
      http.get(`${baseUrl}/v1/clusters`, () =>
        HttpResponse.json({
          items: [
            cluster('cloud-east', {
              stats: {
                informers: 3,
                objects: 2_100,
                approxBytes: 4_000_000,
                requests: { watch: 3 },
                throttled: 0,
                kinds: [
                  { kind: 'Deployment', objects: 100, bytesPerObject: 2_900 },
                  { kind: 'Job', objects: 0, bytesPerObject: 0 },
                  { kind: 'Pod', objects: 2_000, bytesPerObject: 1_900 },
                ],
              },
            }),
          ],
        }),
      ),
    );
    await renderInTestApp(<ClustersOverview />, {
      apis: [
        [
          clustersApiRef,
          new ClustersClient({
            discoveryApi: { getBaseUrl: async () => baseUrl },
            fetchApi: { fetch: (input, init) => fetch(input, init) },
          }),
        ],
      ],
    });
    expect(
      await screen.findByTestId('cluster-kinds-cloud-east'),
    ).toHaveTextContent('Deployment 100 × 2.8 KiB, Pod 2000 × 1.9 KiB');
  });
});
