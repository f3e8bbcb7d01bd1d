import { ev, fail, notApplicable, pass, POD_KINDS } from '../pod';
import { grants, rulesOf } from '../rbac';
import type { ComplianceCheck } from '../types';
import { clusterFact } from './clusterFacts';

const workload = { target: 'workload' as const, kinds: POD_KINDS };
const AUD = ['164.312(b)'];

/** Audit control checks (164.312(b), 164.308(a)(1)(ii)(D), 164.308(a)(6)). @public */
export const auditChecks: ComplianceCheck[] = [
  {
    id: 'K8S-AUD-001',
    version: 1,
    title: 'API-server audit logging (cluster)',
    severity: 'high',
    category: 'audit',
    rationale:
      'Who read or changed PHI-bearing objects must be recorded and kept.',
    remediation: {
      text: 'Enable audit logging with retention and label the cluster compliance.careplane.io/audit-logging=true.',
      yaml: '--audit-log-path=/var/log/kube-audit.log\n--audit-log-maxage=30\n--audit-policy-file=/etc/kubernetes/audit-policy.yaml',
    },
    applicability: { target: 'entity', entityKinds: ['Component', 'Resource'] },
    hipaa: AUD,
    anchors: {
      kubescape: 'C-0067',
      trivy: 'KCV-0019…0022',
      cis: '1.2.16-1.2.19, 3.2.1-3.2.2',
    },
    evaluate: clusterFact('audit-logging', 'API-server audit logging'),
  },
  {
    id: 'K8S-AUD-002',
    version: 1,
    title: 'Runtime detection on the nodes (cluster)',
    severity: 'medium',
    category: 'audit',
    rationale:
      'Runtime detection (Falco, Tetragon, ACS) records suspicious activity inside PHI pods.',
    remediation: {
      text: 'Run a runtime sensor DaemonSet and label the cluster compliance.careplane.io/runtime-detection=true.',
      yaml: 'helm install falco falcosecurity/falco -n falco',
    },
    applicability: { target: 'entity', entityKinds: ['Component', 'Resource'] },
    hipaa: [...AUD, '164.308(a)(1)(ii)(D)'],
    anchors: { stackrox: '310.d' },
    evaluate: clusterFact('runtime-detection', 'Runtime detection'),
  },
  {
    id: 'K8S-AUD-003',
    version: 1,
    title: 'No Role may delete Events',
    severity: 'medium',
    category: 'audit',
    rationale:
      'Deleting Events erases the trail of what happened to a PHI workload.',
    remediation: {
      text: 'Remove delete / deletecollection on events from Roles.',
      yaml: 'rules:\n  - apiGroups: [""]\n    resources: [events]\n    verbs: [get, list, watch]',
    },
    applicability: workload,
    hipaa: AUD,
    anchors: { kubescape: 'C-0031', trivy: 'KSV-0042' },
    needs: ['Role'],
    evaluate: (o, ctx) => {
      if (!o?.namespace) return notApplicable('Not namespaced');
      const evidence = ctx
        .inNamespace(o.cluster, o.namespace, 'Role')
        .flatMap(role =>
          rulesOf(role)
            .filter(r =>
              grants(r.rule, 'events', ['delete', 'deletecollection']),
            )
            .map(r => ev(role, `${r.path}.verbs`, r.rule.verbs)),
        );
      return evidence.length
        ? fail('A Role can delete Events', evidence)
        : pass('No Role can delete Events');
    },
  },
  {
    id: 'K8S-AUD-004',
    version: 1,
    title: 'Admission policy enforced for the namespace',
    severity: 'medium',
    category: 'audit',
    rationale:
      'An admission engine (Pod Security Admission, Kyverno, Gatekeeper) keeps non-compliant changes out.',
    remediation: {
      text: 'Label the namespace with a Pod Security enforce level or run Kyverno in Enforce mode.',
      yaml: 'metadata:\n  labels:\n    pod-security.kubernetes.io/enforce: restricted',
    },
    applicability: workload,
    hipaa: ['164.308(a)(5)(ii)(B)'],
    anchors: {
      kubescape: 'C-0036, C-0039',
      cis: '5.2.1',
      stackrox: '308.a.5.ii.b',
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
      const level =
        ns.object.metadata.labels?.['pod-security.kubernetes.io/enforce'];
      const e = [
        ev(
          ns,
          "metadata.labels['pod-security.kubernetes.io/enforce']",
          level ?? 'absent',
        ),
      ];
      return level
        ? pass(`Pod Security Admission enforces ${level}`, e)
        : fail('No admission policy enforces anything here', e);
    },
  },
  {
    id: 'K8S-AUD-005',
    version: 1,
    title: 'Alert routing for the service',
    severity: 'low',
    category: 'audit',
    rationale:
      'Security incidents need someone to page (164.308(a)(6) response and reporting).',
    remediation: {
      text: 'Add an on-call annotation to the catalog entity.',
      yaml: 'metadata:\n  annotations:\n    pagerduty.com/service-id: PABC123',
    },
    applicability: { target: 'entity', entityKinds: ['Component', 'Resource'] },
    hipaa: ['164.308(a)(6)(ii)'],
    anchors: { stackrox: '308.a.6.ii' },
    evaluate: (_o, ctx) => {
      const keys = Object.keys(ctx.entity.annotations).filter(k =>
        /pagerduty|opsgenie|on-?call/i.test(k),
      );
      const e = keys.map(k => ({
        object: ctx.entity.entityRef,
        path: `metadata.annotations['${k}']`,
        value: 'present',
      }));
      return keys.length
        ? pass('Alerts are routed', e)
        : fail('No on-call annotation', [
            {
              object: ctx.entity.entityRef,
              path: 'metadata.annotations',
              value: 'no pagerduty / opsgenie / on-call annotation',
            },
          ]);
    },
  },
];
