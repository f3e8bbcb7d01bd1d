/*
 * Two backend instances on one PostgreSQL (CI provides it): the full evaluation is a global task
 * on the real scheduler, so exactly one instance runs it, and a status change is written (and
 * notified) once. Skipped where no PostgreSQL is configured (SQLite has no shared database
 * between two backends in one process).
 */
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import { clustersServiceRef } from '@careplane/plugin-clusters-node';
import { clustersServiceMock } from '@careplane/plugin-clusters-node/testUtils';
import type { Knex } from 'knex';
import { app, entity } from './__testUtils__/apps';
import { compliancePlugin } from './plugin';

jest.setTimeout(120_000);

const databases = TestDatabases.create({
  ids: [
    'POSTGRES_17',
    'POSTGRES_16',
    'POSTGRES_15',
    'POSTGRES_14',
    'POSTGRES_13',
  ],
});
const ids = databases.eachSupportedId();

async function instance(knex: Knex, calls: { full: number }) {
  const fake = clustersServiceMock({
    objects: [
      ...app('e-prescribing', { compliant: false }),
      ...app('visit-notes'),
    ],
  });
  const logger = mockServices.logger.mock();
  // one completed run logs 'Compliance full evaluation: <n> entities, <m> changes' (after a
  // 'starting' line): count the completed runs
  logger.info.mockImplementation(message => {
    if (/^Compliance full evaluation: \d+ entities/.test(String(message)))
      calls.full++;
  });
  logger.child.mockImplementation(() => logger);
  return startTestBackend({
    features: [
      compliancePlugin,
      schedulerServiceFactory,
      logger.factory,
      mockServices.database.factory({ knex }),
      createServiceFactory({
        service: clustersServiceRef,
        deps: {},
        factory: () => fake,
      }),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({ send: jest.fn() }),
      }),
      createServiceFactory({
        service: actionsRegistryServiceRef,
        deps: {},
        factory: () => actionsRegistryServiceMock(),
      }),
      catalogServiceMock.factory({
        entities: [
          entity('e-prescribing', 'clinical-records'),
          entity('visit-notes', 'clinical-records'),
        ],
      }),
      mockServices.rootConfig.factory({
        data: { compliance: { fullEvaluationMinutes: 60 } },
      }),
    ],
  });
}

// PostgreSQL only where CI configures it
const describeIfPostgres = ids.length > 0 ? describe : describe.skip;

describeIfPostgres('two backend instances on one PostgreSQL', () => {
  it.each(ids.length > 0 ? ids : [['POSTGRES_15' as const] as const])(
    'run one full evaluation and write each change once, %p',
    async (id: any) => {
      const knex = await databases.init(id);
      const calls = { full: 0 };
      const a = await instance(knex, calls);
      const b = await instance(knex, calls);
      try {
        // the task starts 5 s after start-up; give both instances time to try
        const deadline = Date.now() + 30_000;
        while (Date.now() < deadline && calls.full < 1)
          await new Promise(r => setTimeout(r, 250));
        await new Promise(r => setTimeout(r, 5_000));
        expect(calls.full).toBe(1);
        const history = await knex('compliance_history').where({
          entity_ref: 'component:default/e-prescribing',
          check_id: 'K8S-AC-003',
        });
        expect(history).toHaveLength(1);
      } finally {
        await a.stop();
        await b.stop();
      }
    },
  );
});
