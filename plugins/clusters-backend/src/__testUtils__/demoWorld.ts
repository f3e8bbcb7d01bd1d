/*
 * The demo world (catalog/*.yaml and the simulator's demo scenario) for whole-plugin tests: the
 * catalog as the catalog mock's entities, who owns what, and the Careplane policy in miniature.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { mockCredentials } from '@backstage/backend-test-utils';

export const DEMO_SCENARIO = join(
  dirname(require.resolve('@careplane/cluster-simulator/package.json')),
  'scenarios/demo.yaml',
);
const CATALOG = resolve(__dirname, '../../../../catalog');

export const JORDAN = 'user:default/jordan.lee'; // telehealth-video, owns video-consultation
export const KENJI = 'user:default/kenji.watanabe'; // scheduling: not an owner
export const PRIYA = 'user:default/priya.shah'; // platform-admins
export const ID = 'backstage.io/kubernetes-id';

function loadCatalog(): any[] {
  return ['org', 'users', 'system', 'clusters', 'components', 'apis'].flatMap(
    file =>
      parseAllDocuments(readFileSync(join(CATALOG, `${file}.yaml`), 'utf8'))
        .map(d => d.toJS())
        .filter(Boolean)
        .map(e => ({
          ...e,
          metadata: { namespace: 'default', ...e.metadata },
        })),
  );
}

/** The demo catalog's entities. */
export const entities = loadCatalog();

export const ref = (kind: string, name: string) =>
  stringifyEntityRef({ kind, namespace: 'default', name });

/** Members of the group that owns the entity. */
export const ownersOf = (entityRef: string): string[] => {
  const entity = entities.find(e => ref(e.kind, e.metadata.name) === entityRef);
  const group = entities.find(
    e => e.kind === 'Group' && e.metadata.name === entity?.spec?.owner,
  );
  return (group?.spec?.members ?? []).map((m: string) => ref('User', m));
};

/**
 * The lead's policy in miniature: reads open except logs and audit; entity-scoped permissions
 * for the entity's owners and admins; everything else (the scope override among them) for admins.
 */
export const demoPermissions = mockServices.permissions.mock({
  async authorize(requests, options) {
    const user = (options.credentials.principal as any).userEntityRef as
      | string
      | undefined;
    return requests.map(r => {
      const p = r.permission;
      const admin = user === PRIYA;
      let allow: boolean;
      if (
        p.attributes.action === 'read' &&
        !['clusters.pod.logs', 'clusters.audit.read'].includes(p.name)
      ) {
        allow = true;
      } else if ('resourceType' in p && p.resourceType === 'catalog-entity') {
        allow = admin || ownersOf((r as any).resourceRef).includes(user!);
      } else {
        allow = admin;
      }
      return {
        result: allow ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
      } as any;
    });
  },
});

export const as = (user: string) => ({
  Authorization: mockCredentials.user.header(user),
});
