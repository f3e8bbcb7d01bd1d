import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { ComplianceCheck } from '@careplane/plugin-compliance-common';

/**
 * Lets backend modules add checks (pure functions of cached objects, like the built-in ones).
 * A check id used twice stops the backend at start.
 * @public
 */
export interface ComplianceChecksExtensionPoint {
  addChecks(checks: ComplianceCheck[]): void;
}

/**
 * Extension point for {@link ComplianceChecksExtensionPoint}.
 * @public
 */
export const complianceChecksExtensionPoint =
  createExtensionPoint<ComplianceChecksExtensionPoint>({
    id: 'compliance.checks',
  });
