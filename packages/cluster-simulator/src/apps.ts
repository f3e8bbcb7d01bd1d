import type { AppSpec } from './scenario';
import { K8sObject } from './util';

function b64(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64');
}

/**
 * Expands an app shorthand into the objects a team would deploy: namespace,
 * service account, config map and secret (with recognisable canary values
 * that Careplane must strip), the workload, a Service and, for compliant
 * apps, HPA, PDB, NetworkPolicies and a hardened security context.
 */
export function expandApp(app: AppSpec, clusterName: string): K8sObject[] {
  const name = app.name;
  const ns = app.namespace ?? name;
  const kind = app.kind ?? 'Deployment';
  const compliant = app.compliant !== false;
  const replicas = app.replicas ?? 2;
  const image = app.image ?? `registry.northwind-health.example/${name}:1.0.0`;
  const dataClass = app.dataClassification ?? 'internal';
  const tag = image.split(':')[1] ?? 'latest';
  const canary = `CANARY-SECRET-VALUE-${clusterName}-${name}`.toUpperCase();
  const common = {
    'backstage.io/kubernetes-id': name,
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/part-of': 'telehealth',
    'careplane.io/data-classification': dataClass,
    ...(app.labels ?? {}),
  };
  const selector = { app: name };
  const objects: K8sObject[] = [];
  if (app.createNamespace !== false) {
    objects.push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: ns,
        labels: {
          ...common,
          ...(compliant
            ? {
                'pod-security.kubernetes.io/enforce':
                  dataClass === 'phi' ? 'restricted' : 'baseline',
                'istio.io/rev': 'stable',
              }
            : {}),
        },
      },
    });
  }
  objects.push({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name, namespace: ns, labels: common },
    ...(compliant ? { automountServiceAccountToken: false } : {}),
  });
  objects.push({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${name}-config`, namespace: ns, labels: common },
    data: {
      LOG_LEVEL: 'info',
      FHIR_BASE_URL: `https://fhir.${clusterName}.northwind-health.example/r4`,
      'feature-flags.json': JSON.stringify({
        videoBackgroundBlur: true,
        canaryMarker: `CANARY-CONFIGMAP-VALUE-${clusterName}-${name}`,
      }),
    },
  });
  objects.push({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `${name}-secrets`, namespace: ns, labels: common },
    type: 'Opaque',
    data: {
      'database-password': b64(`${canary}-DB`),
      'api-token': b64(`${canary}-API`),
    },
  });
  const securityContext = compliant
    ? {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        runAsUser: 10001,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      }
    : { runAsUser: 0, allowPrivilegeEscalation: true };
  const template = {
    metadata: {
      labels: { ...common, ...selector, 'app.kubernetes.io/version': tag },
      annotations: {
        'prometheus.io/scrape': 'true',
        ...(app.podAnnotations ?? {}),
      },
    },
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
          image,
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
          env: [
            { name: 'SERVICE_NAME', value: name },
            { name: 'CLUSTER_NAME', value: clusterName },
            {
              name: 'SESSION_SIGNING_KEY',
              value: `CANARY-ENV-VALUE-${clusterName}-${name}`,
            },
            {
              name: 'DATABASE_PASSWORD',
              valueFrom: {
                secretKeyRef: {
                  name: `${name}-secrets`,
                  key: 'database-password',
                },
              },
            },
          ],
          envFrom: [{ configMapRef: { name: `${name}-config` } }],
          resources: {
            requests: { cpu: '250m', memory: '256Mi' },
            ...(compliant ? { limits: { cpu: '1', memory: '512Mi' } } : {}),
          },
          ...(compliant
            ? {
                readinessProbe: {
                  httpGet: { path: '/healthz/ready', port: 'http' },
                  periodSeconds: 5,
                },
                livenessProbe: {
                  httpGet: { path: '/healthz/live', port: 'http' },
                  periodSeconds: 10,
                },
              }
            : {}),
          securityContext,
        },
      ],
    },
  };
  const meta = { name, namespace: ns, labels: { ...common, app: name } };
  if (kind === 'Rollout') {
    const strategy = app.strategy ?? {
      canary: {
        steps: [
          { setWeight: 20 },
          { pause: {} },
          { setWeight: 50 },
          { pause: { duration: '2m' } },
        ],
      },
    };
    if (strategy.blueGreen) {
      strategy.blueGreen = {
        activeService: name,
        previewService: `${name}-preview`,
        ...strategy.blueGreen,
      };
    }
    objects.push({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: meta,
      spec: {
        replicas,
        revisionHistoryLimit: 5,
        selector: { matchLabels: selector },
        template,
        strategy,
      },
    });
  } else if (kind === 'StatefulSet') {
    objects.push({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: meta,
      spec: {
        replicas,
        serviceName: name,
        selector: { matchLabels: selector },
        template,
        updateStrategy: { type: 'RollingUpdate' },
        podManagementPolicy: 'OrderedReady',
      },
    });
  } else {
    objects.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta,
      spec: {
        replicas,
        selector: { matchLabels: selector },
        template,
        ...(app.strategy ? { strategy: app.strategy } : {}),
      },
    });
  }
  const port = { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' };
  objects.push({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, labels: common },
    spec: { selector, ports: [port] },
  });
  if (kind === 'Rollout' && app.strategy?.blueGreen) {
    objects.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: `${name}-preview`, namespace: ns, labels: common },
      spec: { selector, ports: [port] },
    });
  }
  if (compliant) {
    if (app.hpa !== false) {
      objects.push({
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name, namespace: ns, labels: common },
        spec: {
          scaleTargetRef: {
            apiVersion: kind === 'Rollout' ? 'argoproj.io/v1alpha1' : 'apps/v1',
            kind,
            name,
          },
          minReplicas: replicas,
          maxReplicas: replicas * 3,
          metrics: [
            {
              type: 'Resource',
              resource: {
                name: 'cpu',
                target: { type: 'Utilization', averageUtilization: 70 },
              },
            },
          ],
        },
      });
    }
    objects.push({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name, namespace: ns, labels: common },
      spec: {
        minAvailable: replicas > 1 ? replicas - 1 : 1,
        selector: { matchLabels: selector },
      },
    });
    if (app.createNamespace !== false)
      objects.push({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'default-deny', namespace: ns, labels: common },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      });
    objects.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `${name}-allow`, namespace: ns, labels: common },
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          {
            from: [
              {
                namespaceSelector: {
                  matchLabels: {
                    'kubernetes.io/metadata.name': 'ingress-nginx',
                  },
                },
              },
            ],
            ports: [{ port: 8080, protocol: 'TCP' }],
          },
        ],
        egress: [
          {
            to: [{ namespaceSelector: {} }],
            ports: [
              { port: 53, protocol: 'UDP' },
              { port: 5432, protocol: 'TCP' },
            ],
          },
        ],
      },
    });
    if (dataClass === 'phi') {
      objects.push({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: {
          name,
          namespace: ns,
          labels: common,
          annotations: {
            'nginx.ingress.kubernetes.io/auth-url':
              'https://auth.northwind-health.example/oauth2/auth',
          },
        },
        spec: {
          ingressClassName: 'nginx',
          tls: [
            {
              hosts: [`${name}.${clusterName}.northwind-health.example`],
              secretName: `${name}-tls`,
            },
          ],
          rules: [
            {
              host: `${name}.${clusterName}.northwind-health.example`,
              http: {
                paths: [
                  {
                    path: '/',
                    pathType: 'Prefix',
                    backend: { service: { name, port: { number: 80 } } },
                  },
                ],
              },
            },
          ],
        },
      });
    }
  }
  if (app.createNamespace !== false)
    objects.push({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: `${ns}-quota`, namespace: ns, labels: common },
      spec: {
        hard: { 'requests.cpu': '8', 'requests.memory': '16Gi', pods: '40' },
      },
    });
  return objects;
}
