import { screen } from '@testing-library/react';
import { apis, render } from '../../__testUtils__/entityRollouts';

// Its own file: usePermission keeps answers in SWR's module cache, which jest resets per file.
describe('EntityRolloutsContent for a non-owner', () => {
  it('a non-owner sees the buttons disabled with the reason', async () => {
    await render(apis(false));
    const promote = await screen.findByRole('button', {
      name: 'Promote video-consultation on cloud-east',
    });
    expect(promote).toBeDisabled();
    expect(promote).toHaveAttribute(
      'title',
      'Promote: only owners of component:default/video-consultation and platform admins may promote',
    );
    expect(screen.getByText(/You can look but not act/)).toBeInTheDocument();
  });
});
