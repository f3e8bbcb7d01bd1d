/*
 * The whole plugin against fake API servers (msw), continued: the probe and the informer
 * sweeper run on the plugin's scheduler.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { clustersWhen, startBackend } from './__testUtils__/pluginWorld';

describe('clusters plugin probe schedule', () => {
  it('probes again every probe.interval: a cluster that comes back is reported', async () => {
    const backend = await startBackend({ probeInterval: '1s' });
    try {
      const first = await clustersWhen(backend, items => items[1].health.error);
      expect(first[1].health.status).toBe('unavailable');
      backend.c2.hang = false;
      const [, c2] = await clustersWhen(
        backend,
        items => items[1].health.status === 'healthy',
        400,
      );
      expect(c2.version.gitVersion).toBe('v1.30.2');
      expect(c2.health.error).toBeUndefined();
      expect(c2.kinds.find((k: any) => k.kind === 'Rollout').status).toBe(
        'not-installed',
      );
      expect(backend.c2.lists()).toHaveLength(0);
      expect(backend.c2.watches()).toHaveLength(0);
    } finally {
      backend.c2.hang = false;
      await backend.stop();
    }
  });

  it('runs the probe and the idle sweeper as local scheduler tasks, stopped on shutdown', async () => {
    const scheduler = mockServices.scheduler.mock();
    const backend = await startBackend({
      probeInterval: '30s',
      scheduler: scheduler.factory,
    });
    backend.c2.hang = false;
    const tasks = scheduler.scheduleTask.mock.calls.map(([task]) => task);
    expect(
      tasks.map(t => [t.id, t.scope, t.frequency, t.initialDelay]),
    ).toEqual([
      ['clusters-probe', 'local', { milliseconds: 30_000 }, undefined],
      [
        'clusters-informer-sweep',
        'local',
        { milliseconds: 60_000 },
        { milliseconds: 60_000 },
      ],
    ]);
    expect(tasks.map(t => t.signal?.aborted)).toEqual([false, false]);
    await backend.stop();
    expect(tasks.map(t => t.signal?.aborted)).toEqual([true, true]);
  });
});
