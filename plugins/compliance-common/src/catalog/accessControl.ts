import type { ObjectEnvelope } from '@careplane/plugin-clusters-common';
import {
  containersOf,
  ev,
  fail,
  notApplicable,
  pass,
  podSpecOf,
  POD_KINDS,
} from '../pod';
import type { ComplianceCheck, Evidence, EvalContext } from '../types';

export const AC = ['164.312(a)(1)'];
export const workload = { target: 'workload' as const, kinds: POD_KINDS };

/** Evidence for every container whose value at `field` is bad. */
export function containerFindings(
  o: ObjectEnvelope,
  field: (sc: any, c: any) => { bad: boolean; path: string; value: unknown },
): Evidence[] {
  const pod = podSpecOf(o);
  if (!pod) return [];
  return containersOf(pod.spec, pod.path).flatMap(({ container, path }) => {
    const r = field(container.securityContext ?? {}, container);
    return r.bad ? [ev(o, `${path}.${r.path}`, r.value)] : [];
  });
}

export function noPodSpec(o: ObjectEnvelope | undefined) {
  return !o || !podSpecOf(o);
}

export function podCheck(
  fn: (
    o: ObjectEnvelope,
    pod: NonNullable<ReturnType<typeof podSpecOf>>,
    ctx: EvalContext,
  ) => ReturnType<ComplianceCheck['evaluate']>,
): ComplianceCheck['evaluate'] {
  return (o, ctx) =>
    noPodSpec(o)
      ? notApplicable('No pod template')
      : fn(o!, podSpecOf(o!)!, ctx);
}

export const verdict = (
  evidence: Evidence[],
  failMsg: string,
  passMsg: string,
) => (evidence.length ? fail(failMsg, evidence) : pass(passMsg));

/** Access control checks of the pod spec (164.312(a)). @public */
export const podAccessChecks: ComplianceCheck[] = [
  {
    id: 'K8S-AC-001',
    version: 1,
    title: 'No privileged containers',
    severity: 'critical',
    category: 'access-control',
    rationale:
      'A privileged container has every capability of the node: a compromise reaches every PHI workload on it.',
    remediation: {
      text: 'Remove `privileged: true` from every container.',
      yaml: 'securityContext:\n  privileged: false',
    },
    applicability: workload,
    hipaa: AC,
    anchors: {
      pss: 'baseline: Privileged Containers',
      polaris: 'runAsPrivileged',
      kubescape: 'C-0057',
      trivy: 'KSV-0017',
      kyverno: 'disallow-privileged-containers',
      cis: '5.2.2',
    },
    policyReportPolicies: ['disallow-privileged-containers'],
    evaluate: podCheck(o =>
      verdict(
        containerFindings(o, sc => ({
          bad: sc.privileged === true,
          path: 'securityContext.privileged',
          value: true,
        })),
        'A container runs privileged',
        'No container runs privileged',
      ),
    ),
  },
  {
    id: 'K8S-AC-002',
    version: 1,
    title: 'Privilege escalation disallowed',
    severity: 'high',
    category: 'access-control',
    rationale:
      'Without `allowPrivilegeEscalation: false` a process can gain more privileges than its parent (setuid binaries).',
    remediation: {
      text: 'Set `allowPrivilegeEscalation: false` on every container.',
      yaml: 'securityContext:\n  allowPrivilegeEscalation: false',
    },
    applicability: workload,
    hipaa: AC,
    anchors: {
      pss: 'restricted: Privilege Escalation',
      polaris: 'privilegeEscalationAllowed',
      kubescape: 'C-0016',
      trivy: 'KSV-0001',
      kyverno: 'disallow-privilege-escalation',
      cis: '5.2.6',
    },
    policyReportPolicies: ['disallow-privilege-escalation'],
    evaluate: podCheck(o =>
      verdict(
        containerFindings(o, sc => ({
          bad: sc.allowPrivilegeEscalation !== false,
          path: 'securityContext.allowPrivilegeEscalation',
          value: sc.allowPrivilegeEscalation ?? 'absent',
        })),
        'Privilege escalation is not disallowed',
        'Every container disallows privilege escalation',
      ),
    ),
  },
  {
    id: 'K8S-AC-003',
    version: 1,
    title: 'Runs as non-root',
    severity: 'high',
    category: 'access-control',
    rationale:
      'A root process in a container is root on the node after any container escape.',
    remediation: {
      text: 'Set `runAsNonRoot: true` and a non-zero `runAsUser` at pod level.',
      yaml: 'spec:\n  securityContext:\n    runAsNonRoot: true\n    runAsUser: 10001',
    },
    applicability: workload,
    hipaa: AC,
    anchors: {
      pss: 'restricted: Running as Non-root',
      polaris: 'runAsRootAllowed',
      kubescape: 'C-0013',
      trivy: 'KSV-0012, KSV-0105',
      kyverno: 'require-run-as-nonroot',
      cis: '5.2.7',
    },
    policyReportPolicies: [
      'require-run-as-nonroot',
      'require-run-as-non-root-user',
    ],
    evaluate: podCheck((o, pod) => {
      const podSc = pod.spec.securityContext ?? {};
      const evidence: Evidence[] = [];
      if (podSc.runAsUser === 0)
        evidence.push(ev(o, `${pod.path}.securityContext.runAsUser`, 0));
      for (const { container, path } of containersOf(pod.spec, pod.path)) {
        const sc = container.securityContext ?? {};
        if (sc.runAsUser === 0) {
          evidence.push(ev(o, `${path}.securityContext.runAsUser`, 0));
        } else if (sc.runAsNonRoot !== true && podSc.runAsNonRoot !== true) {
          evidence.push(
            ev(
              o,
              `${path}.securityContext.runAsNonRoot`,
              sc.runAsNonRoot ?? 'absent',
            ),
          );
        }
      }
      return verdict(
        evidence,
        'A container may run as root',
        'Every container runs as non-root',
      );
    }),
  },
  {
    id: 'K8S-AC-004',
    version: 1,
    title: 'No host namespaces',
    severity: 'critical',
    category: 'access-control',
    rationale:
      'hostPID, hostIPC and hostNetwork let a pod see and talk to every process and socket of the node.',
    remediation: {
      text: 'Remove hostPID, hostIPC and hostNetwork from the pod spec.',
      yaml: 'spec:\n  hostPID: false\n  hostIPC: false\n  hostNetwork: false',
    },
    applicability: workload,
    hipaa: AC,
    anchors: {
      pss: 'baseline: Host Namespaces',
      polaris: 'hostPIDSet, hostIPCSet, hostNetworkSet',
      kubescape: 'C-0038, C-0041',
      trivy: 'KSV-0008, KSV-0009, KSV-0010',
      kyverno: 'disallow-host-namespaces',
      cis: '5.2.3-5.2.5',
    },
    policyReportPolicies: ['disallow-host-namespaces'],
    evaluate: podCheck((o, pod) =>
      verdict(
        ['hostPID', 'hostIPC', 'hostNetwork']
          .filter(f => pod.spec[f] === true)
          .map(f => ev(o, `${pod.path}.${f}`, true)),
        'The pod shares a host namespace',
        'No host namespace is shared',
      ),
    ),
  },
  {
    id: 'K8S-AC-005',
    version: 1,
    title: 'Capabilities dropped',
    severity: 'high',
    category: 'access-control',
    rationale:
      'Linux capabilities such as SYS_ADMIN or NET_RAW widen what a compromised process can do.',
    remediation: {
      text: 'Drop ALL capabilities; add back only NET_BIND_SERVICE when needed.',
      yaml: 'securityContext:\n  capabilities:\n    drop: [ALL]',
    },
    applicability: workload,
    hipaa: AC,
    anchors: {
      pss: 'baseline: Capabilities; restricted: Capabilities',
      polaris: 'dangerousCapabilities, insecureCapabilities',
      kubescape: 'C-0046',
      trivy: 'KSV-0003, KSV-0022, KSV-0106',
      kyverno: 'disallow-capabilities, disallow-capabilities-strict',
      cis: '5.2.8-5.2.10',
    },
    policyReportPolicies: [
      'disallow-capabilities',
      'disallow-capabilities-strict',
    ],
    evaluate: podCheck(o =>
      verdict(
        containerFindings(o, sc => {
          const drop: string[] = sc.capabilities?.drop ?? [];
          const add: string[] = (sc.capabilities?.add ?? []).filter(
            (c: string) => c !== 'NET_BIND_SERVICE',
          );
          if (add.length)
            return {
              bad: true,
              path: 'securityContext.capabilities.add',
              value: add,
            };
          return {
            bad: !drop.includes('ALL'),
            path: 'securityContext.capabilities.drop',
            value: drop.length ? drop : 'absent',
          };
        }),
        'A container keeps or adds capabilities',
        'Every container drops ALL capabilities',
      ),
    ),
  },
  {
    id: 'K8S-AC-006',
    version: 1,
    title: 'No hostPath volumes',
    severity: 'high',
    category: 'access-control',
    rationale:
      'hostPath mounts expose the node file system (and container runtime sockets) to the pod.',
    remediation: {
      text: 'Use persistentVolumeClaim, emptyDir, configMap or secret volumes instead of hostPath.',
      yaml: 'volumes:\n  - name: data\n    persistentVolumeClaim:\n      claimName: data',
    },
    applicability: workload,
    hipaa: AC,
    anchors: {
      pss: 'baseline: HostPath Volumes',
      polaris: 'hostPathSet',
      kubescape: 'C-0048, C-0045, C-0074',
      trivy: 'KSV-0023, KSV-0006',
      kyverno: 'disallow-host-path',
      cis: '5.2.12',
    },
    policyReportPolicies: ['disallow-host-path'],
    evaluate: podCheck((o, pod) =>
      verdict(
        (pod.spec.volumes ?? []).flatMap((v: any, i: number) =>
          v.hostPath
            ? [
                ev(
                  o,
                  `${pod.path}.volumes[${i}].hostPath.path`,
                  v.hostPath.path,
                ),
              ]
            : [],
        ),
        'The pod mounts a hostPath volume',
        'No hostPath volume',
      ),
    ),
  },
  {
    id: 'K8S-AC-007',
    version: 1,
    title: 'No host ports',
    severity: 'medium',
    category: 'access-control',
    rationale:
      'hostPort binds the node interface and bypasses NetworkPolicies applied to pod IPs.',
    remediation: {
      text: 'Remove hostPort; expose through a Service.',
      yaml: 'ports:\n  - containerPort: 8080',
    },
    applicability: workload,
    hipaa: AC,
    anchors: {
      pss: 'baseline: Host Ports',
      polaris: 'hostPortSet',
      kubescape: 'C-0044',
      trivy: 'KSV-0024',
      kyverno: 'disallow-host-ports',
      cis: '5.2.13',
    },
    policyReportPolicies: ['disallow-host-ports'],
    evaluate: podCheck((o, pod) =>
      verdict(
        containersOf(pod.spec, pod.path).flatMap(({ container, path }) =>
          (container.ports ?? []).flatMap((p: any, i: number) =>
            p.hostPort
              ? [ev(o, `${path}.ports[${i}].hostPort`, p.hostPort)]
              : [],
          ),
        ),
        'A container binds a host port',
        'No host port',
      ),
    ),
  },
  {
    id: 'K8S-AC-008',
    version: 1,
    title: 'Seccomp RuntimeDefault and Linux hardening',
    severity: 'medium',
    category: 'access-control',
    rationale:
      'A seccomp profile limits the system calls a compromised process can make; custom SELinux, unsafe sysctls and procMount weaken isolation.',
    remediation: {
      text: 'Set a RuntimeDefault seccomp profile at pod level.',
      yaml: 'spec:\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault',
    },
    applicability: workload,
    hipaa: AC,
    anchors: {
      pss: 'baseline: Seccomp, AppArmor, SELinux, Sysctls, /proc Mount Type',
      polaris: 'linuxHardening, procMount',
      kubescape: 'C-0055',
      trivy: 'KSV-0030, KSV-0104',
      kyverno: 'restrict-seccomp, restrict-seccomp-strict',
    },
    policyReportPolicies: [
      'restrict-seccomp',
      'restrict-seccomp-strict',
      'restrict-apparmor-profiles',
      'disallow-selinux',
      'restrict-sysctls',
      'disallow-proc-mount',
    ],
    evaluate: podCheck((o, pod) => {
      const ok = (t: any) => t === 'RuntimeDefault' || t === 'Localhost';
      const podType = pod.spec.securityContext?.seccompProfile?.type;
      const evidence: Evidence[] = [];
      for (const { container, path } of containersOf(pod.spec, pod.path)) {
        const sc = container.securityContext ?? {};
        const t = sc.seccompProfile?.type ?? podType;
        if (!ok(t))
          evidence.push(
            ev(o, `${path}.securityContext.seccompProfile.type`, t ?? 'absent'),
          );
        if (sc.procMount && sc.procMount !== 'Default')
          evidence.push(
            ev(o, `${path}.securityContext.procMount`, sc.procMount),
          );
        if (sc.seLinuxOptions?.type)
          evidence.push(
            ev(
              o,
              `${path}.securityContext.seLinuxOptions.type`,
              sc.seLinuxOptions.type,
            ),
          );
        if (sc.appArmorProfile?.type === 'Unconfined')
          evidence.push(
            ev(o, `${path}.securityContext.appArmorProfile.type`, 'Unconfined'),
          );
      }
      (pod.spec.securityContext?.sysctls ?? []).forEach((s: any, i: number) =>
        evidence.push(
          ev(o, `${pod.path}.securityContext.sysctls[${i}].name`, s.name),
        ),
      );
      return verdict(
        evidence,
        'Seccomp or Linux hardening is missing',
        'Seccomp RuntimeDefault and no unsafe options',
      );
    }),
  },
];
