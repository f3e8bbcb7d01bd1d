/*
 * The Careplane backend: Backstage's core plugins plus the Careplane plugins, with a real
 * permission policy (src/permissions). Run it with `npm start` from the repository root.
 */
import { createBackend } from '@backstage/backend-defaults';
import { careplaneBackendFeatures } from './features';

const backend = createBackend();
for (const feature of careplaneBackendFeatures()) {
  backend.add(feature);
}
backend.start();
