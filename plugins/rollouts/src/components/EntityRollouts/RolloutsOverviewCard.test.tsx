import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import { apis } from '../../__testUtils__/entityRollouts';
import { RolloutsOverviewCard } from './RolloutsOverviewCard';

describe('RolloutsOverviewCard', () => {
  it('shows each release per cluster with its phase, step and weight', async () => {
    const a = apis(true);
    await renderInTestApp(
      <EntityProvider
        entity={{
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            name: 'video-consultation',
            annotations: { 'backstage.io/kubernetes-id': 'video-consultation' },
          },
        }}
      >
        <RolloutsOverviewCard />
      </EntityProvider>,
      { apis: a.list },
    );
    expect(
      await screen.findByText('Rollout video-consultation · step 1/6 · 20 %'),
    ).toBeInTheDocument();
    expect(screen.getByText('cloud-east')).toBeInTheDocument();
    expect(screen.getByText('Paused')).toBeInTheDocument();
  });
});
