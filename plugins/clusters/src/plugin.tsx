import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import StorageIcon from '@material-ui/icons/Storage';
import { clustersApi } from './extensions/apis';
import { workloadsEntityContent } from './extensions/entityContent';
import {
  clustersAuditSubPage,
  clustersOverviewSubPage,
  clustersPage,
} from './extensions/pages';
import { auditRouteRef, rootRouteRef } from './routes';

/**
 * The Careplane clusters frontend plugin: the Clusters and Audit pages and the entity
 * Workloads tab.
 * @public
 */
export const clustersPlugin = createFrontendPlugin({
  pluginId: 'clusters',
  title: 'Clusters',
  icon: <StorageIcon fontSize="inherit" />,
  info: { packageJson: () => import('../package.json') },
  routes: {
    root: rootRouteRef,
    audit: auditRouteRef,
  },
  extensions: [
    clustersApi,
    clustersPage,
    clustersOverviewSubPage,
    clustersAuditSubPage,
    workloadsEntityContent,
  ],
});
