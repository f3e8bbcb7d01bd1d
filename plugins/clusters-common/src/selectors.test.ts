import {
  matchesLabelSelector,
  parseLabelSelector,
  selectorForEntity,
} from './selectors';
import { summarizePod } from './summaries';
import { clustersPermissions } from './permissions';

describe('parseLabelSelector', () => {
  it('parses every operator', () => {
    expect(
      parseLabelSelector(
        'app=web,tier!=db,env in (prod, staging),zone notin (a),canary,!legacy',
      ),
    ).toEqual([
      { key: 'app', op: '=', value: 'web' },
      { key: 'tier', op: '!=', value: 'db' },
      { key: 'env', op: 'in', values: ['prod', 'staging'] },
      { key: 'zone', op: 'notin', values: ['a'] },
      { key: 'canary', op: 'exists' },
      { key: 'legacy', op: '!exists' },
    ]);
  });

  it('rejects malformed selectors', () => {
    expect(() => parseLabelSelector('app=we b')).toThrow(/Invalid label/);
    expect(() => parseLabelSelector('a in b')).toThrow(/Invalid/);
  });

  it('matches labels', () => {
    const req = parseLabelSelector('app=web,env in (prod),!legacy');
    expect(matchesLabelSelector(req, { app: 'web', env: 'prod' })).toBe(true);
    expect(matchesLabelSelector(req, { app: 'web', env: 'dev' })).toBe(false);
    expect(
      matchesLabelSelector(req, { app: 'web', env: 'prod', legacy: '' }),
    ).toBe(false);
    expect(matchesLabelSelector([], undefined)).toBe(true);
  });
});

describe('selectorForEntity', () => {
  it('prefers the label-selector annotation and keeps the namespace', () => {
    expect(
      selectorForEntity({
        metadata: {
          annotations: {
            'backstage.io/kubernetes-id': 'x',
            'backstage.io/kubernetes-label-selector': 'app=y',
            'backstage.io/kubernetes-namespace': 'ns',
          },
        },
      }),
    ).toEqual({ labelSelector: 'app=y', namespace: 'ns' });
  });

  it('derives the selector from kubernetes-id', () => {
    expect(
      selectorForEntity({
        metadata: { annotations: { 'backstage.io/kubernetes-id': 'x' } },
      }),
    ).toEqual({
      labelSelector: 'backstage.io/kubernetes-id=x',
      namespace: undefined,
    });
  });

  it('returns undefined without annotations', () => {
    expect(selectorForEntity({ metadata: {} })).toBeUndefined();
  });
});

describe('summarizePod', () => {
  it('reports restarts and reasons', () => {
    const summary = summarizePod({
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
      },
      spec: { containers: [{ name: 'a' }, { name: 'b' }], nodeName: 'n1' },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'False' }],
        containerStatuses: [
          { name: 'a', ready: true, restartCount: 0, state: { running: {} } },
          {
            name: 'b',
            ready: false,
            restartCount: 4,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { reason: 'OOMKilled' } },
          },
        ],
      },
    });
    expect(summary).toEqual({
      phase: 'Running',
      ready: false,
      readyContainers: 1,
      totalContainers: 2,
      restarts: 4,
      reasons: ['CrashLoopBackOff', 'OOMKilled'],
      nodeName: 'n1',
      startedAt: undefined,
      owner: { kind: 'ReplicaSet', name: 'rs' },
    });
  });
});

describe('clustersPermissions', () => {
  it('scopes entity actions to catalog entities', () => {
    const byName = Object.fromEntries(
      clustersPermissions.map(p => [p.name, p]),
    );
    for (const name of [
      'clusters.resource.read',
      'clusters.resource.apply',
      'clusters.resource.patch',
      'clusters.resource.delete',
      'clusters.pod.logs',
    ]) {
      expect(byName[name]).toMatchObject({
        type: 'resource',
        resourceType: 'catalog-entity',
      });
    }
    expect(byName['clusters.audit.read']).toMatchObject({ type: 'basic' });
    expect(byName['clusters.cluster.read']).toMatchObject({
      type: 'basic',
      attributes: { action: 'read' },
    });
  });
});
