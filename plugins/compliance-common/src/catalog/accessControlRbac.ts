import { ev, fail, notApplicable, pass, unknown } from '../pod';
import {
  bindingsOf,
  grants,
  isWildcard,
  rulesOf,
  serviceAccountOf,
} from '../rbac';
import type { ComplianceCheck, Evidence } from '../types';
import { AC, podCheck, verdict, workload } from './accessControl';

/** Access control checks of namespaces and RBAC (164.312(a)). @public */
export const namespaceAccessChecks: ComplianceCheck[] = [
  {
    id: 'K8S-AC-009',
    version: 1,
    title: 'Namespace enforces Pod Security',
    severity: 'high',
    category: 'access-control',
    rationale:
      'Pod Security Admission stops a non-compliant pod at admission; PHI namespaces need the restricted level.',
    remediation: {
      text: 'Label the namespace with pod-security.kubernetes.io/enforce (restricted for PHI).',
      yaml: 'metadata:\n  labels:\n    pod-security.kubernetes.io/enforce: restricted',
    },
    applicability: workload,
    hipaa: [...AC, '164.308(a)(4)'],
    anchors: {
      cis: '5.2.1',
      trivy: 'pss-baseline / pss-restricted',
      kubescape: 'C-0068',
    },
    needs: ['Namespace'],
    evaluate: (o, ctx) => {
      if (!o?.namespace) return notApplicable('Not namespaced');
      const ns = ctx.namespace(o.cluster, o.namespace);
      if (!ns) return unknown(`Namespace ${o.namespace} is not in the cache`);
      const level =
        ns.object.metadata.labels?.['pod-security.kubernetes.io/enforce'];
      const wanted = ctx.phi ? ['restricted'] : ['baseline', 'restricted'];
      const e = [
        ev(
          ns,
          "metadata.labels['pod-security.kubernetes.io/enforce']",
          level ?? 'absent',
        ),
      ];
      return level && wanted.includes(level)
        ? pass(`Pod Security ${level} is enforced`, e)
        : fail(
            `Pod Security enforce is ${level ?? 'not set'}; needs ${wanted.join(
              ' or ',
            )}`,
            e,
          );
    },
  },
  {
    id: 'K8S-AC-010',
    version: 1,
    title: 'Service account token not automounted',
    severity: 'medium',
    category: 'access-control',
    rationale:
      'A mounted API token lets anyone with a shell in the pod call the Kubernetes API as the workload.',
    remediation: {
      text: 'Set automountServiceAccountToken: false on the pod (or its ServiceAccount).',
      yaml: 'spec:\n  automountServiceAccountToken: false',
    },
    applicability: workload,
    hipaa: AC,
    anchors: {
      polaris: 'automountServiceAccountToken',
      kubescape: 'C-0034, C-0261',
      trivy: 'KSV-0036',
      cis: '5.1.6',
    },
    needs: ['ServiceAccount'],
    evaluate: podCheck((o, pod, ctx) => {
      const podValue = pod.spec.automountServiceAccountToken;
      if (podValue === false)
        return pass('The pod does not mount a token', [
          ev(o, `${pod.path}.automountServiceAccountToken`, false),
        ]);
      const saName = serviceAccountOf(pod.spec);
      const sa = ctx
        .inNamespace(o.cluster, o.namespace ?? '', 'ServiceAccount')
        .find(s => s.name === saName);
      if (
        podValue === undefined &&
        (sa?.object as any)?.automountServiceAccountToken === false
      ) {
        return pass('The ServiceAccount does not mount a token', [
          ev(sa!, 'automountServiceAccountToken', false),
        ]);
      }
      return fail('The service account token is mounted', [
        ev(o, `${pod.path}.automountServiceAccountToken`, podValue ?? 'absent'),
      ]);
    }),
  },
  {
    id: 'K8S-AC-011',
    version: 1,
    title: 'Own service account',
    severity: 'medium',
    category: 'access-control',
    rationale:
      'Unique workload identity: the namespace default ServiceAccount is shared by everything in the namespace.',
    remediation: {
      text: 'Create a ServiceAccount for the workload and name it in the pod spec.',
      yaml: 'spec:\n  serviceAccountName: my-service',
    },
    applicability: workload,
    hipaa: ['164.312(a)(2)(i)'],
    anchors: { cis: '5.1.5' },
    evaluate: podCheck((o, pod) => {
      const sa = serviceAccountOf(pod.spec);
      const e = [
        ev(
          o,
          `${pod.path}.serviceAccountName`,
          pod.spec.serviceAccountName ?? 'absent',
        ),
      ];
      return sa === 'default'
        ? fail('Runs as the default ServiceAccount', e)
        : pass(`Runs as ServiceAccount ${sa}`, e);
    }),
  },
  {
    id: 'K8S-AC-012',
    version: 1,
    title: 'No cluster-admin or wildcard RBAC for the workload',
    severity: 'critical',
    category: 'access-control',
    rationale:
      'A workload bound to cluster-admin or wildcard rules can read and change every PHI object.',
    remediation: {
      text: 'Bind the ServiceAccount to a Role listing only the resources and verbs it needs.',
      yaml: 'rules:\n  - apiGroups: [""]\n    resources: [configmaps]\n    verbs: [get]',
    },
    applicability: workload,
    hipaa: AC,
    anchors: {
      polaris: 'clusterrolebindingClusterAdmin',
      kubescape: 'C-0035, C-0187',
      trivy: 'KSV-0044, KSV-0045, KSV-0046',
      cis: '5.1.1, 5.1.3',
    },
    needs: ['Role', 'RoleBinding'],
    evaluate: podCheck((o, pod, ctx) => {
      const evidence: Evidence[] = [];
      for (const b of bindingsOf(
        ctx,
        o.cluster,
        o.namespace ?? '',
        serviceAccountOf(pod.spec),
      )) {
        if (
          b.roleRef.kind === 'ClusterRole' &&
          ['cluster-admin', 'admin'].includes(b.roleRef.name)
        ) {
          evidence.push(ev(b.binding, 'roleRef.name', b.roleRef.name));
        }
        if (b.role)
          for (const r of rulesOf(b.role))
            if (isWildcard(r.rule)) evidence.push(ev(b.role, r.path, r.rule));
      }
      return verdict(
        evidence,
        'The workload has admin or wildcard RBAC',
        'No admin or wildcard RBAC',
      );
    }),
  },
  {
    id: 'K8S-AC-013',
    version: 1,
    title: 'Workload cannot read Secrets through RBAC',
    severity: 'high',
    category: 'access-control',
    rationale:
      'A workload that can list Secrets can read every credential of its namespace.',
    remediation: {
      text: 'Mount the Secrets the workload needs instead of granting get/list/watch on secrets.',
      yaml: 'volumes:\n  - name: creds\n    secret:\n      secretName: my-service-secrets',
    },
    applicability: workload,
    hipaa: [...AC, '164.312(a)(2)(iv)'],
    anchors: {
      kubescape: 'C-0015, C-0186',
      trivy: 'KSV-0041, KSV-0113',
      cis: '5.1.2',
    },
    needs: ['Role', 'RoleBinding'],
    evaluate: podCheck((o, pod, ctx) => {
      const evidence: Evidence[] = [];
      for (const b of bindingsOf(
        ctx,
        o.cluster,
        o.namespace ?? '',
        serviceAccountOf(pod.spec),
      )) {
        if (b.role)
          for (const r of rulesOf(b.role))
            if (grants(r.rule, 'secrets', ['get', 'list', 'watch']))
              evidence.push(
                ev(b.role, `${r.path}.resources`, r.rule.resources),
              );
      }
      return verdict(
        evidence,
        'The workload can read Secrets',
        'The workload cannot read Secrets',
      );
    }),
  },
  {
    id: 'K8S-AC-014',
    version: 1,
    title: 'No Role grants pods/exec or pods/attach',
    severity: 'high',
    category: 'access-control',
    rationale:
      'Whoever can exec into a PHI pod can read patient data in memory and on disk.',
    remediation: {
      text: 'Remove pods/exec and pods/attach from Roles in the namespace; use audited break-glass access.',
      yaml: 'rules:\n  - apiGroups: [""]\n    resources: [pods, pods/log]\n    verbs: [get, list]',
    },
    applicability: workload,
    hipaa: [...AC, '164.308(a)(4)'],
    anchors: {
      polaris: 'rolePodExecAttach',
      kubescape: 'C-0002',
      trivy: 'KSV-0053, KSV-0054',
    },
    needs: ['Role'],
    evaluate: (o, ctx) => {
      if (!o?.namespace) return notApplicable('Not namespaced');
      const evidence = ctx
        .inNamespace(o.cluster, o.namespace, 'Role')
        .flatMap(role =>
          rulesOf(role)
            .filter(
              r =>
                grants(r.rule, 'pods/exec', ['create', 'get']) ||
                grants(r.rule, 'pods/attach', ['create', 'get']),
            )
            .map(r => ev(role, `${r.path}.resources`, r.rule.resources)),
        );
      return verdict(
        evidence,
        'A Role in the namespace grants pods/exec or pods/attach',
        'No Role grants exec or attach',
      );
    },
  },
  {
    id: 'K8S-AC-015',
    version: 1,
    title: 'No bindings to anonymous or all authenticated users',
    severity: 'critical',
    category: 'access-control',
    rationale:
      'Binding system:anonymous or system:authenticated gives anyone who reaches the API server access.',
    remediation: {
      text: 'Bind named groups or ServiceAccounts only.',
      yaml: 'subjects:\n  - kind: Group\n    name: clinical-records-oncall',
    },
    applicability: workload,
    hipaa: [...AC, '164.312(d)'],
    anchors: { kubescape: 'C-0262, C-0265', trivy: 'KSV-0122' },
    needs: ['RoleBinding'],
    evaluate: (o, ctx) => {
      if (!o?.namespace) return notApplicable('Not namespaced');
      const bad = [
        'system:anonymous',
        'system:unauthenticated',
        'system:authenticated',
      ];
      const evidence = ctx
        .inNamespace(o.cluster, o.namespace, 'RoleBinding')
        .flatMap(b =>
          ((b.object as any).subjects ?? []).flatMap((s: any, i: number) =>
            bad.includes(s.name) ? [ev(b, `subjects[${i}].name`, s.name)] : [],
          ),
        );
      return verdict(
        evidence,
        'A RoleBinding grants anonymous or all authenticated users',
        'No anonymous bindings',
      );
    },
  },
  {
    id: 'K8S-AC-016',
    version: 1,
    title: 'Not in the default or kube-system namespace',
    severity: 'low',
    category: 'access-control',
    rationale:
      'Shared namespaces mix permissions and policies of unrelated workloads.',
    remediation: {
      text: 'Deploy into the service’s own namespace.',
      yaml: 'metadata:\n  namespace: my-service',
    },
    applicability: workload,
    hipaa: ['164.308(a)(4)'],
    anchors: {
      kubescape: 'C-0061',
      trivy: 'KSV-0110, KSV-0037',
      kyverno: 'disallow-default-namespace',
    },
    policyReportPolicies: ['disallow-default-namespace'],
    evaluate: o => {
      if (!o?.namespace) return notApplicable('Not namespaced');
      const e = [ev(o, 'metadata.namespace', o.namespace)];
      return ['default', 'kube-system'].includes(o.namespace)
        ? fail(`Runs in ${o.namespace}`, e)
        : pass(`Runs in ${o.namespace}`, e);
    },
  },
];
