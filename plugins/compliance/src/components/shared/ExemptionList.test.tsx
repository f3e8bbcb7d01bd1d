import { identityApiRef } from '@backstage/frontend-plugin-api';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { ExemptionDto } from '@careplane/plugin-compliance-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { complianceApiRef } from '../../api';
import { ExemptionList } from './ExemptionList';

jest.setTimeout(30_000);

const exemption = (
  id: string,
  checkId: string,
  requestedBy: string,
): ExemptionDto => ({
  id,
  entityRef: 'component:default/e-prescribing',
  checkId,
  target: '*',
  justification: 'Legacy image needs root until wave-2',
  requestedBy,
  requestedAt: '2026-11-30T00:00:00.000Z',
  expiresAt: '2027-01-31T00:00:00.000Z',
  state: 'pending',
});

describe('ExemptionList for an approver', () => {
  it('approves someone else’s exemption with a comment; their own is disabled with the four-eyes reason', async () => {
    const decideExemption = jest.fn().mockResolvedValue({});
    const onChange = jest.fn();
    await renderInTestApp(
      <ExemptionList
        exemptions={[
          exemption('e1', 'K8S-AC-003', 'user:default/elena.petrova'),
          exemption('e2', 'K8S-TX-001', 'user:default/priya.shah'),
        ]}
        onChange={onChange}
      />,
      {
        apis: [
          [complianceApiRef, { decideExemption }],
          [
            permissionApiRef,
            mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
          ],
          [
            identityApiRef,
            mockApis.identity({ userEntityRef: 'user:default/priya.shah' }),
          ],
        ],
      },
    );
    const own = await screen.findByRole('button', {
      name: 'Approve exemption of K8S-TX-001',
    });
    await waitFor(() => expect(own).toBeDisabled());
    expect(own.parentElement).toHaveAttribute(
      'title',
      'You requested it: someone else must decide (four-eyes rule)',
    );
    const other = screen.getByRole('button', {
      name: 'Approve exemption of K8S-AC-003',
    });
    expect(other).toBeEnabled();
    await userEvent.click(other);
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByRole('button', { name: 'Approve' }),
    ).toBeDisabled();
    await userEvent.type(
      within(dialog).getByLabelText('Comment (required)'),
      'until wave-2',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );
    await waitFor(() =>
      expect(decideExemption).toHaveBeenCalledWith('e1', {
        decision: 'approve',
        comment: 'until wave-2',
      }),
    );
    expect(onChange).toHaveBeenCalled();
    expect(screen.getAllByText('Waiting for approval')).toHaveLength(2);
  });
});
