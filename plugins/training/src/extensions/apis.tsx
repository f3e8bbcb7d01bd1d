import {
  ApiBlueprint,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { trainingApiRef } from '../api/TrainingApi';
import { TrainingClient } from '../api/TrainingClient';

/**
 * Provides {@link TrainingApi} to the app.
 * @alpha
 */
export const trainingApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: trainingApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new TrainingClient({ discoveryApi, fetchApi }),
    }),
});
