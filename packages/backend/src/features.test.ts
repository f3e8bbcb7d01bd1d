import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import authBackendModuleGuestProvider from '@backstage/plugin-auth-backend-module-guest-provider';
import { careplaneBackendFeatures } from './features';
import { authModuleDevPersonas } from './auth/devPersonas';

// Starts every feature of the real backend (exactly the list src/index.ts uses) on an in-memory
// SQLite database, and checks that the plugins answer and that the Careplane policy is in force.
describe('the Careplane backend', () => {
  jest.setTimeout(120_000);

  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;

  // The backend runs as `npm start` runs it, in development: the guest provider checks NODE_ENV.
  const nodeEnv = process.env.NODE_ENV;

  beforeAll(async () => {
    process.env.NODE_ENV = 'development';
    const backend = await startTestBackend({
      features: [
        ...careplaneBackendFeatures('development'),
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            backend: { baseUrl: 'http://localhost:7007' },
            auth: {
              environment: 'development',
              providers: {
                guest: { userEntityRef: 'user:default/jordan.lee' },
                'platform-admin': {
                  userEntityRef: 'user:default/priya.shah',
                  ownershipEntityRefs: [
                    'user:default/priya.shah',
                    'group:default/platform-admins',
                  ],
                },
              },
            },
            catalog: { locations: [] },
            permission: { enabled: true },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    process.env.NODE_ENV = nodeEnv;
    await stop?.();
  });

  it('serves the catalog', async () => {
    // As a backend service: the mocked auth of the test backend cannot issue the on-behalf-of
    // tokens that the catalog's own permission checks need for a user.
    const res = await request(server)
      .get('/api/catalog/entity-facets?facet=kind')
      .set('Authorization', mockCredentials.service.header());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ facets: { kind: [] } });
  });

  it('lists the scaffolder actions that templates can use', async () => {
    const res = await request(server)
      .get('/api/scaffolder/v2/actions')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    const ids = (res.body as Array<{ id: string }>).map(a => a.id);
    expect(ids).toEqual(
      expect.arrayContaining(['fetch:template', 'catalog:register']),
    );
  });

  it('serves the shared cluster plugin', async () => {
    const res = await request(server)
      .get('/api/clusters/v1/clusters')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [] });
  });

  it('decides permissions with the Careplane policy, not allow-all', async () => {
    const res = await request(server)
      .post('/api/permission/authorize')
      .set('Authorization', mockCredentials.user.header())
      .send({
        items: [
          {
            id: 'read',
            permission: {
              type: 'basic',
              name: 'catalog.entity.read',
              attributes: { action: 'read' },
            },
          },
          {
            id: 'delete-location',
            permission: {
              type: 'basic',
              name: 'catalog.location.delete',
              attributes: { action: 'delete' },
            },
          },
        ],
      });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      { id: 'read', result: 'ALLOW' },
      { id: 'delete-location', result: 'DENY' },
    ]);
  });

  it('signs the development guest in as the demo user', async () => {
    const res = await request(server)
      .get('/api/auth/guest/refresh')
      .set('X-Requested-With', 'XMLHttpRequest');
    expect(res.status).toBe(200);
    expect(res.body.backstageIdentity.identity).toEqual(
      expect.objectContaining({ userEntityRef: 'user:default/jordan.lee' }),
    );
  });

  it('signs the platform-admin persona in as an admin, with the admin group', async () => {
    const res = await request(server)
      .get('/api/auth/platform-admin/refresh')
      .set('X-Requested-With', 'XMLHttpRequest');
    expect(res.status).toBe(200);
    expect(res.body.backstageIdentity.identity).toEqual({
      type: 'user',
      userEntityRef: 'user:default/priya.shah',
      // The catalog is empty in this test: ownership comes from the configured fallback.
      ownershipEntityRefs: [
        'user:default/priya.shah',
        'group:default/platform-admins',
      ],
    });
  });

  it('refuses the platform-admin persona outside development', async () => {
    process.env.NODE_ENV = 'test';
    try {
      const res = await request(server)
        .get('/api/auth/platform-admin/refresh')
        .set('X-Requested-With', 'XMLHttpRequest');
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/NODE_ENV=development/);
    } finally {
      process.env.NODE_ENV = 'development';
    }
  });
});

describe('the production backend', () => {
  it('does not install the guest sign-in or the development personas', () => {
    const production = careplaneBackendFeatures('production');
    const development = careplaneBackendFeatures('development');
    expect(production).toHaveLength(development.length - 2);
    for (const devOnly of [
      authBackendModuleGuestProvider,
      authModuleDevPersonas,
    ]) {
      expect(production).not.toContain(devOnly);
      expect(development).toContain(devOnly);
    }
  });
});
