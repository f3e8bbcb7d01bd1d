import {
  ApiBlueprint,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { ComplianceClient, complianceApiRef } from '../api';

/**
 * Provides the compliance API to the app.
 * @alpha
 */
export const complianceApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: complianceApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ComplianceClient({ discoveryApi, fetchApi }),
    }),
});
