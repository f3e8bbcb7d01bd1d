/*
 * The demo world for whole-plugin tests: the demo catalog, who owns what, the Careplane policy in
 * miniature, and the training config of app-config.yaml.
 */
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  AuthorizeResult,
  DefinitivePolicyDecision,
} from '@backstage/plugin-permission-common';

export const LI = 'user:default/li.wei'; // ml-platform: owns triage-model-training
export const FATIMA = 'user:default/fatima.rahman'; // ml-platform
export const JORDAN = 'user:default/jordan.lee'; // telehealth-video: another team
export const PRIYA = 'user:default/priya.shah'; // platform-admins
export const TRAINING = 'component:default/triage-model-training';

type Doc = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace: string;
    annotations?: Record<string, string>;
  };
  spec?: { owner?: string; members?: string[]; type?: string };
};

const groupOf = (name: string, members: string[]): Doc => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', members },
});

/** The part of the demo catalog (catalog/*.yaml) these tests use. */
export const entities: Doc[] = [
  groupOf('ml-platform', ['fatima.rahman', 'li.wei']),
  groupOf('telehealth-video', ['jordan.lee', 'amara.nwosu']),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'triage-model-training',
      namespace: 'default',
      annotations: {
        'backstage.io/kubernetes-id': 'triage-model-training',
        'careplane.io/data-classification': 'internal',
        'careplane.io/training-queue': 'ml-platform/ml-platform',
      },
    },
    spec: { type: 'ml-pipeline', owner: 'ml-platform' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'video-consultation',
      namespace: 'default',
      annotations: {
        'backstage.io/kubernetes-id': 'video-consultation',
        'careplane.io/data-classification': 'phi',
      },
    },
    spec: { type: 'service', owner: 'telehealth-video' },
  },
];

const refOf = (e: Doc) =>
  stringifyEntityRef({
    kind: e.kind,
    namespace: 'default',
    name: e.metadata.name,
  });

/** Members of the group that owns the entity. */
export function ownersOf(entityRef: string): string[] {
  const entity = entities.find(e => refOf(e) === entityRef);
  const group = entities.find(
    e => e.kind === 'Group' && e.metadata.name === entity?.spec?.owner,
  );
  return (group?.spec?.members ?? []).map(m => `user:default/${m}`);
}

/** Reads open except logs; entity permissions for owners and admins; the rest for admins. */
export function policyMock() {
  return mockServices.permissions.mock({
    async authorize(requests, options) {
      const principal = options.credentials.principal as {
        userEntityRef?: string;
      };
      const user = principal.userEntityRef;
      return requests.map((r): DefinitivePolicyDecision => {
        const p = r.permission;
        const admin = user === PRIYA;
        let allow = admin;
        if (p.attributes.action === 'read' && p.name !== 'clusters.pod.logs')
          allow = true;
        else if ('resourceRef' in r && r.resourceRef) {
          allow = admin || ownersOf(r.resourceRef).includes(user ?? '');
        }
        return { result: allow ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
      });
    },
  });
}

export const as = (user: string) => ({
  Authorization: mockCredentials.user.header(user),
});

/** `training.*` of app-config.yaml. */
export const trainingConfig = {
  currency: 'USD',
  gpuTypes: [
    {
      name: 'nvidia-a100-80gb',
      title: 'NVIDIA A100 80GB',
      nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB' },
      tolerations: [
        { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
      ],
      pricePerGpuHour: 3.67,
      maxPerRun: 8,
      migProfiles: [{ name: '1g.10gb', pricePerHour: 0.52 }],
    },
  ],
};

/** A launch body as the form sends it. */
export const launchBody = (extra: object = {}) => ({
  idempotencyKey: 'launch-test-0001',
  entityRef: TRAINING,
  name: 'triage-ft',
  cluster: 'gpu-research',
  image: 'registry.northwind-health.example/ml/triage-llm-train:2026.04.1',
  command: ['torchrun', 'train.py'],
  gpu: { type: 'nvidia-a100-80gb', count: 2 },
  cpu: '16',
  memory: '128Gi',
  hyperParameters: { LEARNING_RATE: '0.0003' },
  secretEnv: [{ name: 'HF_TOKEN', secretName: 'hf-token', key: 'token' }],
  maxRuntimeMinutes: 120,
  ...extra,
});
