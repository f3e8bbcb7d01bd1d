import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  CheckDefinition,
  CreateExemptionRequest,
  DecideExemptionRequest,
  EntityHistory,
  EntityScorecard,
  ExemptionDto,
  Overview,
} from '@careplane/plugin-compliance-common';

/**
 * Frontend API of the compliance plugin (`/api/compliance`). Everything it reads comes from
 * stored results: opening a page never evaluates anything.
 * @public
 */
export interface ComplianceApi {
  getChecks(): Promise<CheckDefinition[]>;
  getScorecard(entityRef: string): Promise<EntityScorecard>;
  getHistory(entityRef: string): Promise<EntityHistory>;
  getOverview(): Promise<Overview>;
  listExemptions(entityRef?: string): Promise<ExemptionDto[]>;
  requestExemption(request: CreateExemptionRequest): Promise<ExemptionDto>;
  decideExemption(
    id: string,
    decision: DecideExemptionRequest,
  ): Promise<ExemptionDto>;
  /** URL of an evidence export (CSV or JSON) for a download link. */
  exportUrl(query: {
    format: 'csv' | 'json';
    entityRef?: string;
    owner?: string;
    safeguard?: string;
    phiOnly?: boolean;
  }): Promise<string>;
  /** Downloads an export with the Backstage token and hands it to the browser as a file. */
  downloadExport(query: {
    format: 'csv' | 'json';
    entityRef?: string;
    owner?: string;
    safeguard?: string;
    phiOnly?: boolean;
  }): Promise<Blob>;
}

/**
 * ApiRef of {@link ComplianceApi}.
 * @public
 */
export const complianceApiRef = createApiRef<ComplianceApi>({
  id: 'plugin.compliance.api',
});
