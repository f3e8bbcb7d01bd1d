import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import type {
  CheckDefinition,
  CreateExemptionRequest,
  DecideExemptionRequest,
  EntityHistory,
  EntityScorecard,
  ExemptionDto,
  Overview,
} from '@careplane/plugin-compliance-common';
import type { ComplianceApi } from './ComplianceApi';

function entityPath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/v1/entities/${encodeURIComponent(kind)}/${encodeURIComponent(
    namespace,
  )}/${encodeURIComponent(name)}`;
}

type ExportQuery = Parameters<ComplianceApi['exportUrl']>[0];

function exportQuery(q: ExportQuery): string {
  const p = new URLSearchParams({ format: q.format });
  if (q.entityRef) p.set('entityRef', q.entityRef);
  if (q.owner) p.set('owner', q.owner);
  if (q.safeguard) p.set('safeguard', q.safeguard);
  if (q.phiOnly) p.set('phiOnly', 'true');
  return p.toString();
}

/**
 * {@link ComplianceApi} over `fetchApi` (the Backstage token is sent).
 * @public
 */
export class ComplianceClient implements ComplianceApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  async getChecks(): Promise<CheckDefinition[]> {
    return (await this.request<{ items: CheckDefinition[] }>('/v1/checks'))
      .items;
  }

  getScorecard(entityRef: string): Promise<EntityScorecard> {
    return this.request(entityPath(entityRef));
  }

  getHistory(entityRef: string): Promise<EntityHistory> {
    return this.request(`${entityPath(entityRef)}/history`);
  }

  getOverview(): Promise<Overview> {
    return this.request('/v1/overview');
  }

  async listExemptions(entityRef?: string): Promise<ExemptionDto[]> {
    const q = entityRef ? `?${new URLSearchParams({ entityRef })}` : '';
    return (await this.request<{ items: ExemptionDto[] }>(`/v1/exemptions${q}`))
      .items;
  }

  requestExemption(request: CreateExemptionRequest): Promise<ExemptionDto> {
    return this.request('/v1/exemptions', { method: 'POST', body: request });
  }

  decideExemption(
    id: string,
    decision: DecideExemptionRequest,
  ): Promise<ExemptionDto> {
    return this.request(`/v1/exemptions/${encodeURIComponent(id)}/decision`, {
      method: 'POST',
      body: decision,
    });
  }

  async exportUrl(query: ExportQuery): Promise<string> {
    const base = await this.options.discoveryApi.getBaseUrl('compliance');
    return `${base}/v1/export?${exportQuery(query)}`;
  }

  async downloadExport(query: ExportQuery): Promise<Blob> {
    const res = await this.options.fetchApi.fetch(await this.exportUrl(query));
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return res.blob();
  }

  private async request<T>(
    path: string,
    init?: { method: string; body: unknown },
  ): Promise<T> {
    const base = await this.options.discoveryApi.getBaseUrl('compliance');
    const res = await this.options.fetchApi.fetch(`${base}${path}`, {
      method: init?.method ?? 'GET',
      headers: init ? { 'Content-Type': 'application/json' } : undefined,
      body: init ? JSON.stringify(init.body) : undefined,
    });
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return (await res.json()) as T;
  }
}
