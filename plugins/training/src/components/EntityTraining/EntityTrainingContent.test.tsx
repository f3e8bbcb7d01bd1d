import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen, waitFor } from '@testing-library/react';
import { apis, entity, render } from '../../__testUtils__/fixtures';
import { EntityTrainingContent } from './EntityTrainingContent';

// the shared machine is slow to render MUI; these are not timing assertions
jest.setTimeout(30_000);

describe('EntityTrainingContent', () => {
  it('disables launching for people who do not own the entity, saying why', async () => {
    // another entity: permission answers are kept per permission and resource across renders
    const other = {
      ...entity,
      metadata: { ...entity.metadata, name: 'sepsis-model-training' },
    };
    await render(
      <EntityProvider entity={other}>
        <EntityTrainingContent />
      </EntityProvider>,
      apis({ allow: false }),
    );
    expect(
      await screen.findByText(
        'Only owners of this entity and platform admins may launch runs.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Launch a run' })).toBeDisabled();
  });

  it("lists the entity's runs with state, GPUs and cost", async () => {
    const a = apis();
    await render(
      <EntityProvider entity={entity}>
        <EntityTrainingContent />
      </EntityProvider>,
      a,
    );
    expect(
      await screen.findByRole('link', { name: 'triage-ft-0a1b2c' }),
    ).toHaveAttribute(
      'href',
      '/training/runs/11111111-2222-4333-8444-555555555555',
    );
    expect(screen.getByText('2 × nvidia-a100-80gb')).toBeInTheDocument();
    expect(screen.getByText('$18.35')).toBeInTheDocument();
    expect(a.training.listRuns).toHaveBeenCalledWith({
      entityRef: 'component:default/triage-model-training',
      limit: 50,
    });
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Launch a run' }),
      ).toBeEnabled(),
    );
  });
});
