import { createRouteRef } from '@backstage/frontend-plugin-api';

/** The Clusters page (`/clusters`). */
export const rootRouteRef = createRouteRef();

/** The Clusters overview tab. */
export const overviewRouteRef = createRouteRef();

/** The Audit tab (`/clusters/audit`). */
export const auditRouteRef = createRouteRef();
