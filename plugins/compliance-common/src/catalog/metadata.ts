import {
  ANNOTATION_DATA_CLASSIFICATION,
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
} from '@careplane/plugin-clusters-common';
import { fail, notApplicable, pass, unknown } from '../pod';
import type { CheckOutcome, ComplianceCheck, EvalContext } from '../types';

const entityKinds = {
  target: 'entity' as const,
  entityKinds: ['Component', 'Resource'],
};
const e = (ctx: EvalContext, path: string, value: string) => [
  { object: ctx.entity.entityRef, path, value },
];

/** Catalog metadata checks (164.308(a)(2), 164.308(a)(1)(ii)(A)). @public */
export const metadataChecks: ComplianceCheck[] = [
  {
    id: 'META-001',
    version: 1,
    title: 'Owned by a team',
    severity: 'high',
    category: 'metadata',
    rationale:
      'Assigned security responsibility: a team, not a person who may leave, answers for the service.',
    remediation: {
      text: 'Set spec.owner to a Group.',
      yaml: 'spec:\n  owner: group:default/clinical-records',
    },
    applicability: entityKinds,
    hipaa: ['164.308(a)(2)'],
    anchors: { kubescape: undefined, polaris: undefined },
    evaluate: (_o, ctx): CheckOutcome => {
      const owner = ctx.entity.owner;
      if (!owner) return fail('No owner', e(ctx, 'spec.owner', 'absent'));
      return owner.startsWith('group:')
        ? pass(`Owned by ${owner}`, e(ctx, 'spec.owner', owner))
        : fail(`Owned by ${owner}, not a group`, e(ctx, 'spec.owner', owner));
    },
  },
  {
    id: 'META-002',
    version: 1,
    title: 'Data classification declared',
    severity: 'high',
    category: 'metadata',
    rationale:
      'Whether a service handles PHI decides which checks apply (risk analysis).',
    remediation: {
      text: 'Annotate the entity with its data classification.',
      yaml: `metadata:\n  annotations:\n    ${ANNOTATION_DATA_CLASSIFICATION}: phi`,
    },
    applicability: entityKinds,
    hipaa: ['164.308(a)(1)(ii)(A)'],
    anchors: {},
    evaluate: (_o, ctx) => {
      const v = ctx.entity.annotations[ANNOTATION_DATA_CLASSIFICATION];
      const path = `metadata.annotations['${ANNOTATION_DATA_CLASSIFICATION}']`;
      if (!v) return fail('No data classification', e(ctx, path, 'absent'));
      return ['phi', 'internal', 'public'].includes(v)
        ? pass(`Classified ${v}`, e(ctx, path, v))
        : fail(`'${v}' is not phi, internal or public`, e(ctx, path, v));
    },
  },
  {
    id: 'META-003',
    version: 1,
    title: 'Mapped to running workloads',
    severity: 'medium',
    category: 'metadata',
    rationale:
      'Without a mapping to its workloads nothing about the service can be checked.',
    remediation: {
      text: 'Annotate the entity with its Kubernetes id and label its objects with it.',
      yaml: `metadata:\n  annotations:\n    ${ANNOTATION_KUBERNETES_ID}: my-service`,
    },
    applicability: entityKinds,
    hipaa: ['164.308(a)(1)(ii)(A)'],
    anchors: {},
    evaluate: (_o, ctx) => {
      const a = ctx.entity.annotations;
      const id =
        a[ANNOTATION_KUBERNETES_ID] ?? a[ANNOTATION_KUBERNETES_LABEL_SELECTOR];
      if (!id)
        return fail(
          'No Kubernetes annotation',
          e(
            ctx,
            `metadata.annotations['${ANNOTATION_KUBERNETES_ID}']`,
            'absent',
          ),
        );
      if (ctx.workloads.length === 0)
        return unknown('No workload found on any cluster');
      return pass(
        `${ctx.workloads.length} workload(s) found`,
        e(ctx, 'workloads', String(ctx.workloads.length)),
      );
    },
  },
  {
    id: 'META-004',
    version: 1,
    title: 'No unowned workloads in the PHI namespaces',
    severity: 'high',
    category: 'metadata',
    rationale:
      'A workload in a PHI namespace that no catalog entity claims has nobody answering for it.',
    remediation: {
      text: 'Label the workload with the owning entity’s id, or remove it.',
      yaml: 'metadata:\n  labels:\n    backstage.io/kubernetes-id: my-service',
    },
    applicability: { ...entityKinds, phiOnly: true },
    hipaa: ['164.308(a)(2)', '164.308(a)(1)(ii)(A)'],
    anchors: {},
    evaluate: (_o, ctx) => {
      if (ctx.workloads.length === 0) return notApplicable('No workloads');
      return ctx.unclaimed.length
        ? fail(
            'Workloads without an owner share the namespace',
            ctx.unclaimed.map(u => ({
              object: `${u.kind} ${u.namespace}/${u.name} on ${u.cluster}`,
              path: `metadata.labels['${ANNOTATION_KUBERNETES_ID}']`,
              value: 'absent',
            })),
          )
        : pass('Every workload in the namespaces has an owner');
    },
  },
  {
    id: 'META-005',
    version: 1,
    title: 'Runbook or TechDocs',
    severity: 'low',
    category: 'metadata',
    rationale:
      'Contingency plans need a written runbook reachable from the service.',
    remediation: {
      text: 'Add TechDocs or a runbook link.',
      yaml: 'metadata:\n  links:\n    - url: https://runbooks.example/my-service\n      title: Runbook\n      type: runbook',
    },
    applicability: entityKinds,
    hipaa: ['164.308(a)(7)(ii)(B)'],
    anchors: {},
    evaluate: (_o, ctx) => {
      if (ctx.entity.annotations['backstage.io/techdocs-ref'])
        return pass(
          'TechDocs',
          e(
            ctx,
            "metadata.annotations['backstage.io/techdocs-ref']",
            'present',
          ),
        );
      const link = (ctx.entity.links ?? []).find(l =>
        /runbook/i.test(`${l.type ?? ''} ${l.title ?? ''}`),
      );
      return link
        ? pass('Runbook link', e(ctx, 'metadata.links', link.title ?? link.url))
        : fail(
            'No TechDocs or runbook link',
            e(ctx, 'metadata.links', 'no runbook'),
          );
    },
  },
];
