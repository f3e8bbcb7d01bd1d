import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { readTrainingConfig } from '../config';
import { DatabaseRunStore } from '../database/DatabaseRunStore';
import { createTrainingService } from '../services/TrainingService';
import { fakeClusters } from '../__testUtils__/fakeClusters';
import {
  entities,
  JORDAN,
  launchBody,
  LI,
  policyMock,
  TRAINING,
  trainingConfig,
} from '../__testUtils__/world';
import { registerTrainingActions } from './createTrainingActions';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

async function setup() {
  const clusters = fakeClusters();
  const knex = await databases.init('SQLITE_3');
  const training = createTrainingService({
    clusters: clusters.service,
    store: await DatabaseRunStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    }),
    catalog: catalogServiceMock({ entities }),
    permissions: policyMock(),
    auditor: mockServices.auditor.mock(),
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
    config: readTrainingConfig(
      mockServices.rootConfig({ data: { training: trainingConfig } }),
    ),
  });
  const actions = actionsRegistryServiceMock();
  registerTrainingActions({ actionsRegistry: actions, training });
  const invoke = (name: string, user: string, input: object) =>
    actions.invoke({
      id: `test:${name}`,
      input: input as never,
      credentials: mockCredentials.user(user),
    });
  return { clusters, invoke };
}

const { gpu, ...body } = launchBody() as ReturnType<typeof launchBody> & {
  gpu: { type: string; count: number };
};
const createInput = { ...body, gpuType: gpu.type, gpuCount: gpu.count };

describe('training actions', () => {
  it('training:run:create launches with the same validation, and training:runs reports the state', async () => {
    const { invoke, clusters } = await setup();
    const created = await invoke('run:create', LI, createInput);
    expect(created.output).toMatchObject({
      created: true,
      run: {
        entityRef: TRAINING,
        phase: 'queued',
        reason: 'WaitingForWorkload',
        gpus: 2,
        createdBy: LI,
      },
    });
    const again = await invoke('run:create', LI, createInput);
    expect(again.output).toMatchObject({ created: false });
    expect(clusters.calls.apply.filter(a => !a.dryRun)).toHaveLength(1);

    await expect(
      invoke('run:create', LI, {
        ...createInput,
        idempotencyKey: 'another-key-1',
        gpuCount: 0,
      }),
    ).rejects.toThrow(
      'gpu.count: gpu.count must be a whole number of at least 1',
    );

    const runs = await invoke('runs', JORDAN, { entityRef: TRAINING });
    expect(runs.output).toMatchObject({
      runs: [{ phase: 'queued', state: expect.stringMatching(/^Queued/) }],
    });
  });

  it('training:run:cancel is for owners and records who', async () => {
    const { invoke } = await setup();
    const created = (await invoke('run:create', LI, createInput)).output as {
      run: { id: string };
    };
    await expect(
      invoke('run:cancel', JORDAN, { id: created.run.id, reason: 'no' }),
    ).rejects.toThrow(
      /only owners of component:default\/triage-model-training and platform admins may/,
    );
    const cancelled = await invoke('run:cancel', LI, {
      id: created.run.id,
      reason: 'wrong data',
    });
    expect(cancelled.output).toMatchObject({
      run: { phase: 'cancelled', cancelledBy: LI },
    });
  });
});
