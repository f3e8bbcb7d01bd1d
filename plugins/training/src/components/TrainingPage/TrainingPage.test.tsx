import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { apis, render } from '../../__testUtils__/fixtures';
import { TrainingPage } from './TrainingPage';

// the shared machine is slow to render MUI; these are not timing assertions
jest.setTimeout(30_000);

describe('TrainingPage', () => {
  it('lists runs across the organisation with quota and usage, and filters by state', async () => {
    const a = apis();
    a.training.quota.mockResolvedValue({
      items: [
        {
          cluster: 'gpu-research',
          source: 'kueue',
          queue: 'ml-gpu',
          flavor: 'a100-80gb',
          resource: 'nvidia.com/gpu',
          nominal: 16,
          used: 10,
          pendingWorkloads: 1,
        },
      ],
      unavailable: [],
    });
    a.training.usage.mockResolvedValue({
      currency: 'USD',
      items: [
        {
          team: 'group:default/ml-platform',
          month: '2026-11',
          runs: 3,
          gpuHours: 52.5,
          cost: 192.68,
        },
      ],
    });
    await render(<TrainingPage />, a, {
      mountPath: '/training/*',
      at: '/training',
    });
    expect(
      await screen.findByRole('link', { name: 'triage-ft-0a1b2c' }),
    ).toBeInTheDocument();
    const bar = await screen.findByLabelText('ml-gpu 10 of 16 used');
    expect(bar.parentElement).toHaveTextContent(
      'ml-gpu on gpu-research (a100-80gb): 10 of 16 nvidia.com/gpu in use, 6 free, 1 waiting',
    );
    const usage = await screen.findByRole('table', {
      name: 'Usage per team and month',
    });
    expect(within(usage).getByText('$192.68')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: /State/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'queued' }),
    );
    expect(a.training.listRuns).toHaveBeenLastCalledWith({
      phase: 'queued',
      limit: 50,
    });
  });
});
