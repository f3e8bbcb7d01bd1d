import type { ObjectEnvelope } from '@careplane/plugin-clusters-common';
import {
  ev,
  fail,
  notApplicable,
  pass,
  podSpecOf,
  POD_KINDS,
  selects,
  serviceSelects,
} from '../pod';
import type { ComplianceCheck, EvalContext, Evidence } from '../types';
import { clusterFact } from './clusterFacts';

const workload = { target: 'workload' as const, kinds: POD_KINDS };
const TX = ['164.312(e)(1)'];

/** Services of the namespace that select the workload's pods. */
function servicesOf(o: ObjectEnvelope, ctx: EvalContext): ObjectEnvelope[] {
  const pod = podSpecOf(o);
  if (!pod) return [];
  return ctx
    .inNamespace(o.cluster, o.namespace ?? '', 'Service')
    .filter(s => serviceSelects(s.object, pod.labels));
}

/** Ingresses of the namespace routing to one of the services. */
function ingressesOf(o: ObjectEnvelope, ctx: EvalContext): ObjectEnvelope[] {
  const names = new Set(servicesOf(o, ctx).map(s => s.name));
  return ctx.inNamespace(o.cluster, o.namespace ?? '', 'Ingress').filter(i => {
    const spec: any = (i.object as any).spec ?? {};
    const backends = [
      spec.defaultBackend,
      ...(spec.rules ?? []).flatMap((r: any) =>
        (r.http?.paths ?? []).map((p: any) => p.backend),
      ),
    ];
    return backends.some(
      (b: any) => b?.service?.name && names.has(b.service.name),
    );
  });
}

export { ingressesOf };

/** Transmission security checks (164.312(e)). @public */
export const transmissionChecks: ComplianceCheck[] = [
  {
    id: 'K8S-TX-001',
    version: 1,
    title: 'NetworkPolicy covers ingress and egress',
    severity: 'high',
    category: 'transmission',
    rationale:
      'Default-deny with explicit allows limits who can reach a PHI service and where it can send data.',
    remediation: {
      text: 'Add a NetworkPolicy selecting the pods with both Ingress and Egress policy types.',
      yaml: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]',
    },
    applicability: workload,
    hipaa: [...TX, '164.312(c)(1)', '164.308(a)(4)(ii)(B)'],
    anchors: {
      polaris: 'missingNetworkPolicy',
      kubescape: 'C-0260, C-0030',
      trivy: 'KSV-0038',
      cis: '5.3.2',
      stackrox: 'HIPAA 312.c, 312.e',
    },
    needs: ['NetworkPolicy'],
    evaluate: (o, ctx) => {
      const pod = o && podSpecOf(o);
      if (!pod) return notApplicable('No pod template');
      const policies = ctx
        .inNamespace(o!.cluster, o!.namespace ?? '', 'NetworkPolicy')
        .filter(p =>
          selects((p.object as any).spec?.podSelector ?? {}, pod.labels),
        );
      const types = new Set<string>(
        policies.flatMap(
          p => (p.object as any).spec?.policyTypes ?? ['Ingress'],
        ),
      );
      const evidence: Evidence[] = policies.map(p =>
        ev(
          p,
          'spec.policyTypes',
          (p.object as any).spec?.policyTypes ?? ['Ingress'],
        ),
      );
      if (policies.length === 0)
        return fail('No NetworkPolicy selects the pods', [
          ev(
            o!,
            `${pod.path.replace(/\.spec$/, '')}.metadata.labels`,
            pod.labels,
          ),
        ]);
      return types.has('Ingress') && types.has('Egress')
        ? pass('Ingress and egress are restricted', evidence)
        : fail(`Only ${[...types].join(', ')} is restricted`, evidence);
    },
  },
  {
    id: 'K8S-TX-002',
    version: 1,
    title: 'Ingress hosts use TLS',
    severity: 'high',
    category: 'transmission',
    rationale: 'ePHI in transit over public networks must be encrypted.',
    remediation: {
      text: 'Add a tls section covering every host.',
      yaml: 'spec:\n  tls:\n    - hosts: [my-service.example]\n      secretName: my-service-tls',
    },
    applicability: workload,
    hipaa: [...TX, '164.312(e)(2)(ii)'],
    anchors: { polaris: 'tlsSettingsMissing', kubescape: 'C-0263' },
    needs: ['Service', 'Ingress'],
    evaluate: (o, ctx) => {
      if (!o || !podSpecOf(o)) return notApplicable('No pod template');
      const ingresses = ingressesOf(o, ctx);
      if (ingresses.length === 0)
        return notApplicable('No Ingress routes to the workload');
      const evidence: Evidence[] = [];
      for (const i of ingresses) {
        const spec: any = (i.object as any).spec ?? {};
        const covered = new Set<string>(
          (spec.tls ?? []).flatMap((t: any) => t.hosts ?? []),
        );
        (spec.rules ?? []).forEach(
          (r: any, n: number) =>
            r.host &&
            !covered.has(r.host) &&
            evidence.push(ev(i, `spec.rules[${n}].host`, `${r.host} (no tls)`)),
        );
      }
      return evidence.length
        ? fail('An Ingress host has no TLS', evidence)
        : pass(
            'Every Ingress host has TLS',
            ingresses.map(i => ev(i, 'spec.tls', 'present')),
          );
    },
  },
  {
    id: 'K8S-TX-003',
    version: 1,
    title: 'PHI services not exposed on nodes or external IPs',
    severity: 'high',
    category: 'transmission',
    rationale:
      'NodePort, LoadBalancer and externalIPs expose a PHI service outside the controlled ingress path.',
    remediation: {
      text: 'Use a ClusterIP Service behind the Ingress controller.',
      yaml: 'spec:\n  type: ClusterIP',
    },
    applicability: { ...workload, phiOnly: true },
    hipaa: TX,
    anchors: {
      kubescape: 'C-0256, C-0266',
      trivy: 'KSV-0108',
      kyverno: 'restrict-node-port, restrict-service-external-ips',
    },
    policyReportPolicies: [
      'restrict-node-port',
      'restrict-service-external-ips',
    ],
    needs: ['Service'],
    evaluate: (o, ctx) => {
      if (!o || !podSpecOf(o)) return notApplicable('No pod template');
      const services = servicesOf(o, ctx);
      if (services.length === 0)
        return notApplicable('No Service selects the workload');
      const evidence: Evidence[] = [];
      for (const s of services) {
        const spec: any = (s.object as any).spec ?? {};
        if (spec.type === 'NodePort' || spec.type === 'LoadBalancer')
          evidence.push(ev(s, 'spec.type', spec.type));
        if (spec.externalIPs?.length)
          evidence.push(ev(s, 'spec.externalIPs', spec.externalIPs));
      }
      return evidence.length
        ? fail('A Service exposes the workload outside the cluster', evidence)
        : pass('Only ClusterIP Services');
    },
  },
  {
    id: 'K8S-TX-004',
    version: 1,
    title: 'In-cluster traffic encrypted by a mesh',
    severity: 'medium',
    category: 'transmission',
    rationale:
      'Mutual TLS between pods protects ePHI on the cluster network (addressable encryption in transit).',
    remediation: {
      text: 'Enrol the namespace in the mesh with STRICT mTLS.',
      yaml: 'metadata:\n  labels:\n    istio.io/rev: stable',
    },
    applicability: workload,
    hipaa: [...TX, '164.312(e)(2)(i)', '164.312(e)(2)(ii)'],
    anchors: {
      kyverno: 'enforce-strict-mtls, enforce-sidecar-injection-namespace',
    },
    needs: ['Namespace'],
    evaluate: (o, ctx) => {
      if (!o?.namespace) return notApplicable('Not namespaced');
      const ns = ctx.namespace(o.cluster, o.namespace);
      if (!ns)
        return {
          status: 'unknown',
          message: `Namespace ${o.namespace} is not in the cache`,
          evidence: [],
        };
      const labels = ns.object.metadata.labels ?? {};
      const annotations = ns.object.metadata.annotations ?? {};
      if (labels['istio-injection'] === 'enabled')
        return pass('Istio sidecar injection', [
          ev(ns, "metadata.labels['istio-injection']", 'enabled'),
        ]);
      if (labels['istio.io/rev'])
        return pass('Istio revision', [
          ev(ns, "metadata.labels['istio.io/rev']", labels['istio.io/rev']),
        ]);
      if (labels['istio.io/dataplane-mode'] === 'ambient')
        return pass('Istio ambient', [
          ev(ns, "metadata.labels['istio.io/dataplane-mode']", 'ambient'),
        ]);
      if (annotations['linkerd.io/inject'] === 'enabled')
        return pass('Linkerd injection', [
          ev(ns, "metadata.annotations['linkerd.io/inject']", 'enabled'),
        ]);
      return fail('The namespace is not in a mesh', [
        ev(ns, 'metadata.labels', 'no istio / linkerd enrolment'),
      ]);
    },
  },
  {
    id: 'K8S-TX-005',
    version: 1,
    title: 'Control-plane TLS (cluster)',
    severity: 'high',
    category: 'transmission',
    rationale:
      'etcd, kubelet and API server traffic carries Secrets and PHI-bearing objects.',
    remediation: {
      text: 'Configure TLS flags and label the cluster compliance.careplane.io/control-plane-tls=true.',
      yaml: '--tls-cert-file=…\n--etcd-certfile=…',
    },
    applicability: { target: 'entity', entityKinds: ['Component', 'Resource'] },
    hipaa: [...TX, '164.312(e)(2)(ii)'],
    anchors: {
      kubescape: 'C-0070',
      trivy: 'KCV-0026…0030',
      cis: '1.2.x, 2.x, 4.2.x',
    },
    evaluate: clusterFact('control-plane-tls', 'Control-plane TLS'),
  },
];
