import type { KubeObject } from '@careplane/plugin-clusters-common';
import { stripObject } from './strip';

/** A value that must never survive stripping. */
const CANARY = 'CANARY-do-not-leak-7f3a';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

const literal = (name: string) => ({ name, value: CANARY });
const fromSecret = (name: string) => ({
  name,
  valueFrom: { secretKeyRef: { name: 'db', key: 'password' } },
});
const redacted = (name: string) => ({ name, valueRedacted: true });

/** A pod spec with a literal env value in a container and an init container. */
const podSpec = () => ({
  initContainers: [{ name: 'migrate', image: 'm:1', env: [literal('DB_URL')] }],
  containers: [
    {
      name: 'app',
      image: 'a:1',
      env: [literal('API_KEY'), fromSecret('DB_PASSWORD'), { name: 'EMPTY' }],
    },
  ],
});

/** The pod spec above as stripping must leave it. */
const redactedPodSpec = () => ({
  initContainers: [
    { name: 'migrate', image: 'm:1', env: [redacted('DB_URL')] },
  ],
  containers: [
    {
      name: 'app',
      image: 'a:1',
      env: [redacted('API_KEY'), fromSecret('DB_PASSWORD'), { name: 'EMPTY' }],
    },
  ],
});

/** Every case: strip, check the canary is gone from the whole result, and return it. */
function strip(obj: Record<string, unknown>, requestedKind: string) {
  const result = stripObject(obj as KubeObject, requestedKind);
  expect(JSON.stringify(result)).not.toContain(CANARY);
  return result as Record<string, any>;
}

describe('stripObject', () => {
  describe('Secrets', () => {
    it('strips a kind-less list item requested as Secret', () => {
      expect(
        strip(
          {
            metadata: { name: 'db', namespace: 'ns' },
            type: 'Opaque',
            data: { password: CANARY, user: 'dXNlcg==' },
            stringData: { token: CANARY },
          },
          'Secret',
        ),
      ).toEqual({
        metadata: { name: 'db', namespace: 'ns' },
        type: 'Opaque',
        dataKeys: ['password', 'token', 'user'],
      });
    });

    it('strips an object requested as Secret whatever its own kind says', () => {
      expect(
        strip(
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name: 'db' },
            data: { password: CANARY },
          },
          'Secret',
        ),
      ).toEqual({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'db' },
        dataKeys: ['password'],
      });
    });

    it('also strips an object that says it is a Secret', () => {
      const result = strip(
        { kind: 'Secret', metadata: { name: 'db' }, data: { p: CANARY } },
        'Deployment',
      );
      expect(result.dataKeys).toEqual(['p']);
      expect(result).not.toHaveProperty('data');
    });

    it('gives a Secret without data empty dataKeys', () => {
      expect(strip({ metadata: { name: 'empty' } }, 'Secret')).toEqual({
        metadata: { name: 'empty' },
        dataKeys: [],
      });
    });
  });

  describe('ConfigMaps', () => {
    it('strips a kind-less list item requested as ConfigMap', () => {
      expect(
        strip(
          {
            metadata: { name: 'settings' },
            data: { 'app.yaml': `apiKey: ${CANARY}`, b: 'x' },
            binaryData: { 'cert.der': CANARY },
          },
          'ConfigMap',
        ),
      ).toEqual({
        metadata: { name: 'settings' },
        dataKeys: ['app.yaml', 'b'],
        binaryDataKeys: ['cert.der'],
      });
    });

    it('also strips an object that says it is a ConfigMap', () => {
      expect(
        strip(
          { kind: 'ConfigMap', metadata: { name: 's' }, data: { k: CANARY } },
          'Pod',
        ),
      ).toEqual({
        kind: 'ConfigMap',
        metadata: { name: 's' },
        dataKeys: ['k'],
        binaryDataKeys: [],
      });
    });
  });

  describe('env values', () => {
    it('redacts containers and init containers of a Deployment pod template', () => {
      const result = strip(
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'web' },
          spec: {
            replicas: 2,
            template: { metadata: { labels: { app: 'web' } }, spec: podSpec() },
          },
        },
        'Deployment',
      );
      expect(result.spec).toEqual({
        replicas: 2,
        template: {
          metadata: { labels: { app: 'web' } },
          spec: redactedPodSpec(),
        },
      });
    });

    it('redacts a kind-less Pod list item', () => {
      expect(
        strip({ metadata: { name: 'p' }, spec: podSpec() }, 'Pod').spec,
      ).toEqual(redactedPodSpec());
    });

    it('redacts an Argo Rollout template', () => {
      const result = strip(
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Rollout',
          metadata: { name: 'web' },
          spec: {
            strategy: { canary: { steps: [{ setWeight: 20 }] } },
            template: { spec: podSpec() },
          },
        },
        'Rollout',
      );
      expect(result.spec.template.spec).toEqual(redactedPodSpec());
      expect(result.spec.strategy).toEqual({
        canary: { steps: [{ setWeight: 20 }] },
      });
    });

    it("redacts a Kubeflow TrainJob's trainer env", () => {
      const result = strip(
        {
          apiVersion: 'trainer.kubeflow.org/v1alpha1',
          kind: 'TrainJob',
          metadata: { name: 'llm' },
          spec: {
            runtimeRef: { name: 'torch-distributed' },
            trainer: {
              image: 't:1',
              env: [literal('HF_TOKEN'), fromSecret('WANDB_KEY')],
            },
          },
        },
        'TrainJob',
      );
      expect(result.spec.trainer.env).toEqual([
        redacted('HF_TOKEN'),
        fromSecret('WANDB_KEY'),
      ]);
    });

    it("redacts a PyTorchJob's Master and Worker replicas", () => {
      const result = strip(
        {
          apiVersion: 'kubeflow.org/v1',
          kind: 'PyTorchJob',
          metadata: { name: 'resnet' },
          spec: {
            pytorchReplicaSpecs: {
              Master: { replicas: 1, template: { spec: podSpec() } },
              Worker: { replicas: 4, template: { spec: podSpec() } },
            },
          },
        },
        'PyTorchJob',
      );
      const replicas = result.spec.pytorchReplicaSpecs;
      expect(replicas.Master.template.spec).toEqual(redactedPodSpec());
      expect(replicas.Worker.template.spec).toEqual(redactedPodSpec());
      expect(replicas.Worker.replicas).toBe(4);
    });

    it('redacts an env list nested 200 levels deep inside a custom resource', () => {
      let inner: Record<string, unknown> = {
        env: [literal('DEEP'), fromSecret('DEEP_REF')],
      };
      for (let i = 0; i < 200; i++) {
        inner = i % 2 ? { level: inner } : ({ items: [inner] } as any);
      }
      const result = strip(
        {
          apiVersion: 'example.com/v1',
          kind: 'Widget',
          metadata: { name: 'w' },
          spec: inner,
        },
        'Widget',
      );
      let node: any = result.spec;
      for (let i = 199; i >= 0; i--) node = i % 2 ? node.level : node.items[0];
      expect(node.env).toEqual([redacted('DEEP'), fromSecret('DEEP_REF')]);
    });

    it('redacts env in status', () => {
      const result = strip(
        {
          kind: 'Widget',
          metadata: { name: 'w' },
          status: { observed: { containers: [{ env: [literal('S')] }] } },
        },
        'Widget',
      );
      expect(result.status.observed.containers[0].env).toEqual([redacted('S')]);
    });

    it('keeps an empty value hidden too, and leaves non-env fields named value alone', () => {
      const result = strip(
        {
          metadata: { name: 'w' },
          spec: {
            env: [{ name: 'EMPTY', value: '' }],
            threshold: { value: 3 },
          },
        },
        'Widget',
      );
      expect(result.spec).toEqual({
        env: [redacted('EMPTY')],
        threshold: { value: 3 },
      });
    });
  });

  describe('metadata', () => {
    it('removes managedFields and the last-applied configuration', () => {
      const result = strip(
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: {
            name: 'web',
            labels: { app: 'web' },
            annotations: {
              [LAST_APPLIED]: JSON.stringify({
                spec: {
                  template: { spec: { containers: [{ env: [literal('K')] }] } },
                },
              }),
              'deployment.kubernetes.io/revision': '3',
            },
            managedFields: [
              {
                manager: 'kubectl',
                fieldsV1: { [`f:${CANARY}`]: {} },
              },
            ],
          },
          spec: { replicas: 1 },
        },
        'Deployment',
      );
      expect(result.metadata).toEqual({
        name: 'web',
        labels: { app: 'web' },
        annotations: { 'deployment.kubernetes.io/revision': '3' },
      });
    });

    it('removes the last-applied configuration of a Secret', () => {
      expect(
        strip(
          {
            metadata: {
              name: 'db',
              annotations: {
                [LAST_APPLIED]: JSON.stringify({ data: { password: CANARY } }),
              },
            },
            data: { password: CANARY },
          },
          'Secret',
        ),
      ).toEqual({
        metadata: { name: 'db', annotations: {} },
        dataKeys: ['password'],
      });
    });

    it('copes with an object without metadata', () => {
      expect(strip({ spec: { env: [literal('X')] } } as any, 'Widget')).toEqual(
        { spec: { env: [redacted('X')] } },
      );
    });
  });
});
