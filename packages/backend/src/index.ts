/*
 * The Careplane backend: Backstage's core plugins plus the Careplane plugins, with a real
 * permission policy (src/permissions). Run it with `npm start` from the repository root.
 */
import { createBackend } from '@backstage/backend-defaults';
import { careplaneBackendFeatures } from './features';
import { careplaneRootHttpRouter } from './http';

const backend = createBackend();
// Backstage's root HTTP router plus a guard that refuses JSON bodies that are too large or nested
// too deeply, for every plugin (src/http). It is not in careplaneBackendFeatures because the test
// backend of features.test.ts brings its own root router.
backend.add(careplaneRootHttpRouter);
for (const feature of careplaneBackendFeatures()) {
  backend.add(feature);
}
backend.start();
