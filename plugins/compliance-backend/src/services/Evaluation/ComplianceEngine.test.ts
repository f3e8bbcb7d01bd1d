import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { clustersServiceMock } from '@careplane/plugin-clusters-node/testUtils';
import {
  builtInChecks,
  DEFAULT_CHECK_OPTIONS,
  policyToCheckMap,
} from '@careplane/plugin-compliance-common';
import { app, entity } from '../../__testUtils__/apps';
import { DatabaseComplianceStore } from '../../database/DatabaseComplianceStore';
import { ComplianceEngine } from './ComplianceEngine';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

async function setup() {
  const knex = await databases.init('SQLITE_3');
  const store = await DatabaseComplianceStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
  });
  const clusters = clustersServiceMock({
    objects: [
      ...app('e-prescribing', { compliant: false }),
      ...app('visit-notes'),
    ],
  });
  let items: any[] = [entity('e-prescribing', 'clinical-records')];
  const catalog = { getEntities: jest.fn(async () => ({ items })) } as any;
  const engine = new ComplianceEngine({
    clusters,
    catalog,
    auth: mockServices.auth(),
    store,
    logger: mockServices.logger.mock(),
    checks: {
      checks: builtInChecks,
      policyToCheck: policyToCheckMap(builtInChecks),
      options: DEFAULT_CHECK_OPTIONS,
    },
  });
  return { engine, store, clusters, setCatalog: (e: any[]) => (items = e) };
}

const statuses = async (
  store: DatabaseComplianceStore,
  ref: string,
  checkId: string,
) =>
  (await store.currentResults(ref))
    .filter(r => r.checkId === checkId)
    .map(r => r.status);

describe('ComplianceEngine', () => {
  it('catches up on its first refresh, then follows the catalog: new entities evaluated, gone ones retired', async () => {
    const { engine, store, setCatalog } = await setup();
    expect(await engine.catchUp()).toBe(1);
    expect(
      await statuses(store, 'component:default/e-prescribing', 'K8S-AC-003'),
    ).toEqual(['fail']);
    expect(await store.currentResults('component:default/visit-notes')).toEqual(
      [],
    );

    // nothing changed: nothing evaluated
    expect(await engine.catchUp()).toBe(0);

    setCatalog([
      entity('e-prescribing', 'clinical-records'),
      entity('visit-notes', 'clinical-records'),
    ]);
    expect(await engine.catchUp()).toBe(1);
    expect(
      await statuses(store, 'component:default/visit-notes', 'K8S-AC-003'),
    ).toEqual(['pass']);

    setCatalog([entity('visit-notes', 'clinical-records')]);
    await engine.catchUp();
    expect(
      await store.currentResults('component:default/e-prescribing'),
    ).toEqual([]);
    const history = await store.history('component:default/e-prescribing');
    expect(history.find(h => h.checkId === 'K8S-AC-003')).toMatchObject({
      previousStatus: 'fail',
      status: 'not-applicable',
    });
    engine.stop();
  });

  it('turns results unknown when a cluster becomes unavailable, never pass', async () => {
    const { engine, store, clusters } = await setup();
    await engine.catchUp();
    clusters.emit({
      type: 'status',
      watchId: 'w',
      cluster: 'test-cluster',
      kind: { kind: 'NetworkPolicy', status: 'unavailable' },
    });
    await engine.flush();
    expect(
      await statuses(store, 'component:default/e-prescribing', 'K8S-TX-001'),
    ).toEqual(['unknown']);
    // the workload's own checks still have their object
    expect(
      await statuses(store, 'component:default/e-prescribing', 'K8S-AC-003'),
    ).toEqual(['fail']);
    // the kind answers again: the fleet is reloaded and the result decided again
    clusters.emit({
      type: 'status',
      watchId: 'w',
      cluster: 'test-cluster',
      kind: { kind: 'NetworkPolicy', status: 'ok' },
    });
    for (let i = 0; i < 50; i++) {
      const s = await statuses(
        store,
        'component:default/e-prescribing',
        'K8S-TX-001',
      );
      if (s[0] === 'fail') break;
      await new Promise(r => setTimeout(r, 20));
    }
    expect(
      await statuses(store, 'component:default/e-prescribing', 'K8S-TX-001'),
    ).toEqual(['fail']);
    engine.stop();
  });
});
