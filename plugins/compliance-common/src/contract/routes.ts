import { defineRoutes } from '@careplane/plugin-clusters-common';
import { z } from 'zod';
import { SAFEGUARDS } from '../catalog';
import {
  createExemptionSchema,
  decideExemptionSchema,
  entityHistorySchema,
  entityScorecardSchema,
  exemptionSchema,
  overviewSchema,
  severitySchema,
} from './schemas';

/** A check of the catalog as `GET /v1/checks` answers it. @public */
export const checkDefinitionSchema = z.object({
  id: z.string(),
  version: z.number(),
  title: z.string(),
  severity: severitySchema,
  category: z.enum([
    'access-control',
    'encryption',
    'integrity',
    'transmission',
    'audit',
    'authentication',
    'availability',
    'metadata',
  ]),
  rationale: z.string(),
  remediation: z.object({ text: z.string(), yaml: z.string().optional() }),
  applicability: z.object({
    target: z.enum(['workload', 'entity']),
    kinds: z.array(z.string()).optional(),
    phiOnly: z.boolean().optional(),
    productionOnly: z.boolean().optional(),
    entityKinds: z.array(z.string()).optional(),
  }),
  hipaa: z.array(z.string()),
  anchors: z.object({
    pss: z.string().optional(),
    polaris: z.string().optional(),
    kubescape: z.string().optional(),
    trivy: z.string().optional(),
    kyverno: z.string().optional(),
    cis: z.string().optional(),
    stackrox: z.string().optional(),
  }),
  needs: z.array(z.string()).optional(),
  policyReportPolicies: z.array(z.string()).optional(),
});

/** Query of `GET /v1/export`. @public */
export const exportQuerySchema = z.object({
  format: z.enum(['csv', 'json']).default('json'),
  entityRef: z.string().optional(),
  owner: z.string().optional(),
  system: z.string().optional(),
  safeguard: z
    .string()
    .refine(
      s => SAFEGUARDS.some(g => g.id === s),
      `must be one of ${SAFEGUARDS.map(s => s.id).join(', ')}`,
    )
    .optional(),
  phiOnly: z.enum(['true', 'false']).optional(),
});

/**
 * The route table of `/api/compliance` (the hub's contract pattern: the router validates with
 * these schemas, the clients are typed from {@link ComplianceRoutes}).
 * @public
 */
export const complianceRoutes = defineRoutes({
  checks: {
    method: 'GET',
    path: '/v1/checks',
    response: z.object({ items: z.array(checkDefinitionSchema) }),
  },
  scorecard: {
    method: 'GET',
    path: '/v1/entities/:kind/:namespace/:name',
    response: entityScorecardSchema,
  },
  history: {
    method: 'GET',
    path: '/v1/entities/:kind/:namespace/:name/history',
    response: entityHistorySchema,
  },
  overview: { method: 'GET', path: '/v1/overview', response: overviewSchema },
  exportEvidence: {
    method: 'GET',
    path: '/v1/export',
    query: exportQuerySchema,
  },
  listExemptions: {
    method: 'GET',
    path: '/v1/exemptions',
    query: z.object({ entityRef: z.string().optional() }),
    response: z.object({ items: z.array(exemptionSchema) }),
  },
  requestExemption: {
    method: 'POST',
    path: '/v1/exemptions',
    body: createExemptionSchema,
    response: exemptionSchema,
    status: 201,
  },
  decideExemption: {
    method: 'POST',
    path: '/v1/exemptions/:id/decision',
    body: decideExemptionSchema,
    response: exemptionSchema,
  },
});

/** Type of {@link complianceRoutes}. @public */
export type ComplianceRoutes = typeof complianceRoutes;
