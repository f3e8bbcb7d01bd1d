import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Overview } from '@careplane/plugin-compliance-common';
import { screen, within } from '@testing-library/react';
import { complianceApiRef } from '../../api';
import { CompliancePage } from './CompliancePage';

const score = (s: number | null, grade: any, capped = false) => ({
  score: s,
  grade,
  capped,
  criticalFailures: capped ? 1 : 0,
  coverage: 0.8,
  counts: {},
});

const overview: Overview = {
  evaluatedAt: new Date().toISOString(),
  entities: [
    {
      entityRef: 'component:default/e-prescribing',
      title: 'E-prescribing',
      owner: 'group:default/clinical-records',
      phi: true,
      score: score(59, 'F'),
      safeguards: { '164.312(e)': 20, '164.312(a)': 55 },
    },
    {
      entityRef: 'component:default/visit-notes',
      title: 'Visit notes',
      owner: 'group:default/clinical-records',
      phi: true,
      score: score(97, 'A'),
      safeguards: { '164.312(e)': 100, '164.312(a)': 95 },
    },
  ],
  teams: [
    {
      key: 'group:default/clinical-records',
      entities: 2,
      score: 78,
      grade: 'C',
      capped: false,
      criticalFailures: 0,
    },
  ],
  systems: [
    {
      key: 'system:default/telehealth',
      entities: 2,
      score: 78,
      grade: 'C',
      capped: false,
      criticalFailures: 0,
    },
  ],
  safeguards: [
    {
      key: '164.312(e)',
      title: 'Transmission security across PHI services',
      entities: 2,
      score: 60,
      grade: 'D',
      capped: false,
      criticalFailures: 0,
    },
  ],
  regressions: [
    {
      entityRef: 'component:default/visit-notes',
      checkId: 'K8S-AC-003',
      target: 'c/Deployment/visit-notes/visit-notes',
      status: 'fail',
      previousStatus: 'pass',
      message: 'root',
      changedAt: '2026-11-30T01:00:00.000Z',
    },
  ],
  trend: [
    { day: '2026-11-29', score: 80 },
    { day: '2026-11-30', score: 78 },
  ],
};

describe('CompliancePage', () => {
  it('ranks teams, shows safeguards across PHI services, the matrix in numbers and grades, and regressions in words', async () => {
    await renderInTestApp(<CompliancePage />, {
      apis: [
        [
          complianceApiRef,
          {
            getOverview: jest.fn().mockResolvedValue(overview),
            listExemptions: jest.fn().mockResolvedValue([]),
          },
        ],
        [
          permissionApiRef,
          mockApis.permission({ authorize: AuthorizeResult.DENY }),
        ],
      ],
    });
    const teams = await screen.findByRole('table', { name: 'Teams' });
    expect(
      within(teams).getByText('group:default/clinical-records'),
    ).toBeInTheDocument();
    expect(
      within(
        screen.getByRole('table', { name: 'Safeguards across PHI services' }),
      ).getByText('Transmission security across PHI services'),
    ).toBeInTheDocument();
    const matrix = screen.getByRole('table', { name: 'Services by safeguard' });
    expect(within(matrix).getByText('20 (F)')).toBeInTheDocument();
    expect(within(matrix).getAllByText('no data').length).toBeGreaterThan(0);
    expect(
      screen.getByText(
        /component:default\/visit-notes · K8S-AC-003: Passing → Failing/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('No exemptions.')).toBeInTheDocument();
  });
});
