import { KubeConfig } from '@kubernetes/client-node';
import type { Scenario } from '../scenario';
import { RunningSimulator, startSimulator } from '../server';
import { kubeConfigFor } from './testUtils';

/**
 * Shared set-up of the conformance suite: a simulator on ephemeral ports with
 * the clock stopped (speed 0, fixed start time), so every answer depends only
 * on the requests and on explicit `advance()` calls, never on wall time.
 */

/** The world every conformance file starts from. */
export function conformanceScenario(): Scenario {
  return {
    seed: 7,
    startTime: '2026-03-01T09:00:00Z',
    clusters: [
      {
        name: 'alpha',
        addons: ['argo-rollouts'],
        podReadySeconds: 2,
        users: [
          {
            token: 'viewer-token',
            name: 'viewer',
            verbs: ['get', 'list', 'watch'],
          },
        ],
        nodes: [{ name: 'node-a' }, { name: 'node-b' }],
        apps: [{ name: 'web', replicas: 2 }],
      },
      { name: 'beta' },
    ],
  };
}

/** A started simulator plus request helpers. */
export interface Harness {
  sim: RunningSimulator;
  /** KubeConfig for cluster alpha (admin token unless another is given). */
  kc(token?: string): KubeConfig;
  /** A raw HTTP request to cluster alpha; `token: null` sends no credentials. */
  raw(
    method: string,
    path: string,
    opts?: {
      token?: string | null;
      body?: unknown;
      contentType?: string;
      cluster?: number;
    },
  ): Promise<{ status: number; headers: Headers; text: string; json: any }>;
}

/** Starts the conformance simulator (call in beforeAll; stop in afterAll). */
export async function startHarness(): Promise<Harness> {
  const sim = await startSimulator({
    scenario: conformanceScenario(),
    ports: 'ephemeral',
    speed: 0,
    bookmarkIntervalMs: 3_600_000,
  });
  sim.advance(30);
  return {
    sim,
    kc: token => kubeConfigFor(sim.clusters[0], token),
    raw: async (method, path, opts = {}) => {
      const endpoint = sim.clusters[opts.cluster ?? 0];
      const token = opts.token === undefined ? endpoint.token : opts.token;
      const headers: Record<string, string> = {};
      if (token !== null) headers.authorization = `Bearer ${token}`;
      if (opts.body !== undefined)
        headers['content-type'] = opts.contentType ?? 'application/json';
      const res = await fetch(`${endpoint.url}${path}`, {
        method,
        headers,
        body:
          opts.body === undefined
            ? undefined
            : typeof opts.body === 'string'
            ? opts.body
            : JSON.stringify(opts.body),
      });
      const text = await res.text();
      let json: any;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, headers: res.headers, text, json };
    },
  };
}

/** Runs a client-node call and returns the HTTP code and body of its failure. */
export async function failureOf(
  p: Promise<unknown>,
): Promise<{ code: number; body: any } | undefined> {
  try {
    await p;
    return undefined;
  } catch (e: any) {
    let body = e.body;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        // plain text stays a string
      }
    }
    return { code: e.code, body };
  }
}
