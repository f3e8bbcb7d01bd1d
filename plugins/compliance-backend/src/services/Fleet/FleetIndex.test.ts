import type { ObjectEnvelope } from '@careplane/plugin-clusters-common';
import {
  builtInChecks,
  DEFAULT_CHECK_OPTIONS,
  policyToCheckMap,
} from '@careplane/plugin-compliance-common';
import {
  evaluateFleet,
  evaluateFleetEntity,
  CheckSet,
} from '../Evaluation/evaluateFleet';
import { FleetEntity, FleetIndex } from './FleetIndex';

const set: CheckSet = {
  checks: builtInChecks,
  policyToCheck: policyToCheckMap(builtInChecks),
  options: DEFAULT_CHECK_OPTIONS,
};
const NOW = Date.parse('2026-11-30T00:00:00Z');

/** A small seeded PRNG (mulberry32), so a failing seed can be replayed. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const IDS = ['a', 'b', 'c', 'd', 'e'];
const CLUSTERS = ['c1', 'c2'];
const NAMESPACES = ['n1', 'n2', 'n3'];

function entity(id: string, generic = false): FleetEntity {
  return {
    facts: {
      entityRef: `component:default/${id}`,
      kind: 'Component',
      owner: 'group:default/t',
      lifecycle: id === 'a' ? 'production' : 'experimental',
      annotations: {
        'backstage.io/kubernetes-id': id,
        'careplane.io/data-classification': id < 'c' ? 'phi' : 'internal',
      },
    },
    phi: id < 'c',
    labelSelector: generic
      ? `team in (x),tier=${id}`
      : `backstage.io/kubernetes-id=${id}`,
    namespace: generic ? 'n2' : undefined,
  };
}

function randomObject(r: () => number, n: number): ObjectEnvelope {
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const cluster = pick(CLUSTERS);
  const namespace = pick(NAMESPACES);
  const kind = pick([
    'Deployment',
    'Deployment',
    'Deployment',
    'StatefulSet',
    'NetworkPolicy',
    'PodDisruptionBudget',
    'Role',
    'Namespace',
    'ServiceAccount',
    'Service',
    'PolicyReport',
  ]);
  const name = `o${n % 12}`;
  const labels: Record<string, string> =
    r() < 0.8
      ? { 'backstage.io/kubernetes-id': pick(IDS), app: name }
      : { app: name };
  if (r() < 0.3) Object.assign(labels, { team: 'x', tier: pick(IDS) });
  const metadata = {
    name: kind === 'Namespace' ? namespace : name,
    namespace: kind === 'Namespace' ? undefined : namespace,
    labels,
  };
  let object: any;
  switch (kind) {
    case 'Deployment':
    case 'StatefulSet':
      object = {
        metadata,
        spec: {
          replicas: pick([1, 2, 3]),
          template: {
            metadata: { labels },
            spec: {
              serviceAccountName: pick([undefined, name]),
              automountServiceAccountToken: pick([undefined, false]),
              securityContext: pick([
                {},
                {
                  runAsNonRoot: true,
                  seccompProfile: { type: 'RuntimeDefault' },
                },
              ]),
              containers: [
                {
                  name,
                  image: pick(['r.example/x:latest', 'r.example/x:1.0', 'x']),
                  securityContext: pick([
                    {},
                    { allowPrivilegeEscalation: false, privileged: r() < 0.1 },
                  ]),
                },
              ],
            },
          },
          ...(kind === 'StatefulSet' && r() < 0.5
            ? { volumeClaimTemplates: [{ metadata: { name: 'data' } }] }
            : {}),
        },
      };
      break;
    case 'NetworkPolicy':
      object = {
        metadata,
        spec: {
          podSelector: pick([{}, { matchLabels: { app: name } }]),
          policyTypes: pick([['Ingress'], ['Ingress', 'Egress']]),
        },
      };
      break;
    case 'PodDisruptionBudget':
      object = {
        metadata,
        spec: {
          maxUnavailable: pick([0, 1]),
          selector: { matchLabels: { app: pick(['o1', 'o2', name]) } },
        },
      };
      break;
    case 'Role':
      object = {
        metadata,
        rules: [
          {
            resources: pick([['pods/exec'], ['configmaps'], ['secrets']]),
            verbs: ['get', 'create'],
          },
        ],
      };
      break;
    case 'Namespace':
      object = {
        metadata: {
          ...metadata,
          labels:
            r() < 0.5
              ? {
                  'pod-security.kubernetes.io/enforce': pick([
                    'baseline',
                    'restricted',
                  ]),
                }
              : {},
        },
      };
      break;
    case 'PolicyReport':
      object = {
        metadata,
        results: [
          {
            policy: pick(['require-run-as-nonroot', 'custom']),
            result: pick(['pass', 'fail']),
            resources: [
              { kind: 'Deployment', name: pick(['o1', 'o2', 'o3']), namespace },
            ],
          },
        ],
      };
      break;
    default:
      object = {
        metadata,
        spec: { selector: { app: name } },
        automountServiceAccountToken: pick([undefined, false]),
      };
  }
  return {
    cluster,
    kind,
    namespace: metadata.namespace,
    name: metadata.name,
    object,
  };
}

const key = (o: ObjectEnvelope) =>
  `${o.cluster}/${o.kind}/${o.namespace ?? ''}/${o.name}`;

describe('FleetIndex', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'incremental and full evaluation agree on a randomised fleet (seed %i)',
    seed => {
      const r = rng(seed);
      const live = new FleetIndex();
      const truth = new Map<string, ObjectEnvelope>();
      const entities = new Map<string, FleetEntity>();
      const results = new Map<string, unknown>();
      const reevaluate = (refs: string[]) => {
        for (const ref of refs) {
          if (live.hasEntity(ref))
            results.set(ref, evaluateFleetEntity(live, ref, set, NOW));
          else results.delete(ref);
        }
      };
      for (const id of IDS.slice(0, 4)) {
        const e = entity(id, id === 'd');
        entities.set(e.facts.entityRef, e);
        reevaluate(live.setEntity(e));
      }
      for (let step = 0; step < 400; step++) {
        const roll = r();
        if (roll < 0.6) {
          const o = randomObject(r, step);
          truth.set(key(o), o);
          reevaluate(live.upsert(o));
        } else if (roll < 0.9 && truth.size > 0) {
          const victim = [...truth.values()][Math.floor(r() * truth.size)];
          truth.delete(key(victim));
          reevaluate(live.remove(victim));
        } else if (roll < 0.95) {
          const e = entity(IDS[Math.floor(r() * IDS.length)], r() < 0.3);
          entities.set(e.facts.entityRef, e);
          reevaluate(live.setEntity(e));
        } else {
          const ref = [...entities.keys()][Math.floor(r() * entities.size)];
          if (ref) {
            entities.delete(ref);
            reevaluate([...live.removeEntity(ref), ref]);
          }
        }
      }
      const fresh = new FleetIndex();
      for (const e of entities.values()) fresh.setEntity(e);
      for (const o of truth.values()) fresh.upsert(o);
      const full = evaluateFleet(fresh, set, NOW);
      expect(live.objectCount()).toBe(truth.size);
      expect(new Map([...results].sort())).toEqual(new Map([...full].sort()));
    },
  );

  it('answers only the entities a change affects', () => {
    const index = new FleetIndex();
    index.setEntity(entity('a'));
    index.setEntity(entity('b'));
    const dep = (id: string, ns: string): ObjectEnvelope => ({
      cluster: 'c1',
      kind: 'Deployment',
      namespace: ns,
      name: id,
      object: {
        metadata: {
          name: id,
          namespace: ns,
          labels: { 'backstage.io/kubernetes-id': id },
        },
        spec: { template: { spec: { containers: [] } } },
      },
    });
    expect(index.upsert(dep('a', 'n1'))).toEqual(['component:default/a']);
    expect(index.upsert(dep('b', 'n2'))).toEqual(['component:default/b']);
    const np: ObjectEnvelope = {
      cluster: 'c1',
      kind: 'NetworkPolicy',
      namespace: 'n2',
      name: 'deny',
      object: { metadata: { name: 'deny', namespace: 'n2' } },
    };
    expect(index.upsert(np)).toEqual(['component:default/b']);
    expect(
      index.upsert({
        ...np,
        namespace: 'n9',
        object: { metadata: { name: 'deny', namespace: 'n9' } },
      }),
    ).toEqual([]);
    // pods owned by a controller are evaluated through it
    expect(
      index.upsert({
        cluster: 'c1',
        kind: 'Pod',
        namespace: 'n1',
        name: 'p',
        object: {
          metadata: {
            name: 'p',
            ownerReferences: [
              {
                apiVersion: 'apps/v1',
                kind: 'ReplicaSet',
                name: 'rs',
                uid: '1',
                controller: true,
              },
            ],
            labels: { 'backstage.io/kubernetes-id': 'a' },
          },
        },
      }),
    ).toEqual([]);
    expect(index.remove(dep('a', 'n1'))).toEqual(['component:default/a']);
  });
});
