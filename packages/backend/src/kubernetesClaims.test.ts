import {
  createBackendModule,
  type BackendFeature,
} from '@backstage/backend-plugin-api';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogBackend from '@backstage/plugin-catalog-backend';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { catalogModuleKubernetesClaims } from '@careplane/plugin-clusters-backend';
import { catalogModuleTelehealthLocalRepos } from '@careplane/plugin-scaffolder-backend-module-telehealth';
import path from 'node:path';
import request from 'supertest';

/*
 * The claims rule end to end in the real catalog: the demo catalog (a location of app-config's
 * catalog.locations, so the platform's) owns backstage.io/kubernetes-id patient-records; a service
 * repository registered by a user (careplane-local-repo, as local publishing does) that claims the
 * same id never reaches the catalog, while the demo's patient-records stays as it was.
 */
describe('kubernetes-id claims in the catalog', () => {
  jest.setTimeout(60_000);

  const demo = path.resolve(__dirname, '../../../catalog/all.yaml');
  const repos = createMockDirectory();
  const asJordan = mockCredentials.user.header('user:default/jordan.lee');
  const errors: Array<{ entity: string; message: string }> = [];

  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;

  // Processing errors of entities that never reach the catalog are visible only to this hook.
  const recordErrors: BackendFeature = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'test-processing-errors',
    register(reg) {
      reg.registerInit({
        deps: { processing: catalogProcessingExtensionPoint },
        async init({ processing }) {
          processing.setOnProcessingErrorHandler(event => {
            for (const e of event.errors) {
              errors.push({
                entity: event.unprocessedEntity.metadata.name,
                message: e.message,
              });
            }
          });
        },
      });
    },
  });

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        catalogBackend,
        catalogModuleKubernetesClaims,
        catalogModuleTelehealthLocalRepos,
        recordErrors,
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            catalog: {
              rules: [
                {
                  allow: [
                    'Component',
                    'System',
                    'API',
                    'Resource',
                    'Location',
                    'Domain',
                    'Group',
                    'User',
                  ],
                },
              ],
              locations: [{ type: 'file', target: demo }],
            },
            scaffolder: {
              telehealth: {
                publish: { provider: 'local', localDirectory: repos.path },
              },
            },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
  });

  const entity = (name: string) =>
    request(server)
      .get(`/api/catalog/entities/by-name/component/default/${name}`)
      .set('Authorization', mockCredentials.service.header());

  async function eventually<T>(fn: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + 45_000;
    for (;;) {
      const value = await fn();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise(r => setTimeout(r, 200));
    }
  }

  const repo = (name: string, kubernetesId: string, extra = '') => {
    repos.addContent({
      [`${name}/catalog-info.yaml`]: `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  annotations:
    backstage.io/kubernetes-id: ${kubernetesId}${extra}
spec:
  type: service
  lifecycle: experimental
  owner: group:default/telehealth-video
`,
    });
    return {
      type: 'careplane-local-repo',
      target: repos.resolve(`${name}/catalog-info.yaml`),
    };
  };

  it('keeps a user-registered claim on patient-records out of the catalog, and the demo entity as it was', async () => {
    const before = await eventually(async () => {
      const res = await entity('patient-records');
      return res.status === 200 ? res.body : undefined;
    });
    expect(before.metadata.annotations['backstage.io/kubernetes-id']).toBe(
      'patient-records',
    );

    const location = repo('records-mirror', 'patient-records');
    // The dry run that telehealth:catalog:register does first already says no…
    const dryRun = await request(server)
      .post('/api/catalog/locations?dryRun=true')
      .set('Authorization', asJordan)
      .send(location);
    expect(dryRun.status).toBe(400);
    expect(dryRun.body.error.message).toContain(
      "component:default/records-mirror: backstage.io/kubernetes-id 'patient-records' is already claimed by component:default/patient-records",
    );

    // …and registering anyway gets the location, but never the entity.
    const added = await request(server)
      .post('/api/catalog/locations')
      .set('Authorization', asJordan)
      .send(location);
    expect(added.status).toBe(201);
    const refusal = await eventually(async () =>
      errors.find(e => e.entity === 'records-mirror'),
    );
    expect(refusal.message).toContain(
      "backstage.io/kubernetes-id 'patient-records' is already claimed by component:default/patient-records",
    );
    expect(refusal.message).toContain('ask a platform admin');
    expect((await entity('records-mirror')).status).toBe(404);

    const after = await entity('patient-records');
    expect(after.status).toBe(200);
    expect(after.body.metadata.annotations).toEqual(
      before.metadata.annotations,
    );
    expect(after.body.metadata.uid).toBe(before.metadata.uid);
  });

  it('lets the same kind of location register a service with an id of its own', async () => {
    const added = await request(server)
      .post('/api/catalog/locations')
      .set('Authorization', asJordan)
      .send(repo('visit-notes', 'visit-notes'));
    expect(added.status).toBe(201);
    const res = await eventually(async () => {
      const r = await entity('visit-notes');
      return r.status === 200 ? r : undefined;
    });
    expect(res.body.metadata.annotations['backstage.io/kubernetes-id']).toBe(
      'visit-notes',
    );
    expect(errors.filter(e => e.entity === 'visit-notes')).toEqual([]);
  });

  it('keeps out a label selector that would select every service (issue 8)', async () => {
    const added = await request(server)
      .post('/api/catalog/locations')
      .set('Authorization', asJordan)
      .send(
        repo(
          'everything',
          'everything',
          '\n    backstage.io/kubernetes-label-selector: app.kubernetes.io/managed-by=careplane',
        ),
      );
    expect(added.status).toBe(201);
    const refusal = await eventually(async () =>
      errors.find(e => e.entity === 'everything'),
    );
    expect(refusal.message).toContain(
      "backstage.io/kubernetes-label-selector 'app.kubernetes.io/managed-by=careplane' does not pin backstage.io/kubernetes-id=everything",
    );
    expect((await entity('everything')).status).toBe(404);
  });
});
