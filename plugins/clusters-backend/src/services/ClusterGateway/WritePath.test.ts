import {
  mockCredentials,
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { AuditRecord } from '@careplane/plugin-clusters-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { FakeApiServer, pod } from '../../__testUtils__/FakeApiServer';
import {
  componentEntity,
  oneClusterRegistry,
} from '../../__testUtils__/oneCluster';
import { KindRegistry } from '../InformerCache/KindRegistry';
import { entityScopeOf, WriteScope } from '../WriteScope/WriteScope';
import { WritePath } from './WritePath';

const server = setupServer();
registerMswTestHooks(server);

const ID = 'video-consultation';
const ENTITY = `component:default/${ID}`;
const labels = { 'backstage.io/kubernetes-id': ID };

/**
 * One write path against a fake API server, with an auditor and an audit store that count how
 * each audit session starts and ends.
 */
async function setup(allow: (permission: string) => boolean = () => true) {
  const api = new FakeApiServer('https://c1.test', 'tok-1');
  server.use(...api.handlers());
  api.add('/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: ID, labels },
  });
  api.add('/apis/apps/v1/deployments', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: ID, namespace: ID, labels },
    spec: { replicas: 2 },
  });
  api.add('/apis/apps/v1/deployments', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'billing', namespace: ID, labels: { app: 'billing' } },
    spec: { replicas: 1 },
  });
  const { registry, options, logger } = await oneClusterRegistry(api, {
    retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
  });
  const sessions: Array<{ success: jest.Mock; fail: jest.Mock }> = [];
  const auditor = mockServices.auditor.mock({
    createEvent: jest.fn(async () => {
      const event = { success: jest.fn(), fail: jest.fn() };
      sessions.push(event);
      return event;
    }),
  });
  const records: AuditRecord[] = [];
  const permissions = mockServices.permissions.mock({
    authorize: jest.fn(async requests =>
      requests.map(r => ({
        result: allow(r.permission.name)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      })),
    ),
  });
  const writes = new WritePath({
    registry,
    kinds: new KindRegistry(),
    permissions,
    auditor,
    auditStore: {
      insert: async record => {
        records.push(record);
      },
      list: async () => ({ items: records }),
    },
    logger,
    scope: new WriteScope(options.writeScope),
    rateLimit: { write: 0, logs: 0 },
    scopeFor: async ref => entityScopeOf(ref, componentEntity(ID))!,
  });
  /** Each audit session started so far, with how often it ended each way. */
  const ended = () =>
    sessions.map(s => ({
      success: s.success.mock.calls.length,
      fail: s.fail.mock.calls.length,
    }));
  return { api, registry, writes, records, ended, permissions };
}

const patch = (name: string) => ({
  entityRef: ENTITY,
  cluster: 'c1',
  kind: 'Deployment',
  namespace: ID,
  name,
  patchType: 'merge' as const,
  patch: { spec: { replicas: 3 } },
  reason: 'scale for the clinic',
});
const call = { credentials: mockCredentials.user('user:default/jordan.lee') };

describe('WritePath: one audit session per write', () => {
  it('a write that succeeds: started once, succeeded once, recorded once', async () => {
    const { writes, records, ended, registry } = await setup();
    try {
      const result = await writes.patch(patch(ID), call);
      expect(result).toMatchObject({ name: ID, auditId: records[0].id });
      expect(ended()).toEqual([{ success: 1, fail: 0 }]);
      expect(records.map(r => r.outcome)).toEqual(['success']);
    } finally {
      await registry.close();
    }
  });

  it('a permission denial: started once, failed once, recorded as denied', async () => {
    const { writes, records, ended, api, registry } = await setup(
      name => name !== 'clusters.resource.patch',
    );
    try {
      await expect(writes.patch(patch(ID), call)).rejects.toThrow(
        'Not allowed: clusters.resource.patch',
      );
      expect(ended()).toEqual([{ success: 0, fail: 1 }]);
      expect(records.map(r => r.outcome)).toEqual(['denied']);
      expect(api.requests.filter(r => r.method === 'PATCH')).toHaveLength(0);
    } finally {
      await registry.close();
    }
  });

  it('a scope refusal: started once, failed once, recorded as denied', async () => {
    const { writes, records, ended, api, registry } = await setup(
      name => name !== 'clusters.scope.override',
    );
    try {
      await expect(writes.patch(patch('billing'), call)).rejects.toThrow(
        'does not belong to',
      );
      expect(ended()).toEqual([{ success: 0, fail: 1 }]);
      expect(records.map(r => r.outcome)).toEqual(['denied']);
      expect(api.requests.filter(r => r.method === 'PATCH')).toHaveLength(0);
    } finally {
      await registry.close();
    }
  });

  it('an error of the API server: started once, failed once, recorded as failure', async () => {
    const { writes, records, ended, registry } = await setup();
    server.use(
      http.patch(/deployments/, () =>
        HttpResponse.json(
          {
            kind: 'Status',
            apiVersion: 'v1',
            status: 'Failure',
            message: 'admission webhook refused the change',
            reason: 'Invalid',
            code: 422,
          },
          { status: 422 },
        ),
      ),
    );
    try {
      await expect(writes.patch(patch(ID), call)).rejects.toThrow(
        'admission webhook refused the change',
      );
      expect(ended()).toEqual([{ success: 0, fail: 1 }]);
      expect(records.map(r => r.outcome)).toEqual(['failure']);
    } finally {
      await registry.close();
    }
  });

  it('a thrown bug: started once, failed once, recorded as failure, the bug rethrown', async () => {
    const { writes, records, ended, permissions, registry } = await setup();
    (permissions.authorize as jest.Mock).mockImplementation(async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'x')");
    });
    try {
      await expect(writes.patch(patch(ID), call)).rejects.toThrow(TypeError);
      expect(ended()).toEqual([{ success: 0, fail: 1 }]);
      expect(records.map(r => r.outcome)).toEqual(['failure']);
    } finally {
      await registry.close();
    }
  });

  it('every kind of write ends its one session once', async () => {
    const { api, writes, records, ended, registry } = await setup();
    try {
      await writes.apply(
        {
          entityRef: ENTITY,
          cluster: 'c1',
          manifest: {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name: ID, namespace: ID, labels },
          },
          reason: 'redeploy',
        },
        call,
      );
      await writes.delete(
        { ...patch(ID), propagationPolicy: 'Background' },
        call,
      );
      api.add('/api/v1/pods', pod(`${ID}-0`, ID));
      await expect(
        writes.podLogs(
          {
            entityRef: ENTITY,
            cluster: 'c1',
            namespace: ID,
            pod: `${ID}-0`,
            reason: 'debug',
          },
          call,
        ),
      ).resolves.toMatchObject({ text: 'line 1\nline 2\n' });
      expect(ended()).toEqual([
        { success: 1, fail: 0 },
        { success: 1, fail: 0 },
        { success: 1, fail: 0 },
      ]);
      expect(records.map(r => [r.action, r.outcome])).toEqual([
        ['apply', 'success'],
        ['delete', 'success'],
        ['logs', 'success'],
      ]);
    } finally {
      await registry.close();
    }
  });
});
