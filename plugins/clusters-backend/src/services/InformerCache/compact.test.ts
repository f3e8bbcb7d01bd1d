import type { KubeObject } from '@careplane/plugin-clusters-common';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compactObject, DROPPED_FIELDS } from './compact';

const pod = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    generateName: 'web-7d9f-',
    namespace: 'team-1',
    uid: `uid-${name}`,
    resourceVersion: '42',
    labels: { app: 'web', 'backstage.io/kubernetes-id': 'web' },
    annotations: { 'prometheus.io/scrape': 'true' },
    ownerReferences: [
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: 'web-7d9f',
        uid: 'rs',
      },
    ],
  },
  spec: {
    nodeName: 'node-1',
    securityContext: { runAsNonRoot: true },
    containers: [
      {
        name: 'web',
        image: 'registry.example/web:1',
        securityContext: { runAsUser: 0, allowPrivilegeEscalation: true },
        resources: { requests: { cpu: '250m' } },
      },
    ],
  },
  status: {
    phase: 'Running',
    hostIP: '10.0.0.1',
    hostIPs: [{ ip: '10.0.0.1' }],
    podIP: '10.244.0.5',
    podIPs: [{ ip: '10.244.0.5' }],
    conditions: [
      {
        type: 'Ready',
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: '2026-01-01T00:00:00Z',
      },
    ],
    containerStatuses: [
      {
        name: 'web',
        image: 'registry.example/web:1',
        imageID: 'registry.example/web@sha256:abc',
        containerID: 'containerd://abc',
        ready: true,
        restartCount: 2,
        state: { running: { startedAt: '2026-01-01T00:00:00Z' } },
        lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } },
      },
    ],
  },
});

/** The pod above as the cache keeps it: without the dropped fields, everything else equal. */
const kept = (name: string) => {
  const p = JSON.parse(JSON.stringify(pod(name)));
  delete p.metadata.generateName;
  delete p.status.hostIPs;
  delete p.status.podIPs;
  delete p.status.conditions[0].lastProbeTime;
  delete p.status.containerStatuses[0].imageID;
  delete p.status.containerStatuses[0].containerID;
  return p;
};

describe('compactObject (the informer transform)', () => {
  it('keeps every field but the dropped ones, JSON-equal', () => {
    expect(compactObject(pod('web-1'))).toEqual(kept('web-1'));
    expect(JSON.stringify(compactObject(pod('web-1')))).toBe(
      JSON.stringify(kept('web-1')),
    );
  });

  it('keeps what the feature plugins read on every kind: strategy, conditions, annotations, security contexts', () => {
    const rollout: KubeObject = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: {
        name: 'web',
        generateName: 'x-',
        annotations: { 'rollout.argoproj.io/revision': '3' },
      },
      spec: {
        strategy: {
          canary: { steps: [{ setWeight: 20 }, { pause: { duration: '1m' } }] },
        },
        template: {
          spec: { containers: [{ name: 'web', securityContext: {} }] },
        },
      },
      status: {
        phase: 'Paused',
        conditions: [
          { type: 'Progressing', status: 'True', reason: 'RolloutPaused' },
        ],
        // only pods lose their container ids: other kinds keep whatever they have
        containerStatuses: [{ containerID: 'kept' }],
      },
    };
    const expected = JSON.parse(JSON.stringify(rollout));
    delete expected.metadata.generateName;
    expect(compactObject(rollout)).toEqual(expected);
  });

  it('shares strings between objects, but not their unique values', () => {
    const a = compactObject(pod('web-1'));
    const b = compactObject(pod('web-2'));
    const image = (o: KubeObject) =>
      (o.spec as { containers: Array<{ image: string }> }).containers[0].image;
    expect(a.metadata.name).toBe('web-1');
    expect(b.metadata.name).toBe('web-2');
    expect(image(b)).toBe(image(a));
    expect(b.metadata.labels).toEqual(a.metadata.labels);
    expect(b.metadata.labels).not.toBe(a.metadata.labels); // separate objects
  });

  it('drops no field that any Careplane reader names (the feature plugins, the hub, the frontends)', () => {
    // every plugin's source, tests and the transform itself aside
    const plugins = resolve(__dirname, '../../../..');
    const sources: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        if (['node_modules', 'dist', '__testUtils__'].includes(entry)) continue;
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) walk(path);
        else if (
          /\.tsx?$/.test(entry) &&
          !/\.test\.tsx?$/.test(entry) &&
          !/testFixtures/.test(entry) &&
          path !== join(__dirname, 'compact.ts')
        ) {
          sources.push(path);
        }
      }
    };
    for (const plugin of readdirSync(plugins)) {
      const src = join(plugins, plugin, 'src');
      if (statSync(join(plugins, plugin)).isDirectory()) {
        try {
          statSync(src);
        } catch {
          continue;
        }
        walk(src);
      }
    }
    expect(sources.length).toBeGreaterThan(100);
    const fields = [
      'generateName',
      'lastProbeTime',
      'hostIPs',
      'podIPs',
      'imageID',
      'containerID',
    ];
    // the documented list names exactly these
    for (const f of fields) {
      expect(DROPPED_FIELDS.some(d => d.includes(f))).toBe(true);
    }
    const readers = sources.flatMap(path => {
      const text = readFileSync(path, 'utf8');
      return fields
        .filter(f => new RegExp(`\\b${f}\\b`).test(text))
        .map(f => `${path}: ${f}`);
    });
    expect(readers).toEqual([]);
  });
});
