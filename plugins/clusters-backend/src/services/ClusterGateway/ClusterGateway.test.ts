import {
  mockCredentials,
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { ClustersStreamEvent } from '@careplane/plugin-clusters-common';
import type { ClustersService } from '@careplane/plugin-clusters-node';
import { setupServer } from 'msw/node';
import {
  eventually,
  FakeApiServer,
  pod,
} from '../../__testUtils__/FakeApiServer';
import {
  componentEntity,
  oneClusterRegistry,
} from '../../__testUtils__/oneCluster';
import { InformerCache } from '../InformerCache/InformerCache';
import { KindRegistry } from '../InformerCache/KindRegistry';
import { WriteScope } from '../WriteScope/WriteScope';
import { ClusterGateway } from './ClusterGateway';

const server = setupServer();
registerMswTestHooks(server);

const ID = 'video-consultation';
const VIDEO = `component:default/${ID}`;
const JORDAN = 'user:default/jordan.lee'; // owner
const KENJI = 'user:default/kenji.watanabe'; // not an owner

/** The gateway over one fake cluster; only Jordan may read video-consultation. */
async function setup() {
  const api = new FakeApiServer('https://c1.test', 'tok-1');
  server.use(...api.handlers());
  api.add('/api/v1/pods', pod(`${ID}-0`, ID));
  const { registry, options, logger } = await oneClusterRegistry(api);
  const cache = new InformerCache(registry.clients, new KindRegistry(), {
    logger,
    idleTimeoutMs: 60_000,
    crdRecheckIntervalMs: 60_000,
  });
  const permissions = mockServices.permissions.mock({
    authorize: async (requests, { credentials }) => {
      const principal = credentials.principal as { userEntityRef?: string };
      return requests.map(r => {
        const allow =
          'resourceRef' in r
            ? r.resourceRef === VIDEO && principal.userEntityRef === JORDAN
            : r.permission.name === 'clusters.cluster.read';
        return {
          result: allow ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
        };
      });
    },
  });
  const gateway = new ClusterGateway({
    registry,
    cache,
    catalog: catalogServiceMock({ entities: [componentEntity(ID)] }),
    permissions,
    auditor: mockServices.auditor.mock(),
    auditStore: { insert: async () => {}, list: async () => ({ items: [] }) },
    logger,
    entityTtlMs: 30_000,
    writeScope: new WriteScope(options.writeScope),
    rateLimit: { write: 0, logs: 0 },
  });
  const stop = async () => {
    cache.close();
    await registry.close();
  };
  // the facade is what feature backends are given
  const service: ClustersService = gateway;
  return { api, service, stop };
}

const as = (user: string) => ({ credentials: mockCredentials.user(user) });
const asService = { credentials: mockCredentials.service() };

describe('ClusterGateway as ClustersService', () => {
  it('lists clusters for callers with clusters.cluster.read', async () => {
    const { service, stop } = await setup();
    try {
      const clusters = await service.listClusters(as(KENJI));
      expect(clusters.map(c => c.name)).toEqual(['c1']);
    } finally {
      await stop();
    }
  });

  it("reads an entity's objects for its owner only", async () => {
    const { service, stop } = await setup();
    try {
      const res = await service.getEntityObjects(
        { entityRef: VIDEO, kinds: ['Pod'] },
        as(JORDAN),
      );
      expect(res.clusters[0].items.map(i => i.name)).toEqual([`${ID}-0`]);
      await expect(
        service.getEntityObjects(
          { entityRef: VIDEO, kinds: ['Pod'] },
          as(KENJI),
        ),
      ).rejects.toThrow('Not allowed: clusters.resource.read');
    } finally {
      await stop();
    }
  });

  it('leaves raw selectors and kind registration to backends', async () => {
    const { service, stop } = await setup();
    try {
      const query = {
        selector: { labelSelector: `backstage.io/kubernetes-id=${ID}` },
        kinds: ['Pod'],
      };
      await expect(service.getObjects(query, as(JORDAN))).rejects.toThrow(
        'Raw selector queries are for backend callers only',
      );
      const res = await service.getObjects(query, asService);
      expect(res.clusters[0].items).toHaveLength(1);
    } finally {
      await stop();
    }
  });

  it("delivers changes of an entity's objects to a subscriber until it unsubscribes", async () => {
    const { api, service, stop } = await setup();
    try {
      const events: ClustersStreamEvent[] = [];
      const subscription = service.subscribe(
        { entityRef: VIDEO, kinds: ['Pod'] },
        event => events.push(event),
        as(JORDAN),
      );
      await subscription.ready;
      await eventually(() => api.watches('/api/v1/pods').length === 1);
      api.add('/api/v1/pods', pod(`${ID}-1`, ID));
      api.add('/api/v1/pods', pod('other-0', 'other'));
      await eventually(() =>
        events.some(e => e.type === 'upsert' && e.object.name === `${ID}-1`),
      );
      subscription.unsubscribe();
      // a second subscriber tells when the next change has been delivered
      const later: ClustersStreamEvent[] = [];
      const witness = service.subscribe(
        { entityRef: VIDEO, kinds: ['Pod'] },
        event => later.push(event),
        as(JORDAN),
      );
      await witness.ready;
      api.add('/api/v1/pods', pod(`${ID}-2`, ID));
      await eventually(() =>
        later.some(e => e.type === 'upsert' && e.object.name === `${ID}-2`),
      );
      witness.unsubscribe();
      const upserts = events.flatMap(e =>
        e.type === 'upsert' ? [e.object.name] : [],
      );
      expect(upserts).toEqual([`${ID}-1`]);
    } finally {
      await stop();
    }
  });

  it('refuses a subscription to an entity the caller may not read, through ready', async () => {
    const { service, stop } = await setup();
    try {
      const subscription = service.subscribe(
        { entityRef: VIDEO, kinds: ['Pod'] },
        () => {},
        as(KENJI),
      );
      await expect(subscription.ready).rejects.toThrow(
        'Not allowed: clusters.resource.read',
      );
    } finally {
      await stop();
    }
  });

  it('says that metrics are not set up when the backend has no metrics source', async () => {
    const { service, stop } = await setup();
    try {
      await expect(
        service.queryMetrics({ query: 'up' }, as(KENJI)),
      ).rejects.toThrow('Metrics queries are not set up on this backend');
    } finally {
      await stop();
    }
  });
});
