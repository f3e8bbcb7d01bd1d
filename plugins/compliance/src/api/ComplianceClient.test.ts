/**
 * @jest-environment node
 */
import { ResponseError } from '@backstage/errors';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { ComplianceClient } from './ComplianceClient';

const baseUrl = 'http://backstage.test/api/compliance';
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = () =>
  new ComplianceClient({
    discoveryApi: { getBaseUrl: async () => baseUrl },
    fetchApi: {
      fetch: (input, init) => {
        const headers = new Headers(init?.headers);
        headers.set('Authorization', 'Bearer user-token');
        return fetch(input, { ...init, headers });
      },
    },
  });

describe('ComplianceClient', () => {
  it('reads a scorecard by the entity path, with the token', async () => {
    server.use(
      http.get(
        `${baseUrl}/v1/entities/component/default/e-prescribing`,
        ({ request }) => {
          expect(request.headers.get('Authorization')).toBe(
            'Bearer user-token',
          );
          return HttpResponse.json({
            entityRef: 'component:default/e-prescribing',
            results: [],
          });
        },
      ),
    );
    expect(
      (await client().getScorecard('component:default/e-prescribing'))
        .entityRef,
    ).toBe('component:default/e-prescribing');
  });

  it('posts an exemption request and a decision as JSON', async () => {
    const bodies: unknown[] = [];
    server.use(
      http.post(`${baseUrl}/v1/exemptions`, async ({ request }) => {
        bodies.push(await request.json());
        return HttpResponse.json(
          { id: 'e1', state: 'pending' },
          { status: 201 },
        );
      }),
      http.post(`${baseUrl}/v1/exemptions/e1/decision`, async ({ request }) => {
        bodies.push(await request.json());
        return HttpResponse.json({ id: 'e1', state: 'approved' });
      }),
    );
    const c = client();
    await c.requestExemption({
      entityRef: 'component:default/e-prescribing',
      checkId: 'K8S-AC-003',
      justification: 'until wave-2',
      expiresAt: '2027-01-01T00:00:00Z',
    });
    expect(
      (await c.decideExemption('e1', { decision: 'approve', comment: 'ok' }))
        .state,
    ).toBe('approved');
    expect(bodies).toEqual([
      {
        entityRef: 'component:default/e-prescribing',
        checkId: 'K8S-AC-003',
        justification: 'until wave-2',
        expiresAt: '2027-01-01T00:00:00Z',
      },
      { decision: 'approve', comment: 'ok' },
    ]);
  });

  it('downloads an export with its filter, and throws the backend’s message on a 400', async () => {
    server.use(
      http.get(`${baseUrl}/v1/export`, ({ request }) => {
        const q = new URL(request.url).searchParams;
        if (q.get('safeguard') === 'bad') {
          return HttpResponse.json(
            {
              error: {
                name: 'InputError',
                message: 'safeguard: must be one of 164.312(a)',
              },
            },
            { status: 400 },
          );
        }
        return new HttpResponse(
          `format=${q.get('format')} phiOnly=${q.get('phiOnly')}`,
          { headers: { 'Content-Type': 'text/csv' } },
        );
      }),
    );
    const blob = await client().downloadExport({
      format: 'csv',
      phiOnly: true,
    });
    expect(await blob.text()).toBe('format=csv phiOnly=true');
    await expect(
      client().downloadExport({ format: 'csv', safeguard: 'bad' }),
    ).rejects.toBeInstanceOf(ResponseError);
  });
});
