import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ClustersApi,
  clustersApiRef,
} from '@careplane/plugin-clusters-react';
import { screen } from '@testing-library/react';
import { AuditLog } from './AuditLog';

describe('AuditLog without clusters.audit.read', () => {
  it('says why the log is hidden and asks the backend for nothing', async () => {
    const api: Partial<ClustersApi> = { listAudit: jest.fn() };
    await renderInTestApp(<AuditLog />, {
      apis: [
        [clustersApiRef, api],
        mockApis.permission({ authorize: AuthorizeResult.DENY }),
      ],
    });
    expect(
      await screen.findByText(/You cannot see the clusters audit log/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/needs the clusters.audit.read permission/),
    ).toBeInTheDocument();
    expect(api.listAudit).not.toHaveBeenCalled();
  });
});
