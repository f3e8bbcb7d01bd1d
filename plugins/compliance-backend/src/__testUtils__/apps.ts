/*
 * Objects of a service as the hub answers them (like the simulator's demo apps): compliant ones
 * with hardened pods, NetworkPolicy, PDB and HPA; non-compliant ones like e-prescribing.
 */
import type { ObjectEnvelope } from '@careplane/plugin-clusters-common';

export const ID = 'backstage.io/kubernetes-id';

const env = (cluster: string, kind: string, object: any): ObjectEnvelope => ({
  cluster,
  kind,
  namespace: object.metadata.namespace,
  name: object.metadata.name,
  object,
});

export function deploymentOf(
  name: string,
  cluster: string,
  compliant: boolean,
): ObjectEnvelope {
  const labels = { [ID]: name, app: name };
  return env(cluster, 'Deployment', {
    metadata: { name, namespace: name, labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: name,
          ...(compliant
            ? {
                automountServiceAccountToken: false,
                securityContext: {
                  runAsNonRoot: true,
                  seccompProfile: { type: 'RuntimeDefault' },
                },
              }
            : {}),
          containers: [
            {
              name,
              image: compliant
                ? `registry.northwind-health.example/${name}:1.0.0@sha256:0123`
                : `registry.northwind-health.example/${name}:latest`,
              env: [{ name: 'SERVICE_NAME', value: name }],
              resources: {
                requests: { cpu: '250m', memory: '256Mi' },
                ...(compliant ? { limits: { memory: '512Mi' } } : {}),
              },
              ...(compliant
                ? {
                    readinessProbe: { httpGet: { path: '/r', port: 8080 } },
                    livenessProbe: { httpGet: { path: '/l', port: 8080 } },
                  }
                : {}),
              securityContext: compliant
                ? {
                    allowPrivilegeEscalation: false,
                    readOnlyRootFilesystem: true,
                    runAsNonRoot: true,
                    runAsUser: 10001,
                    capabilities: { drop: ['ALL'] },
                  }
                : { runAsUser: 0, allowPrivilegeEscalation: true },
            },
          ],
        },
      },
    },
  });
}

export function app(
  name: string,
  options: { cluster?: string; compliant?: boolean } = {},
): ObjectEnvelope[] {
  const cluster = options.cluster ?? 'test-cluster';
  const compliant = options.compliant !== false;
  const labels = { [ID]: name };
  const out = [
    env(cluster, 'Namespace', {
      metadata: {
        name,
        labels: {
          ...labels,
          ...(compliant
            ? {
                'pod-security.kubernetes.io/enforce': 'restricted',
                'istio.io/rev': 'stable',
              }
            : {}),
        },
      },
    }),
    env(cluster, 'ServiceAccount', {
      metadata: { name, namespace: name, labels },
      ...(compliant ? { automountServiceAccountToken: false } : {}),
    }),
    deploymentOf(name, cluster, compliant),
    env(cluster, 'Service', {
      metadata: { name, namespace: name, labels },
      spec: { selector: { app: name } },
    }),
  ];
  if (compliant) {
    out.push(
      env(cluster, 'HorizontalPodAutoscaler', {
        metadata: { name, namespace: name, labels },
        spec: { minReplicas: 2, scaleTargetRef: { kind: 'Deployment', name } },
      }),
      env(cluster, 'PodDisruptionBudget', {
        metadata: { name, namespace: name, labels },
        spec: { minAvailable: 1, selector: { matchLabels: { app: name } } },
      }),
      env(cluster, 'NetworkPolicy', {
        metadata: { name: 'default-deny', namespace: name, labels },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      }),
    );
  }
  return out;
}

export const entity = (
  name: string,
  owner: string,
  classification = 'phi',
) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      [ID]: name,
      'careplane.io/data-classification': classification,
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner,
    system: 'telehealth',
  },
});
