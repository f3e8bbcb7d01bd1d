/* Fixtures of the compliance tab and card tests: e-prescribing's scorecard, fake APIs, render. */
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  permissionApiRef,
  type PermissionApi,
} from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Entity } from '@backstage/catalog-model';
import { ClustersApi, clustersApiRef } from '@careplane/plugin-clusters-react';
import {
  builtInChecks,
  definitionOf,
  EntityScorecard,
  ExemptionDto,
} from '@careplane/plugin-compliance-common';
import type { ReactNode } from 'react';
import { ComplianceApi, complianceApiRef } from '../api';

export const EP = 'component:default/e-prescribing';
const TARGET = 'legacy-onprem/Deployment/e-prescribing/e-prescribing';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'e-prescribing',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'e-prescribing' },
  },
  spec: { type: 'service', owner: 'clinical-records', lifecycle: 'production' },
};

const result = (
  checkId: string,
  status: any,
  message: string,
  evidence: any[] = [],
) => ({
  entityRef: EP,
  checkId,
  checkVersion: 1,
  severity: builtInChecks.find(c => c.id === checkId)!.severity,
  target: TARGET,
  status,
  message,
  evidence,
  since: '2026-11-30T00:00:00.000Z',
  evaluatedAt: '2026-11-30T00:00:00.000Z',
});

export const scorecard: EntityScorecard = {
  entityRef: EP,
  phi: true,
  evaluatedAt: new Date().toISOString(),
  score: {
    score: 59,
    grade: 'F',
    capped: false,
    criticalFailures: 0,
    coverage: 0.8,
    counts: {
      pass: 1,
      fail: 2,
      warn: 0,
      'not-applicable': 0,
      unknown: 1,
      error: 0,
      exempt: 0,
    },
  },
  results: [
    result('K8S-AC-003', 'fail', 'A container may run as root', [
      {
        object: 'Deployment e-prescribing/e-prescribing on legacy-onprem',
        path: 'spec.template.spec.containers[0].securityContext.runAsUser',
        value: '0',
      },
    ]),
    result('K8S-TX-001', 'fail', 'No NetworkPolicy selects the pods', [
      {
        object: 'Deployment e-prescribing/e-prescribing on legacy-onprem',
        path: 'spec.template.metadata.labels',
        value: '{"app":"e-prescribing"}',
      },
    ]),
    result('K8S-AC-001', 'pass', 'No container runs privileged'),
    {
      ...result(
        'K8S-AUD-001',
        'unknown',
        "No cluster fact 'compliance.careplane.io/audit-logging' reported: label the cluster",
      ),
      target: 'entity',
    },
  ],
};

export function apis(
  options: { allow?: boolean; exemptions?: ExemptionDto[] } = {},
) {
  const clusters: Partial<ClustersApi> = {
    getEntityObjects: jest
      .fn()
      .mockResolvedValue({ selector: { labelSelector: '' }, clusters: [] }),
    watch: jest.fn(() => ({ unsubscribe: jest.fn() })),
    onConnectionState: jest.fn(l => {
      l({ status: 'live', since: new Date().toISOString() });
      return () => {};
    }),
  };
  const compliance: jest.Mocked<Partial<ComplianceApi>> = {
    getChecks: jest.fn().mockResolvedValue(builtInChecks.map(definitionOf)),
    getScorecard: jest.fn().mockResolvedValue(scorecard),
    getHistory: jest.fn().mockResolvedValue({
      entityRef: EP,
      changes: [
        {
          entityRef: EP,
          checkId: 'K8S-AC-003',
          target: TARGET,
          status: 'fail',
          previousStatus: null,
          message: 'root',
          changedAt: '2026-11-30T00:00:00.000Z',
        },
      ],
      scores: [{ at: '2026-11-30T00:00:00.000Z', score: 59, grade: 'F' }],
    }),
    listExemptions: jest.fn().mockResolvedValue(options.exemptions ?? []),
    requestExemption: jest.fn().mockResolvedValue({}),
    downloadExport: jest.fn().mockResolvedValue(new Blob(['x'])),
  };
  const permission: PermissionApi = mockApis.permission({
    authorize:
      options.allow === false ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
  });
  return {
    compliance,
    list: [
      [clustersApiRef, clusters],
      [complianceApiRef, compliance],
      [permissionApiRef, permission],
    ] as const,
  };
}

export async function render(a: ReturnType<typeof apis>, node: ReactNode) {
  return renderInTestApp(
    <EntityProvider entity={entity}>{node}</EntityProvider>,
    { apis: a.list },
  );
}
