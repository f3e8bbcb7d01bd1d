import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { apis, render } from '../../__testUtils__/world';
import { EntityComplianceContent } from './EntityComplianceContent';

// Its own file: usePermission keeps answers in SWR's module cache, which jest resets per file.
describe('compliance tab for a non-owner', () => {
  it('a non-owner sees the request button disabled with the reason', async () => {
    await render(apis({ allow: false }), <EntityComplianceContent />);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Details of K8S-AC-003' }),
    );
    const button = await screen.findByRole('button', {
      name: 'Request an exemption for K8S-AC-003',
    });
    expect(button).toBeDisabled();
    expect(button.parentElement).toHaveAttribute(
      'title',
      'Only the owners of this service (and platform admins) may request exemptions',
    );
  });
});
