import { PageBlueprint } from '@backstage/frontend-plugin-api';
import TimelapseIcon from '@material-ui/icons/Timelapse';
import { rootRouteRef } from '../routes';

/**
 * "Waiting for you" at `/rollouts`, in the sidebar: every release on every cluster that waits for
 * a person.
 * @alpha
 */
export const waitingPage = PageBlueprint.make({
  params: {
    path: '/rollouts',
    title: 'Waiting for you',
    icon: <TimelapseIcon fontSize="inherit" />,
    routeRef: rootRouteRef,
    loader: () =>
      import('../components/WaitingPage').then(m => <m.WaitingPage />),
  },
});
