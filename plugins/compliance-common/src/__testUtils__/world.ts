/*
 * A compliant PHI service as a test world: every check of the catalog passes on it. Tests mutate
 * one thing and look at one check.
 */
import type { ObjectEnvelope } from '@careplane/plugin-clusters-common';
import { builtInChecks, policyToCheckMap } from '../catalog';
import { evaluateEntity, CheckResult } from '../evaluate';
import type {
  EntityFacts,
  EvalContext,
  KindFreshness,
  CheckOptions,
} from '../types';

export const CLUSTER = 'test-cluster';
export const NS = 'visit-notes';

const env = (kind: string, object: any): ObjectEnvelope => ({
  cluster: CLUSTER,
  kind,
  namespace: object.metadata.namespace,
  name: object.metadata.name,
  object,
});

export interface World {
  entity: EntityFacts;
  phi: boolean;
  workloads: ObjectEnvelope[];
  objects: ObjectEnvelope[];
  clusterLabels: Record<string, string>;
  kindStatus: Record<string, KindFreshness>;
  options: CheckOptions;
  unclaimed: ObjectEnvelope[];
  now: number;
}

export const NOW = Date.parse('2026-11-30T00:00:00Z');

export function deployment(name = 'visit-notes'): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: NS,
      labels: { 'backstage.io/kubernetes-id': 'visit-notes' },
    },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: {
          labels: { app: name, 'backstage.io/kubernetes-id': 'visit-notes' },
        },
        spec: {
          serviceAccountName: name,
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name,
              image: `registry.northwind-health.example/${name}:1.0.0@sha256:abc`,
              env: [
                {
                  name: 'DB_PASSWORD',
                  valueFrom: { secretKeyRef: { name: 's', key: 'k' } },
                },
              ].slice(0, 0),
              envFrom: [{ configMapRef: { name: `${name}-config` } }],
              resources: {
                requests: { cpu: '100m', memory: '128Mi' },
                limits: { memory: '256Mi' },
              },
              readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
              livenessProbe: { httpGet: { path: '/live', port: 8080 } },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                runAsUser: 10001,
                capabilities: { drop: ['ALL'] },
              },
            },
          ],
        },
      },
    },
  };
}

export function world(): World {
  const labels = { app: 'visit-notes' };
  return {
    entity: {
      entityRef: 'component:default/visit-notes',
      kind: 'Component',
      owner: 'group:default/clinical-records',
      system: 'system:default/telehealth',
      lifecycle: 'production',
      annotations: {
        'backstage.io/kubernetes-id': 'visit-notes',
        'careplane.io/data-classification': 'phi',
        'pagerduty.com/service-id': 'P123',
        'backstage.io/techdocs-ref': 'dir:.',
      },
    },
    phi: true,
    workloads: [env('Deployment', deployment())],
    objects: [
      env('Namespace', {
        metadata: {
          name: NS,
          labels: {
            'pod-security.kubernetes.io/enforce': 'restricted',
            'istio.io/rev': 'stable',
          },
        },
      }),
      env('ServiceAccount', {
        metadata: { name: 'visit-notes', namespace: NS },
        automountServiceAccountToken: false,
      }),
      env('ConfigMap', {
        metadata: { name: 'visit-notes-config', namespace: NS },
        dataKeys: ['LOG_LEVEL'],
      }),
      env('Service', {
        metadata: { name: 'visit-notes', namespace: NS },
        spec: { type: 'ClusterIP', selector: labels },
      }),
      env('Ingress', {
        metadata: {
          name: 'visit-notes',
          namespace: NS,
          annotations: {
            'nginx.ingress.kubernetes.io/auth-url': 'https://auth/x',
          },
        },
        spec: {
          tls: [{ hosts: ['notes.example'] }],
          rules: [
            {
              host: 'notes.example',
              http: {
                paths: [{ backend: { service: { name: 'visit-notes' } } }],
              },
            },
          ],
        },
      }),
      env('NetworkPolicy', {
        metadata: { name: 'default-deny', namespace: NS },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      }),
      env('PodDisruptionBudget', {
        metadata: { name: 'visit-notes', namespace: NS },
        spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
      }),
      env('HorizontalPodAutoscaler', {
        metadata: { name: 'visit-notes', namespace: NS },
        spec: {
          minReplicas: 2,
          scaleTargetRef: { kind: 'Deployment', name: 'visit-notes' },
        },
      }),
      env('Role', {
        metadata: { name: 'reader', namespace: NS },
        rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }],
      }),
      env('RoleBinding', {
        metadata: { name: 'reader', namespace: NS },
        roleRef: { kind: 'Role', name: 'reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'visit-notes' }],
      }),
      env('VulnerabilityReport', {
        metadata: {
          name: 'deploy-visit-notes',
          namespace: NS,
          creationTimestamp: '2026-11-29T00:00:00Z',
          labels: {
            'trivy-operator.resource.name': 'visit-notes',
            'trivy-operator.resource.kind': 'Deployment',
          },
        },
        report: { summary: { criticalCount: 0 } },
      }),
      env('PolicyReport', {
        metadata: { name: 'polr', namespace: NS },
        results: [
          {
            policy: 'verify-image-signature',
            result: 'pass',
            severity: 'high',
            resources: [
              { kind: 'Deployment', name: 'visit-notes', namespace: NS },
            ],
          },
          {
            policy: 'require-labels',
            result: 'pass',
            resources: [
              { kind: 'Deployment', name: 'visit-notes', namespace: NS },
            ],
          },
        ],
      }),
    ],
    clusterLabels: {
      'compliance.careplane.io/secrets-encryption': 'true',
      'compliance.careplane.io/control-plane-tls': 'true',
      'compliance.careplane.io/audit-logging': 'true',
      'compliance.careplane.io/runtime-detection': 'true',
      'compliance.careplane.io/anonymous-auth-disabled': 'true',
    },
    kindStatus: {},
    options: {
      allowedRegistries: ['registry.northwind-health.example'],
      encryptedStorageClasses: ['encrypted-gp3'],
      maxReportAgeDays: 7,
    },
    unclaimed: [],
    now: NOW,
  };
}

export function ctxOf(w: World): EvalContext {
  return {
    entity: w.entity,
    phi: w.phi,
    workloads: w.workloads,
    inNamespace: (c, ns, kind) =>
      w.objects.filter(
        o => o.cluster === c && o.namespace === ns && o.kind === kind,
      ),
    namespace: (c, name) =>
      w.objects.find(
        o => o.cluster === c && o.kind === 'Namespace' && o.name === name,
      ),
    kindStatus: (_c, kind) => w.kindStatus[kind] ?? 'ok',
    clusters: [{ name: CLUSTER, labels: w.clusterLabels }],
    unclaimed: w.unclaimed,
    options: w.options,
    now: w.now,
  };
}

/** The one result of a check in the world (its first workload, or the entity). */
export function resultOf(checkId: string, w: World): CheckResult {
  const check = builtInChecks.find(c => c.id === checkId);
  if (!check) throw new Error(`no check ${checkId}`);
  const results = evaluateEntity(
    [check],
    ctxOf(w),
    policyToCheckMap(builtInChecks),
  );
  return results[0];
}

export const find = (w: World, kind: string, name?: string) =>
  w.objects.find(o => o.kind === kind && (!name || o.name === name))!
    .object as any;

export const wl = (w: World) => w.workloads[0].object as any;
export const pod = (w: World) => wl(w).spec.template.spec;
export const container = (w: World) => pod(w).containers[0];
