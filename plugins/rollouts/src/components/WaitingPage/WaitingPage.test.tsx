import { renderInTestApp } from '@backstage/frontend-test-utils';
import type { WaitingResponse } from '@careplane/plugin-rollouts-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RolloutsApi, rolloutsApiRef } from '../../api/RolloutsApi';
import { WaitingPage } from './WaitingPage';

const answer: WaitingResponse = {
  clusters: [
    { cluster: 'cloud-east', status: 'ok' },
    { cluster: 'cloud-west', status: 'ok' },
  ],
  items: [
    {
      cluster: 'cloud-east',
      entityRef: 'component:default/session-service',
      owner: 'group:default/telehealth-video',
      kubernetesId: 'session-service',
      kind: 'Rollout',
      namespace: 'session-service',
      name: 'session-service',
      state: 'paused',
      phase: 'Paused',
      message: 'Paused: waiting for a person to promote (BlueGreenPause)',
      ageSeconds: 420,
    },
    {
      cluster: 'cloud-west',
      entityRef: 'component:default/scheduling',
      owner: 'group:default/scheduling',
      kubernetesId: 'scheduling',
      kind: 'Deployment',
      namespace: 'scheduling',
      name: 'scheduling',
      state: 'deadline',
      phase: 'Degraded',
      message:
        'Degraded: deployment "scheduling" exceeded its progress deadline',
      ageSeconds: 60,
    },
  ],
};

describe('WaitingPage', () => {
  it('lists what waits for a person across clusters, with age, and filters by team and state', async () => {
    const api: Partial<RolloutsApi> = {
      getWaiting: jest.fn().mockResolvedValue(answer),
    };
    await renderInTestApp(<WaitingPage />, { apis: [[rolloutsApiRef, api]] });
    const table = await screen.findByRole('table', {
      name: 'Releases waiting for a person',
    });
    const session = within(table).getByRole('row', { name: /session-service/ });
    expect(within(session).getByText('7m')).toBeInTheDocument();
    expect(
      within(session).getByText('paused for a person'),
    ).toBeInTheDocument();
    expect(
      within(session).getByRole('link', { name: 'Rollout session-service' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/session-service/rollouts',
    );
    expect(
      within(table).getByText('progress deadline exceeded'),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: /State/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'progress deadline exceeded' }),
    );
    expect(
      within(table).queryByText('session-service'),
    ).not.toBeInTheDocument();
    expect(within(table).getByText('cloud-west')).toBeInTheDocument();
  });
});
