import type { ObjectEnvelope } from '@careplane/plugin-clusters-common';
import {
  containersOf,
  ev,
  fail,
  notApplicable,
  pass,
  podSpecOf,
  POD_KINDS,
  unknown,
} from '../pod';
import {
  findingIsAbout,
  IMPORTED_FINDINGS_CHECK,
  importPolicyReport,
} from '../policyReport';
import type { ComplianceCheck, EvalContext, Evidence } from '../types';

const workload = { target: 'workload' as const, kinds: POD_KINDS };
const INT = ['164.312(c)(1)'];

function images(o: ObjectEnvelope): Array<{ image: string; path: string }> {
  const pod = podSpecOf(o);
  if (!pod) return [];
  return containersOf(pod.spec, pod.path).map(({ container, path }) => ({
    image: String(container.image ?? ''),
    path: `${path}.image`,
  }));
}

/** Registry host of an image reference (`docker.io` when none). @public */
export function registryOf(image: string): string {
  const first = image.split('/')[0];
  return image.includes('/') &&
    (first.includes('.') || first.includes(':') || first === 'localhost')
    ? first
    : 'docker.io';
}

/** Tag of an image reference, or undefined; `digest` when pinned by digest. @public */
export function imageTag(image: string): { tag?: string; digest: boolean } {
  const digest = image.includes('@sha256:');
  const name = image.split('@')[0];
  const last = name.split('/').pop() ?? '';
  const i = last.indexOf(':');
  return { tag: i >= 0 ? last.slice(i + 1) : undefined, digest };
}

function vulnReports(o: ObjectEnvelope, ctx: EvalContext) {
  return ctx
    .inNamespace(o.cluster, o.namespace ?? '', 'VulnerabilityReport')
    .filter(
      r =>
        r.object.metadata.labels?.['trivy-operator.resource.name'] === o.name &&
        r.object.metadata.labels?.['trivy-operator.resource.kind'] === o.kind,
    );
}

/** Mapping of PolicyReport policy names to this file's checks is in the definitions. Integrity checks (164.312(c)). @public */
export const integrityChecks: ComplianceCheck[] = [
  {
    id: 'K8S-INT-001',
    version: 1,
    title: 'Read-only root file system',
    severity: 'medium',
    category: 'integrity',
    rationale:
      'A writable root file system lets an attacker change binaries and configuration of a running PHI service.',
    remediation: {
      text: 'Set readOnlyRootFilesystem: true and mount an emptyDir for scratch space.',
      yaml: 'securityContext:\n  readOnlyRootFilesystem: true',
    },
    applicability: workload,
    hipaa: INT,
    anchors: {
      polaris: 'notReadOnlyRootFilesystem',
      kubescape: 'C-0017',
      trivy: 'KSV-0014',
      kyverno: 'require-ro-rootfs',
    },
    policyReportPolicies: ['require-ro-rootfs'],
    evaluate: o => {
      const pod = o && podSpecOf(o);
      if (!pod) return notApplicable('No pod template');
      const evidence = containersOf(pod.spec, pod.path)
        .filter(
          ({ container }) =>
            container.securityContext?.readOnlyRootFilesystem !== true,
        )
        .map(({ container, path }) =>
          ev(
            o!,
            `${path}.securityContext.readOnlyRootFilesystem`,
            container.securityContext?.readOnlyRootFilesystem ?? 'absent',
          ),
        );
      return evidence.length
        ? fail('A container has a writable root file system', evidence)
        : pass('Every root file system is read-only');
    },
  },
  {
    id: 'K8S-INT-002',
    version: 1,
    title: 'Images pinned (no :latest; digest for PHI)',
    severity: 'medium',
    category: 'integrity',
    rationale:
      'A mutable tag means the code that runs is not the code that was reviewed; PHI services need the digest.',
    remediation: {
      text: 'Reference the image by an immutable version, and by digest for PHI services.',
      yaml: 'image: registry.example/my-service:1.4.2@sha256:…',
    },
    applicability: workload,
    hipaa: [...INT, '164.308(a)(5)(ii)(B)'],
    anchors: {
      polaris: 'tagNotSpecified',
      kubescape: 'C-0075',
      trivy: 'KSV-0013',
      kyverno: 'disallow-latest-tag',
    },
    policyReportPolicies: ['disallow-latest-tag'],
    evaluate: (o, ctx) => {
      if (!o || !podSpecOf(o)) return notApplicable('No pod template');
      const evidence: Evidence[] = [];
      let hard = false;
      for (const { image, path } of images(o)) {
        const { tag, digest } = imageTag(image);
        if (!digest && (!tag || tag === 'latest')) {
          hard = true;
          evidence.push(ev(o, path, image));
        } else if (!digest && ctx.phi) {
          evidence.push(ev(o, path, image));
        }
      }
      if (hard) return fail('An image has no tag or uses :latest', evidence);
      return evidence.length
        ? fail('A PHI image is not pinned by digest', evidence)
        : pass('Every image is pinned');
    },
  },
  {
    id: 'K8S-INT-003',
    version: 1,
    title: 'Images from allowed registries',
    severity: 'high',
    category: 'integrity',
    rationale:
      'Images from unvetted registries bypass the organisation’s scanning and signing.',
    remediation: {
      text: 'Pull from an allowed registry (config compliance.checks.allowedRegistries).',
      yaml: 'image: registry.northwind-health.example/my-service:1.4.2',
    },
    applicability: workload,
    hipaa: [...INT, '164.308(a)(5)(ii)(B)'],
    anchors: {
      kubescape: 'C-0078',
      trivy: 'KSV-0125',
      kyverno: 'restrict-image-registries',
    },
    policyReportPolicies: ['restrict-image-registries'],
    evaluate: (o, ctx) => {
      if (!o || !podSpecOf(o)) return notApplicable('No pod template');
      if (ctx.options.allowedRegistries.length === 0)
        return unknown(
          'No allowed registries are configured (compliance.checks.allowedRegistries)',
        );
      const evidence = images(o)
        .filter(
          i => !ctx.options.allowedRegistries.includes(registryOf(i.image)),
        )
        .map(i => ev(o, i.path, i.image));
      return evidence.length
        ? fail('An image comes from a registry not allowed', evidence)
        : pass('Every image comes from an allowed registry');
    },
  },
  {
    id: 'K8S-INT-004',
    version: 1,
    title: 'Image signatures verified',
    severity: 'high',
    category: 'integrity',
    rationale:
      'A verified signature proves the image was built by the organisation’s pipeline.',
    remediation: {
      text: 'Enforce a Kyverno verifyImages policy for the namespace.',
      yaml: 'kind: ClusterPolicy\nspec:\n  rules:\n    - name: verify-signature\n      verifyImages:\n        - imageReferences: ["registry.example/*"]',
    },
    applicability: workload,
    hipaa: [...INT, '164.312(c)(2)'],
    anchors: { kubescape: 'C-0236, C-0237', kyverno: 'verify-image' },
    needs: ['PolicyReport'],
    evaluate: (o, ctx) => {
      if (!o) return notApplicable('No workload');
      const findings = ctx
        .inNamespace(o.cluster, o.namespace ?? '', 'PolicyReport')
        .flatMap(r => importPolicyReport(r, new Map()))
        .filter(f => /verify-?image/i.test(f.policy) && findingIsAbout(f, o));
      if (findings.length === 0)
        return unknown('No verifyImages result for this workload');
      const evidence = findings.map(f => ({
        object: f.report,
        path: `results[policy=${f.policy}]`,
        value: f.status,
      }));
      return findings.some(f => f.status === 'fail')
        ? fail('An image signature did not verify', evidence)
        : pass('Image signatures verified', evidence);
    },
  },
  {
    id: 'K8S-INT-005',
    version: 1,
    title: 'No critical vulnerabilities in running images',
    severity: 'high',
    category: 'integrity',
    rationale:
      'Known critical CVEs are the commonest way in (malicious software protection).',
    remediation: {
      text: 'Rebuild on a patched base image and redeploy.',
      yaml: 'image: registry.example/my-service:1.4.3',
    },
    applicability: workload,
    hipaa: [...INT, '164.308(a)(5)(ii)(B)'],
    anchors: { trivy: 'VulnerabilityReport', stackrox: '306.e' },
    needs: ['VulnerabilityReport'],
    evaluate: (o, ctx) => {
      if (!o) return notApplicable('No workload');
      const reports = vulnReports(o, ctx);
      if (reports.length === 0)
        return unknown('No VulnerabilityReport for this workload');
      const evidence = reports.map(r =>
        ev(
          r,
          'report.summary.criticalCount',
          (r.object as any).report?.summary?.criticalCount ?? 0,
        ),
      );
      return reports.some(
        r => ((r.object as any).report?.summary?.criticalCount ?? 0) > 0,
      )
        ? fail('A running image has critical CVEs', evidence)
        : pass('No critical CVEs', evidence);
    },
  },
  {
    id: 'K8S-INT-006',
    version: 1,
    title: 'Images scanned recently',
    severity: 'medium',
    category: 'integrity',
    rationale:
      'A scanner must look at every running image regularly (StackRox "image scanner in use").',
    remediation: {
      text: 'Install the Trivy operator (or keep its reports fresh).',
      yaml: 'helm install trivy-operator aqua/trivy-operator -n trivy-system',
    },
    applicability: workload,
    hipaa: ['164.308(a)(1)(ii)(A)', '164.308(a)(1)(ii)(B)'],
    anchors: { stackrox: '308.a.1.i, 308.a.1.ii.b' },
    needs: ['VulnerabilityReport'],
    evaluate: (o, ctx) => {
      if (!o) return notApplicable('No workload');
      const reports = vulnReports(o, ctx);
      if (reports.length === 0)
        return fail('No vulnerability report for this workload', [
          ev(o, 'metadata.name', o.name),
        ]);
      const maxAge = ctx.options.maxReportAgeDays * 86_400_000;
      const evidence = reports.map(r =>
        ev(
          r,
          'metadata.creationTimestamp',
          r.object.metadata.creationTimestamp ?? 'absent',
        ),
      );
      const old = reports.some(
        r =>
          !r.object.metadata.creationTimestamp ||
          ctx.now - Date.parse(r.object.metadata.creationTimestamp) > maxAge,
      );
      return old
        ? fail(
            `A report is older than ${ctx.options.maxReportAgeDays} days`,
            evidence,
          )
        : pass('Reports are recent', evidence);
    },
  },
  {
    id: IMPORTED_FINDINGS_CHECK,
    version: 1,
    title: 'No failing in-cluster policy results',
    severity: 'medium',
    category: 'integrity',
    rationale:
      'Findings of in-cluster engines (Kyverno, Trivy, kube-bench adapters) as PolicyReports, for policies with no catalog check of their own.',
    remediation: {
      text: 'Fix what the policy message says, or request an exemption.',
      yaml: 'kubectl get policyreport -n <namespace> -o yaml',
    },
    applicability: workload,
    hipaa: INT,
    anchors: {
      kyverno: 'PolicyReport (wgpolicyk8s.io)',
      trivy: 'trivy-operator-polr-adapter',
    },
    needs: ['PolicyReport'],
    evaluate: (o, ctx) => {
      if (!o) return notApplicable('No workload');
      const findings = ctx
        .inNamespace(o.cluster, o.namespace ?? '', 'PolicyReport')
        .flatMap(r => importPolicyReport(r, new Map()))
        .filter(f => findingIsAbout(f, o));
      if (findings.length === 0)
        return notApplicable('No PolicyReport result about this workload');
      const failing = findings.filter(
        f => f.status === 'fail' && !ctx.mappedPolicies?.has(f.policy),
      );
      const evidence = failing.map(f => ({
        object: f.report,
        path: `results[policy=${f.policy}${f.rule ? `,rule=${f.rule}` : ''}]`,
        value: f.message,
      }));
      return failing.length
        ? fail('An in-cluster policy fails for this workload', evidence)
        : pass('No unmapped policy fails', []);
    },
  },
];
