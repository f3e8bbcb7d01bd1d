import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { apis, EP, render } from '../../__testUtils__/world';
import { ComplianceCard } from './ComplianceCard';
import { EntityComplianceContent } from './EntityComplianceContent';

// typing in dialogs is slow on a loaded machine
jest.setTimeout(30_000);

describe('compliance entity views', () => {
  it('the card shows grade, score and the top failing checks in words', async () => {
    await render(apis(), <ComplianceCard />);
    expect(
      await screen.findByRole('img', { name: 'Grade F, score 59 of 100' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Score 59 / 100')).toBeInTheDocument();
    const top = screen.getByRole('list', { name: 'Top failing checks' });
    expect(within(top).getAllByText('Failing')).toHaveLength(2);
    expect(
      within(top).getByText(/K8S-AC-003 Runs as non-root \(high\)/),
    ).toBeInTheDocument();
  });

  it('the tab shows every check with status in words, evidence, remediation and history', async () => {
    await render(apis(), <EntityComplianceContent />);
    expect(
      await screen.findByRole('row', { name: /K8S-AC-003 Failing/ }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('row', { name: /K8S-AUD-001 Unknown \(no data\)/ }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('row', { name: /K8S-AC-001 Passing/ }),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Details of K8S-AC-003' }),
    );
    const details = await screen.findByRole('region', {
      name: 'K8S-AC-003 details',
    });
    expect(
      within(details).getByText(
        'spec.template.spec.containers[0].securityContext.runAsUser',
      ),
    ).toBeInTheDocument();
    expect(
      within(details).getByLabelText('Remediation YAML for K8S-AC-003'),
    ).toHaveTextContent('runAsNonRoot: true');
    expect(
      within(details).getByText(
        /Failing on Deployment e-prescribing\/e-prescribing on legacy-onprem/,
      ),
    ).toBeInTheDocument();
  });

  it('an owner requests an exemption with a justification; the dialog refuses without one', async () => {
    const a = apis();
    await render(a, <EntityComplianceContent />);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Details of K8S-AC-003' }),
    );
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Request an exemption for K8S-AC-003',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    const submit = within(dialog).getByRole('button', {
      name: 'Request exemption',
    });
    expect(submit).toBeDisabled();
    await userEvent.type(
      within(dialog).getByLabelText('Justification (required)'),
      'Legacy image needs root until wave-2',
    );
    await userEvent.click(submit);
    expect(a.compliance.requestExemption).toHaveBeenCalledWith(
      expect.objectContaining({
        entityRef: EP,
        checkId: 'K8S-AC-003',
        justification: 'Legacy image needs root until wave-2',
      }),
    );
  });
});
