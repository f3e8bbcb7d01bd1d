import type { ObjectEnvelope } from '@careplane/plugin-clusters-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  apis,
  paused,
  render,
  snapshot,
} from '../../__testUtils__/entityRollouts';

const rs = (hash: string, rev: string, image: string): ObjectEnvelope => ({
  cluster: 'cloud-east',
  kind: 'ReplicaSet',
  namespace: 'video-consultation',
  name: `video-consultation-${hash}`,
  object: {
    metadata: {
      name: `video-consultation-${hash}`,
      namespace: 'video-consultation',
      labels: { 'rollouts-pod-template-hash': hash },
      annotations: { 'rollout.argoproj.io/revision': rev },
      ownerReferences: [
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Rollout',
          name: 'video-consultation',
          uid: 'ro',
        },
      ],
    },
    spec: { template: { spec: { containers: [{ name: 'app', image }] } } },
    status: { replicas: 0 },
  },
});

// the Select interaction is slow on a loaded machine
jest.setTimeout(30_000);

describe('EntityRolloutsContent undo', () => {
  it('undoes to the revision chosen in the dialog, with the history shown', async () => {
    const withHistory = {
      ...snapshot,
      clusters: [
        {
          ...snapshot.clusters[0],
          items: [
            paused,
            rs('h0', '1', 'video:2.2.0'),
            rs('h1', '2', 'video:2.3.1'),
            rs('h2', '3', 'video:2.4.0'),
          ],
        },
        snapshot.clusters[1],
      ],
    };
    const a = apis(true, withHistory);
    await render(a);
    const history = await screen.findByRole('table', {
      name: 'Revisions of video-consultation',
    });
    expect(
      within(history).getByRole('row', { name: /3 \(current\) video:2.4.0/ }),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', {
        name: 'Undo to revision 2 video-consultation on cloud-east',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: '2: video:2.3.1' }),
    );
    await userEvent.click(
      await screen.findByRole('option', { name: '1: video:2.2.0' }),
    );
    await userEvent.type(
      within(dialog).getByLabelText('Reason'),
      'back to the last good build',
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Undo' }));
    expect(a.rollouts.runAction).toHaveBeenCalledWith(
      'component:default/video-consultation',
      expect.objectContaining({
        action: 'undo',
        revision: 1,
        reason: 'back to the last good build',
      }),
    );
  });
});
