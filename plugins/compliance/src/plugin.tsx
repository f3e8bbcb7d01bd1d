import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import VerifiedUserIcon from '@material-ui/icons/VerifiedUser';
import { complianceApi } from './extensions/apis';
import {
  complianceEntityCard,
  complianceEntityContent,
} from './extensions/entityContent';
import { compliancePage } from './extensions/pages';
import { rootRouteRef } from './routes';

/**
 * The Careplane compliance frontend plugin: the entity Compliance tab and card, and the
 * Compliance page.
 * @public
 */
export const compliancePlugin = createFrontendPlugin({
  pluginId: 'compliance',
  title: 'Compliance',
  icon: <VerifiedUserIcon fontSize="inherit" />,
  info: { packageJson: () => import('../package.json') },
  routes: { root: rootRouteRef },
  extensions: [
    complianceApi,
    complianceEntityContent,
    complianceEntityCard,
    compliancePage,
  ],
});
