import {
  PageBlueprint,
  SubPageBlueprint,
} from '@backstage/frontend-plugin-api';
import StorageIcon from '@material-ui/icons/Storage';
import { auditRouteRef, overviewRouteRef, rootRouteRef } from '../routes';

/**
 * The Clusters page at `/clusters`, in the sidebar (navigation items come from pages with a
 * title and an icon), with the overview and audit tabs below.
 * @alpha
 */
export const clustersPage = PageBlueprint.make({
  params: {
    path: '/clusters',
    title: 'Clusters',
    icon: <StorageIcon fontSize="inherit" />,
    routeRef: rootRouteRef,
  },
});

/**
 * Health, version, cache and traffic of every cluster (`/clusters/overview`).
 * @alpha
 */
export const clustersOverviewSubPage = SubPageBlueprint.make({
  name: 'overview',
  attachTo: { id: 'page:clusters', input: 'pages' },
  params: {
    path: 'overview',
    title: 'Overview',
    routeRef: overviewRouteRef,
    loader: () =>
      import('../components/ClustersOverview').then(m => (
        <m.ClustersOverview />
      )),
  },
});

/**
 * The clusters audit log with filters and export (`/clusters/audit`), for holders of
 * `clusters.audit.read`.
 * @alpha
 */
export const clustersAuditSubPage = SubPageBlueprint.make({
  name: 'audit',
  attachTo: { id: 'page:clusters', input: 'pages' },
  params: {
    path: 'audit',
    title: 'Audit',
    routeRef: auditRouteRef,
    loader: () =>
      import('../components/AuditLog').then(m => <m.AuditLog />),
  },
});
