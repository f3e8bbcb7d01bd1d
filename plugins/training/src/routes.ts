import { createRouteRef } from '@backstage/frontend-plugin-api';

/** The Training page (`/training`). */
export const rootRouteRef = createRouteRef();
