import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { apis, render, run } from '../../__testUtils__/fixtures';
import { RunPage } from './RunPage';

const at = {
  mountPath: '/training/runs/:id',
  at: `/training/runs/${run().id}`,
};

// the shared machine is slow to render MUI; these are not timing assertions
jest.setTimeout(30_000);

describe('RunPage', () => {
  it('shows the state in words, the timeline, the cost and the idle-GPU warning', async () => {
    const a = apis();
    await render(<RunPage />, a, at);
    expect(await screen.findByLabelText('State in words')).toHaveTextContent(
      'Running',
    );
    const timeline = screen.getByRole('list', { name: 'State timeline' });
    expect(
      within(timeline).getByText(/Queued \(WaitingForQuota, position 2\)/),
    ).toBeInTheDocument();
    expect(
      within(timeline).getByText(
        'Starting: pulling the image and creating containers',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('$18.35')).toBeInTheDocument();
    expect(screen.getByText('5.00')).toBeInTheDocument();
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'GPUs idle: utilisation stayed below 10 % (at most 3 %) for the last 15 minutes',
    );
    expect(await screen.findByLabelText('Logs')).toHaveTextContent(
      'epoch 1 step 100 loss 0.4213',
    );
    expect(a.training.logs).toHaveBeenCalledWith(run().id, {
      pod: 'triage-ft-0a1b2c-x7k2p',
      previous: false,
      tailLines: 500,
    });
  });

  it('cancels with a reason and shows who cancelled', async () => {
    const a = apis();
    await render(<RunPage />, a, at);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Cancel run' }),
    );
    const dialog = await screen.findByRole('dialog');
    const confirm = within(dialog).getByRole('button', { name: 'Cancel run' });
    expect(confirm).toBeDisabled();
    await userEvent.type(within(dialog).getByLabelText('Reason'), 'wrong lr');
    await userEvent.click(confirm);
    expect(a.training.cancel).toHaveBeenCalledWith(run().id, 'wrong lr');
    expect(await screen.findByLabelText('State in words')).toHaveTextContent(
      'Cancelled by user:default/li.wei: wrong lr',
    );
  });

  it('disables cancel for another team, saying why', async () => {
    // a run of another entity: permission answers are kept per permission and resource
    const a = apis({ allow: false });
    a.training.getRun.mockResolvedValue(
      run({ entityRef: 'component:default/sepsis-model-training' }),
    );
    await render(<RunPage />, a, at);
    expect(
      await screen.findByText(
        'Only owners of component:default/sepsis-model-training and platform admins may cancel this run',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Cancel run' })).toBeDisabled();
  });
});
