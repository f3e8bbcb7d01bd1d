import { InputError } from '@backstage/errors';
import { clustersRoutes as routes } from './routes';
import { parseInput } from './route';

/** The message of the InputError a refused value gets (fails the test if it is accepted). */
function refusal(schema: Parameters<typeof parseInput>[0], value: unknown) {
  try {
    parseInput(schema, value);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(value)}`);
}

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'video', labels: { app: 'web' } },
  spec: { replicas: 2 },
};
const apply = { entityRef: 'component:default/web', cluster: 'c1' };

describe('write bodies', () => {
  it('accepts an apply and keeps the fields of the manifest it does not know', () => {
    const body = parseInput(routes.apply.body, {
      ...apply,
      manifest: { ...deployment, extra: { a: 1 } },
      reason: 'scale',
    });
    expect(body.manifest).toEqual({ ...deployment, extra: { a: 1 } });
  });

  it.each([
    [{ ...apply }, /^manifest: Invalid input: expected object/],
    [
      { ...apply, manifest: { ...deployment, apiVersion: undefined } },
      /^manifest\.apiVersion: Invalid input: expected string, received undefined$/,
    ],
    [
      { ...apply, manifest: { ...deployment, kind: 3 } },
      /^manifest\.kind: Invalid input: expected string, received number$/,
    ],
    [
      { ...apply, manifest: { ...deployment, metadata: { name: '' } } },
      /^manifest\.metadata\.name: Too small/,
    ],
    [
      {
        ...apply,
        manifest: { ...deployment, metadata: { name: 'a', labels: { x: 1 } } },
      },
      /^manifest\.metadata\.labels\.x: Invalid input: expected string/,
    ],
    [
      { ...apply, manifest: deployment, reason: 'x'.repeat(1001) },
      /^reason: Too big: expected string to have <=1000 characters$/,
    ],
    [
      { entityRef: '', cluster: 'c1', manifest: deployment },
      /^entityRef: Too small/,
    ],
  ])('refuses a malformed apply, naming the field (%#)', (body, message) => {
    expect(refusal(routes.apply.body, body)).toMatch(message);
  });

  it('names every failing field of one body', () => {
    expect(refusal(routes.apply.body, {})).toMatch(
      /^entityRef: .*; cluster: .*; manifest: /,
    );
  });

  it('takes a merge patch as an object and a JSON patch as an array, nothing else', () => {
    const patch = { ...apply, kind: 'Deployment', name: 'web' };
    expect(
      parseInput(routes.patch.body, {
        ...patch,
        patchType: 'json',
        patch: [{ op: 'remove', path: '/spec/replicas' }],
      }).patch,
    ).toHaveLength(1);
    expect(
      refusal(routes.patch.body, { ...patch, patchType: 'merge', patch: 'x' }),
    ).toMatch(/^patch: Invalid input/);
    expect(
      refusal(routes.patch.body, {
        ...patch,
        patchType: 'strategic',
        patch: {},
      }),
    ).toMatch(/^patchType: Invalid option: expected one of "merge"\|"json"$/);
  });

  it('allows at most 20 policies with a new namespace', () => {
    const policy = {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'q' },
    };
    const body = (n: number) => ({ ...apply, policies: Array(n).fill(policy) });
    expect(
      parseInput(routes.createNamespace.body, body(20)).policies,
    ).toHaveLength(20);
    expect(refusal(routes.createNamespace.body, body(21))).toMatch(
      /^policies: Too big: expected array to have <=20 items$/,
    );
  });
});

describe('read bodies', () => {
  const kinds = (n: number) => Array.from({ length: n }, (_, i) => `K${i}`);

  it('asks for 1 to 30 kinds on at most 100 clusters', () => {
    const body = (k: number, c = 0) => ({
      entityRef: 'component:default/web',
      kinds: kinds(k),
      clusters: c ? kinds(c) : undefined,
    });
    expect(
      parseInput(routes.entityObjects.body, body(30, 100)).kinds,
    ).toHaveLength(30);
    expect(refusal(routes.entityObjects.body, body(0))).toMatch(
      /^kinds: Too small/,
    );
    expect(refusal(routes.entityObjects.body, body(31))).toMatch(
      /^kinds: Too big/,
    );
    expect(refusal(routes.entityObjects.body, body(1, 101))).toMatch(
      /^clusters: Too big/,
    );
  });

  it('a watch follows exactly one of an entity and a selector', () => {
    const selector = { labelSelector: 'app=web' };
    expect(
      parseInput(routes.putWatch.body, { selector, kinds: ['Pod'] }).selector,
    ).toEqual(selector);
    const message = /^body: Give exactly one of entityRef or selector$/;
    expect(refusal(routes.putWatch.body, { kinds: ['Pod'] })).toMatch(message);
    expect(
      refusal(routes.putWatch.body, {
        entityRef: 'component:default/web',
        selector,
        kinds: ['Pod'],
      }),
    ).toMatch(message);
  });

  it('a metrics query is 1 to 2,000 characters of PromQL once trimmed', () => {
    expect(
      parseInput(routes.queryMetrics.body, { query: '  up  ' }).query,
    ).toBe('up');
    expect(refusal(routes.queryMetrics.body, { query: '   ' })).toMatch(
      /^query: Too small/,
    );
    expect(
      refusal(routes.queryMetrics.body, { query: 'x'.repeat(2001) }),
    ).toMatch(/^query: Too big: expected string to have <=2000 characters$/);
    expect(
      refusal(routes.queryMetrics.body, {
        query: 'up',
        range: { start: '1', end: '2', stepSeconds: 0 },
      }),
    ).toMatch(/^range\.stepSeconds: Too small/);
  });
});

describe('query strings', () => {
  const logs = {
    entityRef: 'component:default/web',
    cluster: 'c1',
    namespace: 'video',
    pod: 'web-0',
  };

  it('turns the strings of a log query into a PodLogsRequest', () => {
    expect(
      parseInput(routes.podLogs.query, {
        ...logs,
        previous: 'true',
        follow: 'false',
        tailLines: '50',
      }),
    ).toEqual({ ...logs, previous: true, follow: false, tailLines: 50 });
    expect(parseInput(routes.podLogs.query, logs).previous).toBeUndefined();
  });

  it.each([
    [
      { previous: 'yes' },
      /^previous: Invalid option: expected one of "true"\|"false"$/,
    ],
    [{ tailLines: '0' }, /^tailLines: Too small/],
    [{ tailLines: '100001' }, /^tailLines: Too big/],
    [{ tailLines: 'many' }, /^tailLines: Invalid input: expected number/],
    [{ sinceSeconds: '1.5' }, /^sinceSeconds: Invalid input: expected int/],
    [{ pod: undefined }, /^pod: Invalid input: expected string/],
  ])('refuses a log query with %p', (extra, message) => {
    expect(refusal(routes.podLogs.query, { ...logs, ...extra })).toMatch(
      message,
    );
  });

  it('pages the audit log 1 to 1,000 records at a time', () => {
    expect(
      parseInput(routes.audit.query, { limit: '1000', format: 'csv' }),
    ).toEqual({ limit: 1000, format: 'csv' });
    expect(refusal(routes.audit.query, { limit: '1001' })).toMatch(
      /^limit: Too big/,
    );
    expect(refusal(routes.audit.query, { action: 'drop' })).toMatch(
      /^action: Invalid option/,
    );
    expect(refusal(routes.audit.query, { format: 'xml' })).toMatch(
      /^format: Invalid option/,
    );
  });

  it('reads the workloads clusters as a comma-separated list', () => {
    expect(
      parseInput(routes.entityWorkloads.query, { clusters: 'a, b,,c' }),
    ).toEqual({ clusters: ['a', 'b', 'c'] });
    expect(parseInput(routes.entityWorkloads.query, { clusters: '' })).toEqual({
      clusters: undefined,
    });
    expect(parseInput(routes.entityWorkloads.query, {})).toEqual({});
  });
});
