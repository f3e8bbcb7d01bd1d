import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  Entity,
  FieldFormatEntityPolicy,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  NoForeignRootFieldsEntityPolicy,
  parseEntityRef,
  resourceEntityV1alpha1Validator,
  SchemaValidEntityPolicy,
  stringifyEntityRef,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
} from '@backstage/catalog-model';

// The demo catalog is what a newcomer sees first: every file must parse, every entity must be
// valid, and every reference (owner, system, member, API) must point at an entity that exists.
const catalogDir = path.resolve(__dirname, '../../../catalog');

function loadAll(): { file: string; entity: Entity }[] {
  const out: { file: string; entity: Entity }[] = [];
  for (const file of fs
    .readdirSync(catalogDir)
    .filter(f => f.endsWith('.yaml'))) {
    const docs = parseAllDocuments(
      fs.readFileSync(path.join(catalogDir, file), 'utf8'),
    );
    for (const doc of docs) {
      if (doc.errors.length > 0) {
        throw new Error(
          `${file}: ${doc.errors.map(e => e.message).join('; ')}`,
        );
      }
      out.push({ file, entity: doc.toJS() as Entity });
    }
  }
  return out;
}

describe('the demo catalog', () => {
  const all = loadAll();
  const refs = new Set(all.map(({ entity }) => stringifyEntityRef(entity)));
  const ref = (value: string, defaultKind: string) =>
    stringifyEntityRef(
      parseEntityRef(value, { defaultKind, defaultNamespace: 'default' }),
    );

  it('parses, and every entity passes the catalog validation', async () => {
    expect(all.length).toBeGreaterThan(20);
    const policies = [
      new SchemaValidEntityPolicy(),
      new NoForeignRootFieldsEntityPolicy(),
      new FieldFormatEntityPolicy(),
    ];
    const validators = [
      apiEntityV1alpha1Validator,
      componentEntityV1alpha1Validator,
      domainEntityV1alpha1Validator,
      groupEntityV1alpha1Validator,
      locationEntityV1alpha1Validator,
      resourceEntityV1alpha1Validator,
      systemEntityV1alpha1Validator,
      userEntityV1alpha1Validator,
    ];
    for (const { file, entity } of all) {
      for (const policy of policies) {
        await expect(policy.enforce(entity)).resolves.toBeDefined();
      }
      const results = await Promise.all(validators.map(v => v.check(entity)));
      expect({
        file,
        entity: entity.metadata.name,
        known: results.some(Boolean),
      }).toEqual({
        file,
        entity: entity.metadata.name,
        known: true,
      });
    }
  });

  it('registers every file from the location that app-config.yaml points at', () => {
    const location = all.find(({ entity }) => entity.kind === 'Location')!;
    const targets = (location.entity.spec!.targets as string[]).map(t =>
      path.basename(t),
    );
    const files = new Set(all.map(({ file }) => file));
    files.delete('all.yaml');
    expect(new Set(targets)).toEqual(files);
  });

  it('only references entities that exist', () => {
    const missing: string[] = [];
    const check = (from: Entity, value: unknown, kind: string) => {
      for (const v of ([] as unknown[]).concat(value ?? [])) {
        const target = ref(String(v), kind);
        if (!refs.has(target))
          missing.push(`${stringifyEntityRef(from)} -> ${target}`);
      }
    };
    for (const { entity } of all) {
      const spec = (entity.spec ?? {}) as Record<string, unknown>;
      check(entity, spec.owner, 'group');
      check(entity, spec.system, 'system');
      check(entity, spec.domain, 'domain');
      check(entity, spec.parent, 'group');
      check(entity, spec.children, 'group');
      check(entity, spec.members, 'user');
      check(entity, spec.memberOf, 'group');
      check(entity, spec.providesApis, 'api');
      check(entity, spec.consumesApis, 'api');
      check(entity, spec.dependsOn, 'component');
    }
    expect(missing).toEqual([]);
  });

  it('puts the dev guest (jordan.lee) in a team that owns some services and not others', () => {
    const jordan = all.find(
      ({ entity }) =>
        entity.kind === 'User' && entity.metadata.name === 'jordan.lee',
    )!.entity;
    const teams = (jordan.spec!.memberOf as string[]).map(g => ref(g, 'group'));
    const services = all.filter(
      ({ entity }) =>
        entity.kind === 'Component' && entity.spec?.type === 'service',
    );
    const owned = services.filter(({ entity }) =>
      teams.includes(ref(String(entity.spec!.owner), 'group')),
    );
    expect(owned.length).toBeGreaterThan(0);
    expect(owned.length).toBeLessThan(services.length);
  });

  it('ties every service to its workloads and marks its data classification', () => {
    for (const { entity } of all.filter(
      ({ entity: e }) => e.kind === 'Component',
    )) {
      const annotations = entity.metadata.annotations ?? {};
      expect(annotations['backstage.io/kubernetes-id']).toBe(
        entity.metadata.name,
      );
      expect(['phi', 'internal', 'public']).toContain(
        annotations['careplane.io/data-classification'],
      );
    }
  });

  it('describes the four clusters of the demo world with environment, region and PHI flag', () => {
    const clusters = all
      .filter(
        ({ entity }) =>
          entity.kind === 'Resource' &&
          entity.spec?.type === 'kubernetes-cluster',
      )
      .map(({ entity }) => ({
        name: entity.metadata.name,
        environment: entity.metadata.labels?.['careplane.io/environment'],
        phi: entity.metadata.labels?.['careplane.io/phi'],
      }));
    expect(clusters).toEqual([
      { name: 'legacy-onprem', environment: 'production', phi: 'true' },
      { name: 'cloud-east', environment: 'production', phi: 'true' },
      { name: 'cloud-west', environment: 'staging', phi: 'false' },
      { name: 'gpu-research', environment: 'production', phi: 'false' },
    ]);
  });
});
