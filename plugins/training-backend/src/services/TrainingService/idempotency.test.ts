import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { LaunchRequest } from '@careplane/plugin-training-common';
import { readTrainingConfig } from '../../config';
import { DatabaseRunStore } from '../../database/DatabaseRunStore';
import { fakeClusters } from '../../__testUtils__/fakeClusters';
import {
  entities,
  launchBody,
  LI,
  policyMock,
  trainingConfig,
} from '../../__testUtils__/world';
import { createTrainingService } from './createTrainingService';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: [
    'SQLITE_3',
    'POSTGRES_17',
    'POSTGRES_16',
    'POSTGRES_15',
    'POSTGRES_14',
    'POSTGRES_13',
  ],
});

describe('launch on two backend instances sharing one database', () => {
  it.each(databases.eachSupportedId())(
    'creates one run for a double-clicked launch, %p',
    async id => {
      const knex = await databases.init(id);
      const database = mockServices.database({
        knex,
        migrations: { skip: false },
      });
      const clusters = fakeClusters();
      const config = readTrainingConfig(
        mockServices.rootConfig({ data: { training: trainingConfig } }),
      );
      const instance = async () =>
        createTrainingService({
          clusters: clusters.service,
          store: await DatabaseRunStore.create({ database }),
          catalog: catalogServiceMock({ entities }),
          permissions: policyMock(),
          auditor: mockServices.auditor.mock(),
          auth: mockServices.auth(),
          logger: mockServices.logger.mock(),
          config,
        });
      const [a, b] = [await instance(), await instance()];
      const credentials = mockCredentials.user(LI);
      const body = launchBody() as LaunchRequest;
      const answers = await Promise.all([
        a.launch(body, { credentials }),
        b.launch(body, { credentials }),
        a.launch(body, { credentials }),
      ]);
      expect(answers.filter(x => x.created)).toHaveLength(1);
      expect(new Set(answers.map(x => x.run.id)).size).toBe(1);
      expect(clusters.calls.apply.filter(x => !x.dryRun)).toHaveLength(1);
      // the other instance sees it after a restart too
      const list = await (await instance()).listRuns({}, { credentials });
      expect(list.items.map(r => r.id)).toEqual([answers[0].run.id]);
    },
  );
});
