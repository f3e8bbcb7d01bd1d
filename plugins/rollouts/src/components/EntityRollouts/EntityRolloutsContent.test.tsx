import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResponseError } from '@backstage/errors';
import { apis, render, rollout } from '../../__testUtils__/entityRollouts';

describe('EntityRolloutsContent', () => {
  it('shows the paused canary in words: step 1 of 6, 20 % set weight, pause age, waiting for a person', async () => {
    await render(apis(true));
    const east = await screen.findByRole('region', { name: 'cloud-east' });
    expect(
      within(east).getByText(
        'Paused at step 1 of 6: waiting for a person to promote (CanaryPauseStep)',
      ),
    ).toBeInTheDocument();
    expect(
      within(east).getByText('Step 1 of 6: pause until promoted'),
    ).toBeInTheDocument();
    expect(within(east).getByText(/Weight: set 20 %/)).toBeInTheDocument();
    expect(
      within(east).getByText(
        /Paused for 4m \(CanaryPauseStep\): waiting for a person/,
      ),
    ).toBeInTheDocument();
    expect(
      await within(east).findByText(
        /Error-budget gate passes: budget 20.0 % left/,
      ),
    ).toBeInTheDocument();
    const legacy = screen.getByRole('region', { name: 'legacy-onprem' });
    expect(
      within(legacy).getByText('No releases of this entity on legacy-onprem.'),
    ).toBeInTheDocument();
  });

  it('an owner sees only the valid actions enabled, each invalid one saying why', async () => {
    await render(apis(true));
    expect(
      await screen.findByRole('button', {
        name: 'Promote video-consultation on cloud-east',
      }),
    ).toBeEnabled();
    const retry = screen.getByRole('button', {
      name: 'Retry video-consultation on cloud-east',
    });
    expect(retry).toBeDisabled();
    expect(retry).toHaveAttribute(
      'title',
      'Retry: only an aborted rollout can be retried; it is Paused',
    );
  });

  it('promotes with a reason; a live update while the dialog is open neither closes nor resets it', async () => {
    const a = apis(true);
    await render(a);
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Promote video-consultation on cloud-east',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByLabelText('Reason'),
      'clinical sign-off',
    );
    // the canary moves on underneath
    a.emit({
      type: 'upsert',
      watchId: 'w1',
      object: rollout('11', {
        phase: 'Progressing',
        message: 'more replicas need to be updated',
        currentStepIndex: 2,
      }),
    });
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    expect(
      within(screen.getByRole('dialog')).getByLabelText('Reason'),
    ).toHaveValue('clinical sign-off');
    expect(
      await screen.findByLabelText(
        'Status of video-consultation on cloud-east',
      ),
    ).toHaveTextContent(
      'Progressing at step 2 of 6: more replicas need to be updated',
    );
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', {
        name: 'Promote',
      }),
    );
    expect(a.rollouts.runAction).toHaveBeenCalledWith(
      'component:default/video-consultation',
      {
        cluster: 'cloud-east',
        kind: 'Rollout',
        namespace: 'video-consultation',
        name: 'video-consultation',
        action: 'promote',
        reason: 'clinical sign-off',
        revision: undefined,
        overrideGate: undefined,
      },
    );
    expect(
      await screen.findByText(
        /Promote sent for video-consultation on cloud-east/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it("a refused action keeps the dialog open and shows the server's reason", async () => {
    const a = apis(true);
    (a.rollouts.runAction as jest.Mock).mockRejectedValue(
      await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: {
              name: 'ConflictError',
              message:
                'Promotion refused by the error-budget gate on cloud-east: error budget exhausted',
            },
            response: { statusCode: 409 },
          }),
          {
            status: 409,
            statusText: 'Conflict',
            headers: { 'Content-Type': 'application/json' },
          },
        ),
      ),
    );
    await render(a);
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Abort video-consultation on cloud-east',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByLabelText('Reason'),
      'error spike',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Abort' }),
    );
    expect(
      await within(dialog).findByText(
        'Promotion refused by the error-budget gate on cloud-east: error budget exhausted',
      ),
    ).toBeInTheDocument();
    expect(within(dialog).getByLabelText('Reason')).toHaveValue('error spike');
  });
});
