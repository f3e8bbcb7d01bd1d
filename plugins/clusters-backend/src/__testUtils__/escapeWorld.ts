/*
 * The world of the escape suites (escape*.simulator.test.ts): the simulated demo clusters, a
 * backend in front of them, and the calls a hostile service owner makes, each recorded so that
 * no canary value leaves the backend unnoticed.
 */
import { mockServices } from '@backstage/backend-test-utils';
import {
  startSimulator,
  type RunningSimulator,
} from '@careplane/cluster-simulator';
import request from 'supertest';
import {
  as,
  DEMO_SCENARIO,
  ID,
  JORDAN,
  PRIYA,
  startDemoBackend,
} from './demoWorld';

export const VIDEO = 'component:default/video-consultation';
export const TRAINING = 'component:default/triage-model-training';
export const LEGACY = 'legacy-onprem';
export const EAST = 'cloud-east';
export const WEST = 'cloud-west';
export const GPU = 'gpu-research';
export const CANARIES = [
  'CANARY-SECRET-VALUE-',
  'CANARY-CONFIGMAP-VALUE-',
  'CANARY-ENV-VALUE-',
  'ESCAPE-CANARY-',
];

export let sim: RunningSimulator;
export let backend: Awaited<ReturnType<typeof startDemoBackend>>;
export const seen: string[] = [];
const restore: Array<() => void> = [];

/** Everything the backend process writes to stdout / stderr (its log lines) is checked too. */
function captureOutput() {
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    (stream as any).write = (chunk: any, ...rest: any[]) => {
      seen.push(String(chunk));
      return original(chunk, ...rest);
    };
    restore.push(() => {
      (stream as any).write = original;
    });
  }
}

export function startBackend(extra: object = {}) {
  return startDemoBackend(sim, {
    features: [mockServices.rootLogger.factory({ level: 'debug' })],
    clusters: {
      retry: { maxRetries: 1, baseDelay: '1ms', maxDelay: '1s' },
      rateLimit: { writesPerMinute: 1000, logReadsPerMinute: 1000 },
      ...extra,
    },
  });
}

/**
 * One simulator and one backend for the whole test file (beforeAll); afterAll checks every body,
 * stream chunk and log line of the file for canary values.
 */
export function useEscapeWorld() {
  beforeAll(async () => {
    captureOutput();
    sim = await startSimulator({
      scenarioFile: DEMO_SCENARIO,
      ports: 'ephemeral',
      speed: 0,
    });
    backend = await startBackend();
  });

  afterAll(async () => {
    await backend?.stop();
    await sim?.stop();
    restore.forEach(r => r());
    const all = seen.join('\n');
    const leaked = CANARIES.filter(c => all.includes(c));
    if (leaked.length) {
      throw new Error(`canary strings left the backend: ${leaked.join(', ')}`);
    }
  });
}

export async function call(
  method: 'get' | 'post' | 'put',
  path: string,
  user: string,
  body?: object,
) {
  let req = request(backend.server)
    [method](`/api/clusters/v1${path}`)
    .set(as(user));
  if (body) req = req.send(body);
  const res = await req;
  seen.push(res.text);
  return res;
}
export const post = (path: string, body: object, user = JORDAN) =>
  call('post', path, user, body);

/** The newest audit record of `user`, as an admin reads it. */
export async function lastAudit(user: string) {
  const res = await call(
    'get',
    `/audit?actor=${encodeURIComponent(user)}&limit=1`,
    PRIYA,
  );
  expect(res.status).toBe(200);
  return res.body.items[0];
}

/** A refusal: the status, a message that says why, and a `denied` audit record saying the same. */
export async function expectRefused(
  res: request.Response,
  status: number,
  message: RegExp,
  user = JORDAN,
) {
  expect({ status: res.status, message: res.body?.error?.message }).toEqual({
    status,
    message: expect.stringMatching(message),
  });
  const record = await lastAudit(user);
  expect(record).toMatchObject({ actor: user, outcome: 'denied' });
  expect(record.error).toMatch(message);
}

export const deployment = (
  namespace: string,
  id: string,
  name = `${id}-x`,
  extra: object = {},
) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace, labels: { [ID]: id } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { [ID]: id } },
    template: {
      metadata: { labels: { [ID]: id } },
      spec: { containers: [{ name: 'app', image: 'app:1', ...extra }] },
    },
  },
});

export const hostPathPod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'node-shell',
    namespace: 'kube-system',
    labels: { [ID]: 'video-consultation' },
  },
  spec: {
    containers: [
      {
        name: 'shell',
        image: 'busybox',
        securityContext: { privileged: true },
        volumeMounts: [{ name: 'host', mountPath: '/host' }],
      },
    ],
    volumes: [{ name: 'host', hostPath: { path: '/' } }],
  },
};

export const clusterQueue = {
  apiVersion: 'kueue.x-k8s.io/v1beta2',
  kind: 'ClusterQueue',
  metadata: { name: 'all-the-gpus', labels: { [ID]: 'video-consultation' } },
  spec: {
    namespaceSelector: {},
    resourceGroups: [
      {
        coveredResources: ['nvidia.com/gpu'],
        flavors: [
          {
            name: 'a100',
            resources: [{ name: 'nvidia.com/gpu', nominalQuota: 1000 }],
          },
        ],
      },
    ],
  },
};

export const namespaceManifest = (name: string, id: string) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels: { [ID]: id } },
});

export const secret = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: {
    name: 'mine',
    namespace: 'video-consultation',
    labels: { [ID]: 'video-consultation' },
  },
  stringData: { token: 'ESCAPE-CANARY-SECRET' },
};

export const apply = (
  cluster: string,
  manifest: object,
  extra: object = {},
) => ({
  entityRef: VIDEO,
  cluster,
  manifest,
  reason: 'escape test',
  ...extra,
});

export const patchOwnDeployment = (patchType: string, patch: unknown) => ({
  entityRef: VIDEO,
  cluster: LEGACY,
  kind: 'Deployment',
  namespace: 'video-consultation',
  name: 'video-consultation',
  patchType,
  patch,
  reason: 'escape test',
});
