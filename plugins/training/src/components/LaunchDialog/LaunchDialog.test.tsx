import { fireEvent, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { apis, render } from '../../__testUtils__/fixtures';
import { LaunchDialog } from './LaunchDialog';

async function open(a = apis()) {
  const onLaunched = jest.fn();
  await render(
    <LaunchDialog
      open
      entityRef="component:default/triage-model-training"
      onClose={() => {}}
      onLaunched={onLaunched}
    />,
    a,
  );
  await screen.findByText('NVIDIA A100 80GB');
  return { a, onLaunched };
}

function fill(label: string, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

jest.setTimeout(30_000);

describe('LaunchDialog', () => {
  it('validates as you type with the server rules', async () => {
    await open();
    fill('Run name', 'triage-ft');
    fill('GPUs per node', '0');
    expect(
      await screen.findByText('gpu.count must be a whole number of at least 1'),
    ).toBeInTheDocument();
    fill('GPUs per node', '16');
    expect(
      await screen.findByText(
        '16 nvidia-a100-80gb GPUs is more than one run may use (8)',
      ),
    ).toBeInTheDocument();
    fill('Image (registry/path:tag or @sha256:digest)', 'Not An Image');
    expect(
      await screen.findByText(/'Not An Image' is not a valid image reference/),
    ).toBeInTheDocument();
    fill(
      'Hyper-parameters (KEY=value per line, no secrets)',
      'WANDB_API_KEY=abc',
    );
    expect(
      await screen.findByText(
        /WANDB_API_KEY looks like a secret; pass it in secretEnv/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Launch' })).toBeDisabled();
  });

  it('estimates the cost and launches once on a double click', async () => {
    const { a, onLaunched } = await open();
    fill('Run name', 'triage-ft');
    fill(
      'Image (registry/path:tag or @sha256:digest)',
      'registry.example/ml/train:1.0',
    );
    fill('GPUs per node', '2');
    fill('Max runtime (minutes)', '90');
    expect(screen.getByLabelText('Cost estimate')).toHaveTextContent(
      '2 GPUs × $3.67 an hour = $7.34 an hour; at most $11.01 for the whole max runtime.',
    );
    const launch = screen.getByRole('button', { name: 'Launch' });
    await userEvent.dblClick(launch);
    expect(a.training.launch).toHaveBeenCalledTimes(1);
    expect(a.training.launch.mock.calls[0][0]).toMatchObject({
      entityRef: 'component:default/triage-model-training',
      name: 'triage-ft',
      cluster: 'gpu-research',
      gpu: { type: 'nvidia-a100-80gb', count: 2 },
      maxRuntimeMinutes: 90,
      idempotencyKey: expect.stringMatching(/^ui-/),
    });
    expect(onLaunched).toHaveBeenCalled();
  });
});
