import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import TimelapseIcon from '@material-ui/icons/Timelapse';
import { rolloutsApi } from './extensions/apis';
import {
  rolloutsEntityCard,
  rolloutsEntityContent,
} from './extensions/entityContent';
import { waitingPage } from './extensions/pages';
import { rootRouteRef } from './routes';

/**
 * The Careplane rollouts frontend plugin: the entity Rollouts tab and card, and the "Waiting for
 * you" fleet page.
 * @public
 */
export const rolloutsPlugin = createFrontendPlugin({
  pluginId: 'rollouts',
  title: 'Rollouts',
  icon: <TimelapseIcon fontSize="inherit" />,
  info: { packageJson: () => import('../package.json') },
  routes: { root: rootRouteRef },
  extensions: [
    rolloutsApi,
    rolloutsEntityContent,
    rolloutsEntityCard,
    waitingPage,
  ],
});
