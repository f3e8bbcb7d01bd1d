import type { KubeObject } from '@careplane/plugin-clusters-common';
import { ANNOTATION_SLO } from '@careplane/plugin-rollouts-common';
import {
  ANNOTATION_DATA_CLASSIFICATION,
  LABEL_KUBERNETES_ID,
} from '@careplane/plugin-clusters-common';
import { cpuMillis, formatCpu, formatMemory, memoryBytes } from './quantity';
import type {
  RenderedManifest,
  RenderSettings,
  ServiceParameters,
} from './types';

/** Runs as this uid / gid (any non-zero id works with runAsNonRoot). */
const APP_UID = 10001;
/** Extra pods the quota leaves room for: surge, canary or preview pods during a rollout. */
const ROLLOUT_HEADROOM = 2;

const ownerName = (ref: string) => ref.replace(/^.*[:/]/, '');

/** The SLO annotation value, e.g. `availability=99.9,latency-p99=300ms`. @public */
export function sloAnnotation(p: ServiceParameters): string {
  return [
    `availability=${p.sloAvailability}`,
    ...(p.sloLatencyP99Ms ? [`latency-p99=${p.sloLatencyP99Ms}ms`] : []),
  ].join(',');
}

/** Labels every object carries: they tie it to the catalog entity and its data class. @public */
export function commonLabels(p: ServiceParameters): Record<string, string> {
  return {
    [LABEL_KUBERNETES_ID]: p.name,
    [ANNOTATION_DATA_CLASSIFICATION]: p.dataClassification,
    'careplane.io/owner': ownerName(p.owner),
    'careplane.io/service-kind': p.serviceKind,
    'app.kubernetes.io/name': p.name,
    'app.kubernetes.io/part-of': ownerName(p.system),
    'app.kubernetes.io/managed-by': 'careplane',
  };
}

function meta(
  p: ServiceParameters,
  name: string,
  extra: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  } = {},
  namespaced = true,
) {
  return {
    name,
    ...(namespaced ? { namespace: p.namespace } : {}),
    labels: { ...commonLabels(p), ...extra.labels },
    ...(extra.annotations ? { annotations: extra.annotations } : {}),
  };
}

function namespaceObjects(
  p: ServiceParameters,
  s: RenderSettings,
): KubeObject[] {
  const pss = {
    'pod-security.kubernetes.io/enforce': 'restricted',
    'pod-security.kubernetes.io/enforce-version': 'latest',
    'pod-security.kubernetes.io/audit': 'restricted',
    'pod-security.kubernetes.io/warn': 'restricted',
  };
  const meshLabels: Record<string, string> =
    s.mesh === 'istio' ? { 'istio-injection': 'enabled' } : {};
  const meshAnnotations: Record<string, string> =
    s.mesh === 'linkerd'
      ? {
          'linkerd.io/inject': 'enabled',
          'config.linkerd.io/default-inbound-policy': 'all-authenticated',
        }
      : {};
  const pods = p.maxReplicas * 2 + ROLLOUT_HEADROOM;
  const objects: KubeObject[] = [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: meta(
        p,
        p.namespace,
        {
          labels: { ...pss, ...meshLabels },
          annotations: {
            ...meshAnnotations,
            [ANNOTATION_DATA_CLASSIFICATION]: p.dataClassification,
          },
        },
        false,
      ),
    },
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: meta(p, 'compute-quota'),
      spec: {
        hard: {
          pods: String(pods),
          'requests.cpu': formatCpu(cpuMillis(p.cpuRequest) * pods),
          'requests.memory': formatMemory(memoryBytes(p.memoryRequest) * pods),
          'limits.cpu': formatCpu(cpuMillis(p.cpuLimit) * pods),
          'limits.memory': formatMemory(memoryBytes(p.memoryLimit) * pods),
          // No externally reachable Services: traffic enters through the gateway only.
          'services.loadbalancers': '0',
          'services.nodeports': '0',
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: meta(p, 'container-defaults'),
      spec: {
        limits: [
          {
            type: 'Container',
            defaultRequest: { cpu: p.cpuRequest, memory: p.memoryRequest },
            default: { cpu: p.cpuLimit, memory: p.memoryLimit },
          },
        ],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta(p, 'default-deny-all'),
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta(p, 'allow-dns-egress'),
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: {
                  matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' },
                },
                podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
              },
            ],
            ports: [
              { protocol: 'UDP', port: 53 },
              { protocol: 'TCP', port: 53 },
            ],
          },
        ],
      },
    },
  ];
  if (s.mesh !== 'none') {
    objects.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta(p, 'allow-mesh-control-plane'),
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: {
                  matchLabels: {
                    'kubernetes.io/metadata.name': s.meshNamespace,
                  },
                },
              },
            ],
            ports: (s.mesh === 'linkerd' ? [8080, 8086, 8090] : [15012]).map(
              port => ({ protocol: 'TCP', port }),
            ),
          },
        ],
      },
    });
  }
  const appSelector = { matchLabels: { [LABEL_KUBERNETES_ID]: p.name } };
  objects.push({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta(p, 'allow-ingress-from-gateway'),
    spec: {
      podSelector: appSelector,
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: {
                matchLabels: {
                  'kubernetes.io/metadata.name': s.gatewayNamespace,
                },
              },
            },
          ],
          ports: [{ protocol: 'TCP', port: p.port }],
        },
      ],
    },
  });
  if (p.dependencies.length > 0) {
    objects.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta(p, 'allow-egress-to-dependencies'),
      spec: {
        podSelector: appSelector,
        policyTypes: ['Egress'],
        egress: p.dependencies.map(dep => {
          const [depName, port] = dep.split(':');
          return {
            to: [
              {
                namespaceSelector: {
                  matchLabels: { 'kubernetes.io/metadata.name': depName },
                },
                podSelector: {
                  matchLabels: { [LABEL_KUBERNETES_ID]: depName },
                },
              },
            ],
            ports: [{ protocol: 'TCP', port: port ? Number(port) : 8080 }],
          };
        }),
      },
    });
  }
  if (s.mesh === 'istio') {
    objects.push({
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: meta(p, 'default'),
      spec: { mtls: { mode: 'STRICT' } },
    });
  }
  return objects;
}

function podTemplate(p: ServiceParameters, s: RenderSettings) {
  const restricted = {
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
  const selectorLabels = { [LABEL_KUBERNETES_ID]: p.name };
  return {
    metadata: {
      labels: commonLabels(p),
      annotations: {
        ...(s.mesh === 'linkerd' ? { 'linkerd.io/inject': 'enabled' } : {}),
        ...(s.mesh === 'istio' ? { 'sidecar.istio.io/inject': 'true' } : {}),
      },
    },
    spec: {
      serviceAccountName: p.name,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      terminationGracePeriodSeconds: 30,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: APP_UID,
        runAsGroup: APP_UID,
        fsGroup: APP_UID,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      affinity: {
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            {
              weight: 100,
              podAffinityTerm: {
                topologyKey: 'kubernetes.io/hostname',
                labelSelector: { matchLabels: selectorLabels },
              },
            },
          ],
        },
      },
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: 'topology.kubernetes.io/zone',
          whenUnsatisfiable: 'ScheduleAnyway',
          labelSelector: { matchLabels: selectorLabels },
        },
      ],
      containers: [
        {
          name: 'app',
          image: p.image,
          imagePullPolicy: 'IfNotPresent',
          ports: [{ name: 'http', containerPort: p.port, protocol: 'TCP' }],
          env: [
            { name: 'PORT', value: String(p.port) },
            { name: 'SERVICE_NAME', value: p.name },
            { name: 'DATA_CLASSIFICATION', value: p.dataClassification },
          ],
          resources: {
            requests: { cpu: p.cpuRequest, memory: p.memoryRequest },
            limits: { cpu: p.cpuLimit, memory: p.memoryLimit },
          },
          startupProbe: {
            httpGet: { path: '/healthz', port: 'http' },
            periodSeconds: 2,
            failureThreshold: 30,
          },
          livenessProbe: {
            httpGet: { path: '/healthz', port: 'http' },
            periodSeconds: 10,
            timeoutSeconds: 2,
            failureThreshold: 3,
          },
          readinessProbe: {
            httpGet: { path: '/readyz', port: 'http' },
            periodSeconds: 5,
            timeoutSeconds: 2,
            failureThreshold: 3,
          },
          securityContext: restricted,
          volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
        },
      ],
      volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
    },
  };
}

function workloadObjects(
  p: ServiceParameters,
  s: RenderSettings,
): KubeObject[] {
  const selector = { matchLabels: { [LABEL_KUBERNETES_ID]: p.name } };
  const annotations = { [ANNOTATION_SLO]: sloAnnotation(p) };
  const service = (name: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(p, name),
    spec: {
      type: 'ClusterIP',
      selector: selector.matchLabels,
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    },
  });
  const objects: KubeObject[] = [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: meta(p, p.name),
      automountServiceAccountToken: false,
    },
    service(p.name),
  ];
  if (p.strategy === 'blue-green') objects.push(service(`${p.name}-preview`));

  let target: { apiVersion: string; kind: string };
  if (p.strategy === 'rolling') {
    target = { apiVersion: 'apps/v1', kind: 'Deployment' };
    objects.push({
      ...target,
      metadata: meta(p, p.name, { annotations }),
      spec: {
        replicas: p.minReplicas,
        revisionHistoryLimit: 5,
        selector,
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 },
        },
        template: podTemplate(p, s),
      },
    });
  } else {
    target = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' };
    const strategy =
      p.strategy === 'canary'
        ? {
            canary: {
              maxSurge: '25%',
              maxUnavailable: 0,
              // The first pause waits for a person (promote in the portal); later ones are timed.
              steps: p.canaryWeights.flatMap((weight, i) => [
                { setWeight: weight },
                { pause: i === 0 ? {} : { duration: '10m' } },
              ]),
            },
          }
        : {
            blueGreen: {
              activeService: p.name,
              previewService: `${p.name}-preview`,
              autoPromotionEnabled: false,
              scaleDownDelaySeconds: 30,
            },
          };
    objects.push({
      ...target,
      metadata: meta(p, p.name, { annotations }),
      spec: {
        replicas: p.minReplicas,
        revisionHistoryLimit: 5,
        selector,
        strategy,
        template: podTemplate(p, s),
      },
    });
  }
  objects.push(
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: meta(p, p.name),
      spec: {
        scaleTargetRef: { ...target, name: p.name },
        minReplicas: p.minReplicas,
        maxReplicas: p.maxReplicas,
        metrics: [
          {
            type: 'Resource',
            resource: {
              name: 'cpu',
              target: { type: 'Utilization', averageUtilization: 70 },
            },
          },
        ],
        behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
      },
    },
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: meta(p, p.name),
      spec: { minAvailable: p.pdbMinAvailable, selector },
    },
  );
  return objects;
}

/**
 * Renders the service's Kubernetes objects with Careplane's healthcare defaults, in apply order
 * (namespace and guard rails first), each with the file it is written to. Pure: validate the
 * parameters first with `validateServiceParameters`.
 * @public
 */
export function renderManifests(
  p: ServiceParameters,
  s: RenderSettings,
  directory = 'manifests',
): RenderedManifest[] {
  const objects = [
    ...namespaceObjects(p, s),
    ...(p.scope === 'service' ? workloadObjects(p, s) : []),
  ];
  return objects.map((object, i) => ({
    path: `${directory}/${String(i + 1).padStart(
      2,
      '0',
    )}-${object.kind!.toLowerCase()}-${object.metadata.name}.yaml`,
    object,
  }));
}
