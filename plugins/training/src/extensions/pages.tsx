import { PageBlueprint } from '@backstage/frontend-plugin-api';
import MemoryIcon from '@material-ui/icons/Memory';
import { rootRouteRef } from '../routes';

/**
 * The Training page at `/training`, in the sidebar: runs across the organisation, launch, quota,
 * usage; `/training/runs/:id` for one run.
 * @alpha
 */
export const trainingPage = PageBlueprint.make({
  params: {
    path: '/training',
    title: 'Training',
    icon: <MemoryIcon fontSize="inherit" />,
    routeRef: rootRouteRef,
    loader: () =>
      import('../components/TrainingPage').then(m => <m.TrainingPage />),
  },
});
