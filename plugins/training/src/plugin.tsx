import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import MemoryIcon from '@material-ui/icons/Memory';
import { trainingApi } from './extensions/apis';
import { trainingEntityContent } from './extensions/entityContent';
import { trainingPage } from './extensions/pages';
import { rootRouteRef } from './routes';

/**
 * The Careplane training frontend plugin: the Training page (runs, launch, quota, usage, one
 * run's state, GPU charts, logs and cost) and the entity Training tab.
 * @public
 */
export const trainingPlugin = createFrontendPlugin({
  pluginId: 'training',
  title: 'Training',
  icon: <MemoryIcon fontSize="inherit" />,
  info: { packageJson: () => import('../package.json') },
  routes: { root: rootRouteRef },
  extensions: [trainingApi, trainingPage, trainingEntityContent],
});
