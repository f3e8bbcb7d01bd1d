import type { RolloutAction } from '@careplane/plugin-rollouts-common';

/** Button labels. */
export const ACTION_LABELS: Record<RolloutAction, string> = {
  promote: 'Promote',
  'promote-full': 'Promote full',
  abort: 'Abort',
  retry: 'Retry',
  restart: 'Restart',
  pause: 'Pause',
  resume: 'Resume',
  undo: 'Undo',
};

/** What an action does, for the confirm dialog. */
export const ACTION_EFFECTS: Record<RolloutAction, string> = {
  promote:
    'moves the release to its next step (clears the pause on the status subresource)',
  'promote-full':
    'skips the remaining steps and analysis and makes the new revision stable',
  abort: 'stops the release and sends all traffic back to the stable revision',
  retry: 'starts the aborted release again from its first step',
  restart: 'restarts every pod of the release, one by one',
  pause: 'holds the release where it is until someone resumes it',
  resume: 'lets a paused release go on',
  undo: 'rolls the images back to the chosen revision',
};
