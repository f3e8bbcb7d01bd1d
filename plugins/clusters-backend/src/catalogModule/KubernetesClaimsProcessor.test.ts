import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import path from 'node:path';
import { KubernetesClaimsProcessor } from './KubernetesClaimsProcessor';
import { readTrustedLocations } from './module';

// The platform's locations, as app-config.yaml lists them (relative to the backend's directory).
const config = mockServices.rootConfig({
  data: {
    catalog: {
      locations: [{ type: 'file', target: '../../catalog/all.yaml' }],
    },
    clusters: {
      claims: {
        trustedLocations: [
          {
            type: 'url',
            target:
              'https://github.com/northwind-health/platform/blob/main/catalog-info.yaml',
          },
        ],
      },
    },
  },
});
const DEMO = `file:${path.resolve('../../catalog/all.yaml')}`;
const PLATFORM_REPO =
  'url:https://github.com/northwind-health/platform/blob/main/catalog-info.yaml';
const USER_REPO = 'careplane-local-repo:/repos/visit-notes/catalog-info.yaml';

function component(
  name: string,
  origin: string | undefined,
  annotations: Record<string, string>,
  namespace = 'default',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace,
      annotations: {
        ...(origin
          ? { 'backstage.io/managed-by-origin-location': origin }
          : {}),
        ...annotations,
      },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'team' },
  };
}

const id = (value: string) => ({ 'backstage.io/kubernetes-id': value });
const selector = (value: string) => ({
  'backstage.io/kubernetes-label-selector': value,
});

describe('KubernetesClaimsProcessor', () => {
  // What the catalog holds already: the demo's patient-records and a service a team registered.
  const catalog = catalogServiceMock({
    entities: [
      component('patient-records', DEMO, id('patient-records')),
      component('video-consultation', USER_REPO, id('video-consultation')),
    ],
  });
  const processor = new KubernetesClaimsProcessor({
    catalog,
    auth: mockServices.auth(),
    trustedLocations: readTrustedLocations(config),
  });

  it.each<[string, Entity]>([
    [
      'a trusted location (catalog.locations, file) claiming a taken id',
      component('patient-records-v2', DEMO, id('patient-records')),
    ],
    [
      'a trusted location (clusters.claims.trustedLocations) with any selector',
      component('platform-dashboards', PLATFORM_REPO, {
        ...selector('app.kubernetes.io/managed-by=careplane'),
      }),
    ],
    [
      'an untrusted entity with a new id',
      component('visit-notes', USER_REPO, id('visit-notes')),
    ],
    [
      'the same entity processed again',
      component('video-consultation', USER_REPO, id('video-consultation')),
    ],
    [
      'a selector that pins the own id',
      component('visit-notes', USER_REPO, {
        ...id('visit-notes'),
        ...selector('backstage.io/kubernetes-id=visit-notes,app=web'),
      }),
    ],
    [
      'a selector that pins the own id with in (…)',
      component('visit-notes', USER_REPO, {
        ...id('visit-notes'),
        ...selector('backstage.io/kubernetes-id in (visit-notes)'),
      }),
    ],
    [
      'an entity with no Kubernetes annotations',
      component('docs-site', USER_REPO, {}),
    ],
  ])('accepts %s', async (_what, entity) => {
    await expect(processor.preProcessEntity(entity)).resolves.toBe(entity);
  });

  const ask =
    'or ask a platform admin to register it from a location the platform owns (catalog.locations or clusters.claims.trustedLocations; this one comes from';

  it.each<[string, Entity, string]>([
    [
      'an untrusted entity claiming a taken id',
      component('records-mirror', USER_REPO, id('patient-records')),
      `component:default/records-mirror: backstage.io/kubernetes-id 'patient-records' is already claimed by component:default/patient-records; the objects labelled backstage.io/kubernetes-id=patient-records are theirs. Use an id of your own, ${ask} ${USER_REPO}).`,
    ],
    [
      'the same name in another namespace claiming a taken id',
      component('patient-records', USER_REPO, id('patient-records'), 'ops'),
      "component:ops/patient-records: backstage.io/kubernetes-id 'patient-records' is already claimed by component:default/patient-records",
    ],
    [
      'an entity without origin claiming a taken id',
      component('records-mirror', undefined, id('patient-records')),
      'this one comes from an unknown location',
    ],
    [
      'a selector without the id pin (issue 8: every service)',
      component('everything', USER_REPO, {
        ...id('everything'),
        ...selector('app.kubernetes.io/managed-by=careplane'),
      }),
      `component:default/everything: backstage.io/kubernetes-label-selector 'app.kubernetes.io/managed-by=careplane' does not pin backstage.io/kubernetes-id=everything, so it could select objects of other entities. Write 'backstage.io/kubernetes-id=everything,app.kubernetes.io/managed-by=careplane' (or drop the selector and use backstage.io/kubernetes-id alone), ${ask} ${USER_REPO}).`,
    ],
    [
      'a selector that pins another id',
      component('visit-notes', USER_REPO, {
        ...id('visit-notes'),
        ...selector('backstage.io/kubernetes-id=patient-records'),
      }),
      'does not pin backstage.io/kubernetes-id=visit-notes',
    ],
    [
      'a selector that excludes instead of pinning',
      component('visit-notes', USER_REPO, {
        ...id('visit-notes'),
        ...selector('backstage.io/kubernetes-id!=visit-notes'),
      }),
      'does not pin backstage.io/kubernetes-id=visit-notes',
    ],
    [
      'a selector with several ids',
      component('visit-notes', USER_REPO, {
        ...id('visit-notes'),
        ...selector(
          'backstage.io/kubernetes-id in (visit-notes,patient-records)',
        ),
      }),
      'does not pin backstage.io/kubernetes-id=visit-notes',
    ],
    [
      'an empty selector',
      component('visit-notes', USER_REPO, {
        ...id('visit-notes'),
        ...selector(''),
      }),
      "Write 'backstage.io/kubernetes-id=visit-notes'",
    ],
    [
      'a selector without an id of its own',
      component('everything', USER_REPO, selector('app=web')),
      "component:default/everything: a backstage.io/kubernetes-label-selector needs the entity's own backstage.io/kubernetes-id",
    ],
    [
      'a selector that does not parse',
      component('visit-notes', USER_REPO, {
        ...id('visit-notes'),
        ...selector('backstage.io/kubernetes-id=visit-notes,(('),
      }),
      "backstage.io/kubernetes-label-selector 'backstage.io/kubernetes-id=visit-notes,((' is not a label selector",
    ],
    [
      'an id that is not a label value',
      component('visit-notes', USER_REPO, id('visit-notes,app=web')),
      "backstage.io/kubernetes-id 'visit-notes,app=web' is not a Kubernetes label value",
    ],
  ])('refuses %s', async (_what, entity, message) => {
    await expect(processor.preProcessEntity(entity)).rejects.toThrow(message);
  });

  it('says which entity claims an id with its error class', async () => {
    await expect(
      processor.preProcessEntity(
        component('records-mirror', USER_REPO, id('patient-records')),
      ),
    ).rejects.toMatchObject({ name: 'ConflictError' });
  });

  it('asks the catalog only for entities with Kubernetes annotations from untrusted locations, with its own credentials', async () => {
    const getEntities = jest.fn(async () => ({ items: [] }));
    const auth = mockServices.auth();
    const counting = new KubernetesClaimsProcessor({
      catalog: catalogServiceMock.mock({ getEntities }),
      auth,
      trustedLocations: readTrustedLocations(config),
    });
    await counting.preProcessEntity(component('docs-site', USER_REPO, {}));
    await counting.preProcessEntity(
      component('patient-records', DEMO, id('patient-records')),
    );
    expect(getEntities).not.toHaveBeenCalled();
    await counting.preProcessEntity(
      component('visit-notes', USER_REPO, id('visit-notes')),
    );
    expect(getEntities).toHaveBeenCalledWith(
      {
        filter: {
          'metadata.annotations.backstage.io/kubernetes-id': 'visit-notes',
        },
        fields: ['kind', 'metadata.namespace', 'metadata.name'],
      },
      { credentials: await auth.getOwnServiceCredentials() },
    );
  });
});

describe('readTrustedLocations', () => {
  it('reads catalog.locations and clusters.claims.trustedLocations', () => {
    expect(readTrustedLocations(config)).toEqual([
      { type: 'file', target: '../../catalog/all.yaml' },
      {
        type: 'url',
        target:
          'https://github.com/northwind-health/platform/blob/main/catalog-info.yaml',
      },
    ]);
    expect(readTrustedLocations(mockServices.rootConfig())).toEqual([]);
  });
});
