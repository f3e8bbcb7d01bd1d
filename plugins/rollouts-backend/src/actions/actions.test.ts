import {
  BackstageCredentials,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  CLUSTER,
  entities,
  fakeClusters,
  JORDAN,
  KENJI,
  policy,
} from '../__testUtils__/world';
import { rolloutsPlugin } from '../plugin';

async function start() {
  const clusters = fakeClusters();
  const actions = actionsRegistryServiceMock();
  await startTestBackend({
    features: [
      rolloutsPlugin,
      clusters.factory,
      policy.factory,
      catalogServiceMock.factory({ entities }),
      createServiceFactory({
        service: actionsRegistryServiceRef,
        deps: {},
        factory: () => actions,
      }),
    ],
  });
  const invoke = (
    id: string,
    credentials: BackstageCredentials,
    input: JsonObject,
  ) => actions.invoke({ id: `test:${id}`, input, credentials });
  return { actions, invoke, ...clusters };
}

const promote: JsonObject = {
  entityRef: 'component:default/video-consultation',
  cluster: CLUSTER,
  kind: 'Rollout',
  namespace: 'video-consultation',
  name: 'video-consultation',
  reason: 'clinical sign-off CHG-1042',
};

describe('rollouts actions', () => {
  it('registers status and waiting as reads, promote and abort as writes', async () => {
    const { actions } = await start();
    const { actions: list } = await actions.list();
    expect(
      list.map(a => [a.name, a.attributes.readOnly, a.attributes.destructive]),
    ).toEqual([
      ['status', true, false],
      ['waiting', true, false],
      ['promote', false, false],
      ['abort', false, true],
    ]);
  });

  it('status says where each release stands, in words', async () => {
    const { invoke } = await start();
    const { output } = (await invoke('status', mockCredentials.user(KENJI), {
      entityRef: 'component:default/video-consultation',
    })) as { output: any };
    const east = output.clusters.find((c: any) => c.cluster === CLUSTER);
    expect(east.rollouts[0]).toMatchObject({
      name: 'video-consultation',
      phase: 'Paused',
      step: '1/4',
      setWeight: 20,
      validActions: [
        'promote',
        'promote-full',
        'abort',
        'restart',
        'pause',
        'undo',
      ],
    });
  });

  it('waiting lists the fleet', async () => {
    const { invoke } = await start();
    const { output } = (await invoke('waiting', mockCredentials.user(KENJI), {
      state: 'aborted',
    })) as { output: any };
    expect(output.items.map((i: any) => i.name)).toEqual(['video-aborted']);
  });

  it('promote is refused without a user, refused for a non-owner, and done for an owner with the reason', async () => {
    const { invoke, patch } = await start();
    await expect(
      invoke('promote', mockCredentials.service('other-plugin'), promote),
    ).rejects.toThrow(/needs a signed-in user/);
    await expect(
      invoke('promote', mockCredentials.user(KENJI), promote),
    ).rejects.toThrow(/Not allowed: rollouts.rollout.promote/);
    expect(patch).not.toHaveBeenCalled();
    const { output } = (await invoke(
      'promote',
      mockCredentials.user(JORDAN),
      promote,
    )) as { output: any };
    expect(output).toEqual({ patches: 1, overridden: false, warnings: [] });
    expect(patch.mock.calls[0][0]).toMatchObject({
      subresource: 'status',
      patch: { status: { pauseConditions: null } },
      reason: 'rollouts promote: clinical sign-off CHG-1042',
    });
  });

  it('abort of an aborted rollout is refused with the reason', async () => {
    const { invoke } = await start();
    await expect(
      invoke('abort', mockCredentials.user(JORDAN), {
        ...promote,
        name: 'video-aborted',
      }),
    ).rejects.toThrow(/the rollout is already aborted/);
  });
});
