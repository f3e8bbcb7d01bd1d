/* eslint-disable @backstage/no-undeclared-imports */
// The RBAC generator (not the plugin) reads the kinds the feature modules register on the gateway
// at start-up, from the packages that declare them, so that the generated rules cannot miss one.
import type { KindDescriptor } from '@careplane/plugin-clusters-common';
import { rolloutsKinds } from '@careplane/plugin-rollouts-common';
import { trainingKinds } from '@careplane/plugin-training-common';
import { complianceKinds } from '@careplane/plugin-compliance-common';
import { telehealthKinds } from '@careplane/plugin-scaffolder-backend-module-telehealth';

/** Every kind a feature module of the Careplane backend registers (clustersKindsExtensionPoint). */
export const featureKinds: KindDescriptor[] = [
  ...rolloutsKinds,
  ...trainingKinds,
  ...complianceKinds,
  ...telehealthKinds,
];
