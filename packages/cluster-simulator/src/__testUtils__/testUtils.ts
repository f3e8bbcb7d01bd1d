import { KubeConfig } from '@kubernetes/client-node';
import type { Scenario } from '../scenario';

/** A KubeConfig for one simulated cluster endpoint (tests only). */
export function kubeConfigFor(
  endpoint: { name: string; url: string; token: string },
  token = endpoint.token,
): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      { name: endpoint.name, server: endpoint.url, skipTLSVerify: true },
    ],
    users: [{ name: 'tester', token }],
    contexts: [{ name: endpoint.name, cluster: endpoint.name, user: 'tester' }],
    currentContext: endpoint.name,
  });
  return kc;
}

/** Waits until `check` returns a truthy value (polling, no timing assertions). */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  what: string,
  tries = 200,
): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await check();
    if (v) return v;
    await new Promise(r => setTimeout(r, 25));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** A small two-cluster scenario used across tests. */
export function testScenario(): Scenario {
  return {
    seed: 11,
    startTime: '2026-03-01T09:00:00Z',
    clusters: [
      {
        name: 'alpha',
        addons: ['argo-rollouts', 'kueue', 'kubeflow-trainer'],
        podReadySeconds: 2,
        users: [
          {
            token: 'viewer-token',
            name: 'viewer',
            verbs: ['get', 'list', 'watch'],
          },
        ],
        nodes: [
          { name: 'cpu-1' },
          { name: 'cpu-2' },
          { name: 'gpu-1', gpus: 4 },
        ],
        apps: [{ name: 'web', replicas: 2, dataClassification: 'phi' }],
      },
      { name: 'beta' },
    ],
  };
}
