import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { createRouteClient } from '@careplane/plugin-clusters-common';
import type {
  CheckDefinition,
  ComplianceRoutes,
  CreateExemptionRequest,
  DecideExemptionRequest,
  EntityHistory,
  EntityScorecard,
  ExemptionDto,
  Overview,
} from '@careplane/plugin-compliance-common';
import type { ComplianceApi } from './ComplianceApi';

type ExportQuery = Parameters<ComplianceApi['exportUrl']>[0];

function exportQuery(q: ExportQuery) {
  return {
    format: q.format,
    entityRef: q.entityRef,
    owner: q.owner,
    safeguard: q.safeguard,
    phiOnly: q.phiOnly ? ('true' as const) : undefined,
  };
}

/**
 * {@link ComplianceApi} over `fetchApi` (the Backstage token is sent), typed from the contract's
 * route table (`ComplianceRoutes`).
 * @public
 */
export class ComplianceClient implements ComplianceApi {
  private readonly routes = createRouteClient<ComplianceRoutes>(
    async request => {
      const base = await this.options.discoveryApi.getBaseUrl('compliance');
      return this.options.fetchApi.fetch(`${base}${request.path}`, {
        method: request.method,
        headers: {
          ...(request.body !== undefined
            ? { 'Content-Type': 'application/json' }
            : {}),
          ...(request.accept ? { Accept: request.accept } : {}),
        },
        body:
          request.body !== undefined ? JSON.stringify(request.body) : undefined,
        signal: request.signal,
      });
    },
  );

  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  async getChecks(): Promise<CheckDefinition[]> {
    return (await this.routes.call('GET', '/v1/checks')).items;
  }

  getScorecard(entityRef: string): Promise<EntityScorecard> {
    return this.routes.call('GET', '/v1/entities/:kind/:namespace/:name', {
      params: parseEntityRef(entityRef),
    });
  }

  getHistory(entityRef: string): Promise<EntityHistory> {
    return this.routes.call(
      'GET',
      '/v1/entities/:kind/:namespace/:name/history',
      { params: parseEntityRef(entityRef) },
    );
  }

  getOverview(): Promise<Overview> {
    return this.routes.call('GET', '/v1/overview');
  }

  async listExemptions(entityRef?: string): Promise<ExemptionDto[]> {
    return (
      await this.routes.call('GET', '/v1/exemptions', { query: { entityRef } })
    ).items;
  }

  requestExemption(request: CreateExemptionRequest): Promise<ExemptionDto> {
    return this.routes.call('POST', '/v1/exemptions', { body: request });
  }

  decideExemption(
    id: string,
    decision: DecideExemptionRequest,
  ): Promise<ExemptionDto> {
    return this.routes.call('POST', '/v1/exemptions/:id/decision', {
      params: { id },
      body: decision,
    });
  }

  async exportUrl(query: ExportQuery): Promise<string> {
    const base = await this.options.discoveryApi.getBaseUrl('compliance');
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(exportQuery(query)))
      if (v) params.set(k, v);
    return `${base}/v1/export?${params}`;
  }

  async downloadExport(query: ExportQuery): Promise<Blob> {
    const res = await this.routes.open('GET', '/v1/export', {
      query: exportQuery(query),
    });
    return res.blob();
  }
}
