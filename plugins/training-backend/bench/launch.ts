/*
 * Launch to "queued" against the simulator: the whole backend (the real hub on the demo world,
 * the training plugin) in this process, people's requests over HTTP. Measures POST /v1/runs (the
 * answer carries the first state, which is what the form shows) and, separately, until
 * GET /v1/runs/:id reads the state from the hub's cache. BENCH_LAUNCHES (default 20).
 */
import {
  coreServices,
  createServiceFactory,
  PermissionsServiceRequestOptions,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizePermissionRequest,
  AuthorizeResult,
} from '@backstage/plugin-permission-common';
import { startSimulator } from '@careplane/cluster-simulator';
import clustersPlugin from '@careplane/plugin-clusters-backend';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  entities,
  launchBody,
  LI,
  ownersOf,
  trainingConfig,
} from '../src/__testUtils__/world';
import { clustersModuleTrainingKinds } from '../src/modules/kindsModule';
import { trainingPlugin } from '../src/plugin';

const LAUNCHES = Number(process.env.BENCH_LAUNCHES ?? 20);

const permissions = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: () => ({
    async authorize(
      requests: AuthorizePermissionRequest[],
      options?: PermissionsServiceRequestOptions,
    ) {
      const principal = options?.credentials.principal as {
        userEntityRef?: string;
      };
      const user = principal?.userEntityRef ?? '';
      return requests.map(r => ({
        result:
          r.permission.attributes.action === 'read' ||
          ('resourceRef' in r &&
            r.resourceRef &&
            ownersOf(r.resourceRef).includes(user))
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      })) as Array<{ result: AuthorizeResult.ALLOW | AuthorizeResult.DENY }>;
    },
    async authorizeConditional() {
      throw new Error('not used');
    },
  }),
});

function pct(sorted: number[], p: number) {
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

/** Runs the launch measurement and prints it. */
export async function benchLaunch() {
  const sim = await startSimulator({
    scenarioFile: join(
      dirname(require.resolve('@careplane/cluster-simulator/package.json')),
      'scenarios/demo.yaml',
    ),
    ports: 'ephemeral',
    speed: 1,
  });
  const backend = await startTestBackend({
    features: [
      clustersPlugin,
      clustersModuleTrainingKinds,
      trainingPlugin,
      permissions,
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({
        data: {
          clusters: {
            locations: sim.clusters.map(c => ({
              name: c.name,
              url: c.url,
              auth: { type: 'serviceAccountToken', token: c.token },
              labels:
                c.name === 'gpu-research'
                  ? { gpu: 'nvidia-a100-80gb' }
                  : { gpu: 'none' },
            })),
          },
          training: {
            ...trainingConfig,
            gpuTypes: trainingConfig.gpuTypes.map(t => ({
              ...t,
              maxPerRun: 1,
            })),
          },
        },
      }),
    ],
  });
  const { port } = backend.server.address() as { port: number };
  const base = `http://localhost:${port}/api/training/v1`;
  const headers = {
    Authorization: mockCredentials.user.header(LI),
    'Content-Type': 'application/json',
  };
  const answer: number[] = [];
  const cached: number[] = [];
  // warm-up: informers start on first use
  await fetch(`${base}/runs`, {
    method: 'POST',
    headers,
    body: JSON.stringify(
      launchBody({
        idempotencyKey: 'bench-warm-up',
        name: 'warm',
        gpu: { type: 'nvidia-a100-80gb', count: 1 },
      }),
    ),
  });
  for (let i = 0; i < LAUNCHES; i++) {
    const t0 = performance.now();
    const res = await fetch(`${base}/runs`, {
      method: 'POST',
      headers,
      body: JSON.stringify(
        launchBody({
          idempotencyKey: `bench-launch-${i}`,
          name: `bench-${i}`,
          gpu: { type: 'nvidia-a100-80gb', count: 1 },
        }),
      ),
    });
    const body = await res.json();
    answer.push(performance.now() - t0);
    if (res.status !== 201) throw new Error(JSON.stringify(body));
    for (;;) {
      const run = await (
        await fetch(`${base}/runs/${body.run.id}`, { headers })
      ).json();
      // Kueue's own word (a reason from its Workload), read from the hub's cache
      if (
        run.state.phase !== 'submitted' &&
        run.state.reason !== 'WaitingForWorkload'
      )
        break;
      await new Promise(r => setTimeout(r, 20));
    }
    cached.push(performance.now() - t0);
  }
  answer.sort((a, b) => a - b);
  cached.sort((a, b) => a - b);
  console.log(
    `\nLaunch on the simulator's gpu-research, ${LAUNCHES} launches (p50 / p95):`,
  );
  console.log(
    `  POST /v1/runs answered (state queued)           ${pct(
      answer,
      50,
    ).toFixed(0)} / ${pct(answer, 95).toFixed(0)} ms`,
  );
  console.log(
    `  Kueue's state (Workload) read from the cache    ${pct(
      cached,
      50,
    ).toFixed(0)} / ${pct(cached, 95).toFixed(0)} ms`,
  );
  await backend.stop();
  await sim.stop();
}
