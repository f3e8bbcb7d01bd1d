import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { AuditRecord } from '@careplane/plugin-clusters-common';
import {
  ClustersClient,
  clustersApiRef,
} from '@careplane/plugin-clusters-react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { AuditLog } from './AuditLog';

const baseUrl = 'http://localhost:7007/api/clusters';
const server = setupServer();
registerMswTestHooks(server);

const record: AuditRecord = {
  id: 'a1',
  occurredAt: '2026-11-22T10:00:00.000Z',
  actor: 'user:default/priya.shah',
  actorType: 'user',
  action: 'patch',
  cluster: 'cloud-east',
  namespace: 'video-consultation',
  kind: 'Rollout',
  name: 'video-consultation',
  entityRef: 'component:default/video-consultation',
  reason: 'promote canary after SLO check',
  dryRun: false,
  outcome: 'success',
  patchSha256: 'ab12cd34ef56ab12cd34ef56',
};

function apis(allow: boolean) {
  const client = new ClustersClient({
    discoveryApi: { getBaseUrl: async () => baseUrl },
    fetchApi: { fetch: (input, init) => fetch(input, init) },
  });
  return [
    [clustersApiRef, client],
    mockApis.permission({
      authorize: allow ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
    }),
  ] as const;
}

// usePermission caches decisions per permission for the module (SWR): the denied case lives
// in AuditLog.denied.test.tsx
describe('AuditLog', () => {
  it('lists records, filters by user and exports with the same filter', async () => {
    const queries: Array<Record<string, string>> = [];
    server.use(
      http.get(`${baseUrl}/v1/audit`, ({ request }) => {
        const params = Object.fromEntries(new URL(request.url).searchParams);
        queries.push(params);
        if (params.format) {
          return new HttpResponse('id,occurredAt\n', {
            headers: {
              'Content-Type': 'text/csv',
              'Content-Disposition': 'attachment; filename="clusters-audit.csv"',
            },
          });
        }
        return HttpResponse.json({ items: [record] });
      }),
    );
    const createObjectURL = jest.fn(() => 'blob:audit');
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });

    await renderInTestApp(<AuditLog />, { apis: apis(true) });
    const table = await screen.findByRole('table', { name: 'Audit records' });
    const row = within(table).getByRole('row', { name: /priya.shah/ });
    expect(within(row).getByText('Success')).toBeInTheDocument();
    expect(within(row).getByText('cloud-east / video-consultation / Rollout/video-consultation')).toBeInTheDocument();

    await userEvent.type(screen.getByLabelText('User'), 'user:default/priya.shah');
    await waitFor(() =>
      expect(queries.at(-1)).toEqual({ actor: 'user:default/priya.shah' }),
    );

    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await waitFor(() =>
      expect(queries.at(-1)).toEqual({ actor: 'user:default/priya.shah', format: 'csv' }),
    );
    await waitFor(() => expect(createObjectURL).toHaveBeenCalled());
  });

  it('shows the server error when the log cannot be read', async () => {
    server.use(
      http.get(`${baseUrl}/v1/audit`, () =>
        HttpResponse.json(
          {
            error: { name: 'InputError', message: 'from: Invalid date' },
            request: { method: 'GET', url: '/v1/audit' },
            response: { statusCode: 400 },
          },
          { status: 400 },
        ),
      ),
    );
    await renderInTestApp(<AuditLog />, { apis: apis(true) });
    expect(await screen.findByText('from: Invalid date')).toBeInTheDocument();
  });
});
