import { renderManifests } from './render';
import {
  ANNOTATION_SLO,
  parseSloAnnotation,
} from '@careplane/plugin-rollouts-common';
import { phiService, settings } from '../__testUtils__/testParams';

const byKind = (objects: ReturnType<typeof renderManifests>, kind: string) =>
  objects.filter(m => m.object.kind === kind).map(m => m.object);

describe('renderManifests', () => {
  const rendered = renderManifests(phiService(), settings);
  const one = (kind: string) => {
    const found = byKind(rendered, kind);
    expect(found).toHaveLength(1);
    return found[0] as any;
  };

  it('renders every object in apply order, one file each', () => {
    expect(rendered.map(m => m.path)).toEqual([
      'manifests/01-namespace-visit-notes.yaml',
      'manifests/02-resourcequota-compute-quota.yaml',
      'manifests/03-limitrange-container-defaults.yaml',
      'manifests/04-networkpolicy-default-deny-all.yaml',
      'manifests/05-networkpolicy-allow-dns-egress.yaml',
      'manifests/06-networkpolicy-allow-mesh-control-plane.yaml',
      'manifests/07-networkpolicy-allow-ingress-from-gateway.yaml',
      'manifests/08-networkpolicy-allow-egress-to-dependencies.yaml',
      'manifests/09-serviceaccount-visit-notes.yaml',
      'manifests/10-service-visit-notes.yaml',
      'manifests/11-deployment-visit-notes.yaml',
      'manifests/12-horizontalpodautoscaler-visit-notes.yaml',
      'manifests/13-poddisruptionbudget-visit-notes.yaml',
    ]);
  });

  it('labels every object with the entity id and data classification', () => {
    for (const { object } of rendered) {
      expect(object.metadata.labels).toMatchObject({
        'backstage.io/kubernetes-id': 'visit-notes',
        'careplane.io/data-classification': 'phi',
        'app.kubernetes.io/managed-by': 'careplane',
      });
    }
    expect(
      rendered
        .filter(m => m.object.kind !== 'Namespace')
        .map(m => m.object.metadata.namespace),
    ).toEqual(Array(rendered.length - 1).fill('visit-notes'));
  });

  it('enforces the restricted Pod Security Standard and enrols the namespace in the mesh', () => {
    const ns = one('Namespace');
    expect(ns.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
    expect(ns.metadata.annotations).toMatchObject({
      'linkerd.io/inject': 'enabled',
      'config.linkerd.io/default-inbound-policy': 'all-authenticated',
    });
  });

  it('sizes quota and limit range from the replicas and resources, with no external services', () => {
    expect(one('ResourceQuota').spec.hard).toEqual({
      pods: '14',
      'requests.cpu': '1400m',
      'requests.memory': '1792Mi',
      'limits.cpu': '7',
      'limits.memory': '3584Mi',
      'services.loadbalancers': '0',
      'services.nodeports': '0',
    });
    expect(one('LimitRange').spec.limits[0]).toEqual({
      type: 'Container',
      defaultRequest: { cpu: '100m', memory: '128Mi' },
      default: { cpu: '500m', memory: '256Mi' },
    });
  });

  it('denies all traffic by default and allows DNS, the mesh, the gateway and named dependencies', () => {
    const policies = byKind(rendered, 'NetworkPolicy') as any[];
    const named = Object.fromEntries(
      policies.map(p => [p.metadata.name, p.spec]),
    );
    expect(named['default-deny-all']).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
    });
    expect(named['allow-ingress-from-gateway'].ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: {
              matchLabels: { 'kubernetes.io/metadata.name': 'ingress-gateway' },
            },
          },
        ],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
    ]);
    expect(named['allow-egress-to-dependencies'].egress).toEqual([
      {
        to: [
          {
            namespaceSelector: {
              matchLabels: { 'kubernetes.io/metadata.name': 'patient-records' },
            },
            podSelector: {
              matchLabels: { 'backstage.io/kubernetes-id': 'patient-records' },
            },
          },
        ],
        ports: [{ protocol: 'TCP', port: 8443 }],
      },
    ]);
    expect(named['allow-dns-egress'].egress[0].ports).toEqual([
      { protocol: 'UDP', port: 53 },
      { protocol: 'TCP', port: 53 },
    ]);
    expect(named['allow-mesh-control-plane'].egress[0].to).toEqual([
      {
        namespaceSelector: {
          matchLabels: { 'kubernetes.io/metadata.name': 'linkerd' },
        },
      },
    ]);
  });

  it('runs pods non-root, read-only, without capabilities or a token, with probes and resources', () => {
    expect(one('ServiceAccount').automountServiceAccountToken).toBe(false);
    const deployment = one('Deployment');
    expect(deployment.metadata.annotations).toEqual({
      'careplane.io/slo': 'availability=99.9,latency-p99=300ms',
    });
    const pod = deployment.spec.template.spec;
    expect(
      deployment.spec.template.metadata.labels['backstage.io/kubernetes-id'],
    ).toBe('visit-notes');
    expect(deployment.spec.template.metadata.annotations).toEqual({
      'linkerd.io/inject': 'enabled',
    });
    expect(pod.serviceAccountName).toBe('visit-notes');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      fsGroup: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.hostNetwork ?? false).toBe(false);
    const [c] = pod.containers;
    expect(c.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(c.image).toMatch(/@sha256:[a-f0-9]{64}$/);
    expect(c.resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '500m', memory: '256Mi' },
    });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(c.startupProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(
      pod.affinity.podAntiAffinity
        .preferredDuringSchedulingIgnoredDuringExecution,
    ).toHaveLength(1);
    expect(pod.volumes).toEqual([
      { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
    ]);
  });

  it('scales between the bounds and keeps a disruption budget below the minimum', () => {
    expect(one('HorizontalPodAutoscaler').spec).toMatchObject({
      scaleTargetRef: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'visit-notes',
      },
      minReplicas: 2,
      maxReplicas: 6,
    });
    expect(one('PodDisruptionBudget').spec).toEqual({
      minAvailable: 1,
      selector: {
        matchLabels: { 'backstage.io/kubernetes-id': 'visit-notes' },
      },
    });
    expect(one('Service').spec).toMatchObject({ type: 'ClusterIP' });
  });

  it('renders an Argo canary with a human gate first, then timed steps', () => {
    const canary = renderManifests(
      phiService({ strategy: 'canary' }),
      settings,
    );
    const rollout = byKind(canary, 'Rollout')[0] as any;
    expect(byKind(canary, 'Deployment')).toEqual([]);
    expect(rollout.apiVersion).toBe('argoproj.io/v1alpha1');
    expect(rollout.spec.strategy.canary.steps).toEqual([
      { setWeight: 20 },
      { pause: {} },
      { setWeight: 50 },
      { pause: { duration: '10m' } },
    ]);
    expect(
      (byKind(canary, 'HorizontalPodAutoscaler')[0] as any).spec.scaleTargetRef,
    ).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      name: 'visit-notes',
    });
  });

  it('renders blue-green with a preview service and manual promotion', () => {
    const bg = renderManifests(
      phiService({ strategy: 'blue-green' }),
      settings,
    );
    expect(byKind(bg, 'Service').map(s => s.metadata.name)).toEqual([
      'visit-notes',
      'visit-notes-preview',
    ]);
    expect((byKind(bg, 'Rollout')[0] as any).spec.strategy.blueGreen).toEqual({
      activeService: 'visit-notes',
      previewService: 'visit-notes-preview',
      autoPromotionEnabled: false,
      scaleDownDelaySeconds: 30,
    });
  });

  it('uses Istio sidecars and a STRICT PeerAuthentication when configured', () => {
    const istio = renderManifests(phiService(), {
      mesh: 'istio',
      gatewayNamespace: 'istio-ingress',
      meshNamespace: 'istio-system',
    });
    const ns = byKind(istio, 'Namespace')[0];
    expect(ns.metadata.labels?.['istio-injection']).toBe('enabled');
    expect((byKind(istio, 'PeerAuthentication')[0] as any).spec).toEqual({
      mtls: { mode: 'STRICT' },
    });
  });

  it('renders only the namespace guard rails for scope namespace', () => {
    const ns = renderManifests(
      phiService({ scope: 'namespace', dependencies: [] }),
      settings,
    );
    expect(ns.map(m => m.object.kind)).toEqual([
      'Namespace',
      'ResourceQuota',
      'LimitRange',
      'NetworkPolicy',
      'NetworkPolicy',
      'NetworkPolicy',
      'NetworkPolicy',
    ]);
  });
});

describe('the SLO annotation', () => {
  it("on the workload is one the rollout gate reads: the template's objectives", () => {
    const workload = renderManifests(phiService(), settings).find(m =>
      ['Deployment', 'Rollout'].includes(m.object.kind!),
    )!.object;
    const parsed = parseSloAnnotation(
      workload.metadata?.annotations?.[ANNOTATION_SLO],
    );
    expect(parsed).toEqual({
      ok: true,
      slo: {
        availability: 0.999,
        latency: { quantile: 0.99, thresholdMs: 300 },
        windowDays: 30,
      },
    });
  });
});
