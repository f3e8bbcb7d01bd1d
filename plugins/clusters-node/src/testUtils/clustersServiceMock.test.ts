import { mockCredentials } from '@backstage/backend-test-utils';
import { clustersServiceMock } from './clustersServiceMock';

describe('clustersServiceMock', () => {
  const credentials = mockCredentials.user();
  const pod = (cluster: string, name: string, id: string) => ({
    cluster,
    kind: 'Pod',
    namespace: 'ns',
    name,
    object: {
      metadata: {
        name,
        namespace: 'ns',
        labels: { 'backstage.io/kubernetes-id': id },
      },
    },
  });

  it('answers entity queries from seeded objects', async () => {
    const service = clustersServiceMock({
      clusters: ['a', 'b'],
      objects: [pod('a', 'p1', 'x'), pod('b', 'p2', 'x'), pod('a', 'p3', 'y')],
      entities: {
        'component:default/x': {
          metadata: { annotations: { 'backstage.io/kubernetes-id': 'x' } },
        },
      },
    });
    const res = await service.getEntityObjects(
      { entityRef: 'component:default/x', kinds: ['Pod'] },
      { credentials },
    );
    expect(
      res.clusters.map(c => [c.cluster, c.items.map(i => i.name)]),
    ).toEqual([
      ['a', ['p1']],
      ['b', ['p2']],
    ]);
  });

  it('delivers emitted events to subscribers', async () => {
    const service = clustersServiceMock();
    const listener = jest.fn();
    service.subscribe({ kinds: ['Pod'] }, listener, { credentials });
    service.emit({ type: 'resync', watchId: 'w1', cluster: '*', kind: '*' });
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('answers metrics queries with the configured series', async () => {
    const service = clustersServiceMock({
      clusters: ['a', 'b'],
      metrics: { a: [{ metric: { job: 'x' }, value: [1, '1'] }] },
    });
    await expect(
      service.queryMetrics({ query: 'up' }, { credentials }),
    ).resolves.toEqual({
      clusters: [
        {
          cluster: 'a',
          status: 'ok',
          resultType: 'vector',
          result: [{ metric: { job: 'x' }, value: [1, '1'] }],
        },
        {
          cluster: 'b',
          status: 'not-configured',
          resultType: 'vector',
          result: [],
        },
      ],
    });
  });

  it('offers jest mocks', async () => {
    const mock = clustersServiceMock.mock({ listClusters: async () => [] });
    await expect(mock.listClusters({ credentials })).resolves.toEqual([]);
    expect(mock.listClusters).toHaveBeenCalledTimes(1);
  });
});
