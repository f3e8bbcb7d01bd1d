import { createRouteRef } from '@backstage/frontend-plugin-api';

/** The Compliance page (`/compliance`). */
export const rootRouteRef = createRouteRef();
