import type { ObjectEnvelope } from '@careplane/plugin-clusters-common';
import {
  containersOf,
  ev,
  fail,
  notApplicable,
  pass,
  podSpecOf,
  POD_KINDS,
  REPLICATED_KINDS,
  replicasOf,
  selects,
} from '../pod';
import type { ComplianceCheck, EvalContext, Evidence } from '../types';

const AV = ['164.308(a)(7)(ii)(B)', '164.308(a)(7)(ii)(E)'];

function hpaOf(
  o: ObjectEnvelope,
  ctx: EvalContext,
): ObjectEnvelope | undefined {
  return ctx
    .inNamespace(o.cluster, o.namespace ?? '', 'HorizontalPodAutoscaler')
    .find(h => {
      const ref = (h.object as any).spec?.scaleTargetRef;
      return ref?.kind === o.kind && ref?.name === o.name;
    });
}

/** Availability and contingency checks (164.308(a)(7)). @public */
export const availabilityChecks: ComplianceCheck[] = [
  {
    id: 'K8S-AV-001',
    version: 2,
    title: 'Autoscaled, at least two replicas, in production',
    severity: 'medium',
    category: 'availability',
    rationale:
      'One replica means one node failure makes ePHI unavailable, and without a HorizontalPodAutoscaler a load spike does (emergency mode operation).',
    remediation: {
      text: 'Add a HorizontalPodAutoscaler for the workload with minReplicas ≥ 2.',
      yaml: 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nspec:\n  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: my-service }\n  minReplicas: 2\n  maxReplicas: 6',
    },
    applicability: {
      target: 'workload',
      kinds: REPLICATED_KINDS,
      productionOnly: true,
    },
    hipaa: AV,
    anchors: { polaris: 'deploymentMissingReplicas, hpaMinAvailability' },
    needs: ['HorizontalPodAutoscaler'],
    evaluate: (o, ctx) => {
      if (!o) return notApplicable('No workload');
      const hpa = hpaOf(o, ctx);
      if (hpa) {
        const min = (hpa.object as any).spec?.minReplicas ?? 1;
        const e = [ev(hpa, 'spec.minReplicas', min)];
        return min >= 2
          ? pass(`HPA keeps at least ${min}`, e)
          : fail(`HPA allows ${min} replica`, e);
      }
      const n = replicasOf(o);
      return fail(
        n >= 2
          ? `No HorizontalPodAutoscaler (${n} fixed replicas)`
          : `No HorizontalPodAutoscaler and ${n} replica`,
        [
          ev(o, 'spec.replicas', n),
          ev(o, 'HorizontalPodAutoscaler', 'none targets this workload'),
        ],
      );
    },
  },
  {
    id: 'K8S-AV-002',
    version: 1,
    title: 'PodDisruptionBudget allows a disruption',
    severity: 'low',
    category: 'availability',
    rationale:
      'A PDB keeps the service up during node drains, without blocking them.',
    remediation: {
      text: 'Add a PDB selecting the pods with maxUnavailable: 1.',
      yaml: 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app: my-service',
    },
    applicability: { target: 'workload', kinds: REPLICATED_KINDS },
    hipaa: AV,
    anchors: { polaris: 'missingPodDisruptionBudget, pdbDisruptionsIsZero' },
    needs: ['PodDisruptionBudget'],
    evaluate: (o, ctx) => {
      const pod = o && podSpecOf(o);
      if (!pod) return notApplicable('No pod template');
      const pdb = ctx
        .inNamespace(o!.cluster, o!.namespace ?? '', 'PodDisruptionBudget')
        .find(p => selects((p.object as any).spec?.selector, pod.labels));
      if (!pdb)
        return fail('No PodDisruptionBudget selects the pods', [
          ev(o!, 'spec.template.metadata.labels', pod.labels),
        ]);
      const spec: any = (pdb.object as any).spec ?? {};
      const replicas = replicasOf(o!);
      const zero =
        spec.maxUnavailable === 0 ||
        spec.maxUnavailable === '0%' ||
        (typeof spec.minAvailable === 'number' &&
          spec.minAvailable >= replicas) ||
        spec.minAvailable === '100%';
      const e = [
        ev(
          pdb,
          spec.maxUnavailable !== undefined
            ? 'spec.maxUnavailable'
            : 'spec.minAvailable',
          spec.maxUnavailable ?? spec.minAvailable,
        ),
      ];
      return zero
        ? fail('The PDB allows no disruption', e)
        : pass('A PDB allows a disruption', e);
    },
  },
  {
    id: 'K8S-AV-003',
    version: 1,
    title: 'Liveness and readiness probes',
    severity: 'low',
    category: 'availability',
    rationale: 'Probes take broken replicas out of service and restart them.',
    remediation: {
      text: 'Add readinessProbe and livenessProbe to every container.',
      yaml: 'readinessProbe:\n  httpGet: { path: /healthz/ready, port: http }\nlivenessProbe:\n  httpGet: { path: /healthz/live, port: http }',
    },
    applicability: {
      target: 'workload',
      kinds: [...REPLICATED_KINDS, 'DaemonSet'],
    },
    hipaa: AV,
    anchors: {
      polaris: 'livenessProbeMissing, readinessProbeMissing',
      kubescape: 'C-0056, C-0018',
      kyverno: 'require-probes',
    },
    policyReportPolicies: ['require-probes'],
    evaluate: o => {
      const pod = o && podSpecOf(o);
      if (!pod) return notApplicable('No pod template');
      const evidence: Evidence[] = [];
      (pod.spec.containers ?? []).forEach((c: any, i: number) => {
        if (!c.readinessProbe)
          evidence.push(
            ev(o!, `${pod.path}.containers[${i}].readinessProbe`, 'absent'),
          );
        if (!c.livenessProbe)
          evidence.push(
            ev(o!, `${pod.path}.containers[${i}].livenessProbe`, 'absent'),
          );
      });
      return evidence.length
        ? fail('A probe is missing', evidence)
        : pass('Every container has both probes');
    },
  },
  {
    id: 'K8S-AV-004',
    version: 1,
    title: 'CPU and memory requests, memory limit',
    severity: 'low',
    category: 'availability',
    rationale:
      'Without requests and a memory limit a noisy neighbour can starve a PHI service.',
    remediation: {
      text: 'Set requests and a memory limit.',
      yaml: 'resources:\n  requests: { cpu: 250m, memory: 256Mi }\n  limits: { memory: 512Mi }',
    },
    applicability: { target: 'workload', kinds: POD_KINDS },
    hipaa: AV,
    anchors: {
      polaris: 'cpuRequestsMissing, memoryRequestsMissing, memoryLimitsMissing',
      kubescape: 'C-0270, C-0271, C-0004, C-0050',
      trivy: 'KSV-0011, KSV-0015, KSV-0016, KSV-0018',
      kyverno: 'require-pod-requests-limits',
    },
    policyReportPolicies: [
      'require-pod-requests-limits',
      'require-requests-limits',
    ],
    evaluate: o => {
      const pod = o && podSpecOf(o);
      if (!pod) return notApplicable('No pod template');
      const evidence: Evidence[] = [];
      for (const { container, path } of containersOf(pod.spec, pod.path).filter(
        c => !c.path.includes('ephemeral'),
      )) {
        const r = container.resources ?? {};
        if (!r.requests?.cpu)
          evidence.push(ev(o!, `${path}.resources.requests.cpu`, 'absent'));
        if (!r.requests?.memory)
          evidence.push(ev(o!, `${path}.resources.requests.memory`, 'absent'));
        if (!r.limits?.memory)
          evidence.push(ev(o!, `${path}.resources.limits.memory`, 'absent'));
      }
      return evidence.length
        ? fail('Requests or memory limit missing', evidence)
        : pass('Requests and memory limits set');
    },
  },
  {
    id: 'K8S-AV-005',
    version: 1,
    title: 'PHI StatefulSet volumes backed up',
    severity: 'high',
    category: 'availability',
    rationale:
      'A data backup plan is required for ePHI (164.308(a)(7)(ii)(A)).',
    remediation: {
      text: 'Opt the volumes into Velero file-system backup on the pod template.',
      yaml: 'template:\n  metadata:\n    annotations:\n      backup.velero.io/backup-volumes: data',
    },
    applicability: {
      target: 'workload',
      kinds: ['StatefulSet'],
      phiOnly: true,
    },
    hipaa: ['164.308(a)(7)(ii)(A)'],
    anchors: { kyverno: 'kasten-* policies' },
    evaluate: o => {
      if (!o) return notApplicable('No workload');
      const spec: any = (o.object as any).spec ?? {};
      if (!(spec.volumeClaimTemplates ?? []).length)
        return notApplicable('No persistent volumes');
      const a =
        spec.template?.metadata?.annotations?.[
          'backup.velero.io/backup-volumes'
        ];
      const e = [
        ev(
          o,
          "spec.template.metadata.annotations['backup.velero.io/backup-volumes']",
          a ?? 'absent',
        ),
      ];
      return a
        ? pass('Volumes are in the backup', e)
        : fail('No backup annotation', e);
    },
  },
];
