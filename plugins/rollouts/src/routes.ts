import { createRouteRef } from '@backstage/frontend-plugin-api';

/** The "Waiting for you" page (`/rollouts`). */
export const rootRouteRef = createRouteRef();
