import { PageBlueprint } from '@backstage/frontend-plugin-api';
import VerifiedUserIcon from '@material-ui/icons/VerifiedUser';
import { rootRouteRef } from '../routes';

/**
 * The Compliance page at `/compliance`, in the sidebar.
 * @alpha
 */
export const compliancePage = PageBlueprint.make({
  params: {
    path: '/compliance',
    title: 'Compliance',
    icon: <VerifiedUserIcon fontSize="inherit" />,
    routeRef: rootRouteRef,
    loader: () =>
      import('../components/CompliancePage').then(m => <m.CompliancePage />),
  },
});
