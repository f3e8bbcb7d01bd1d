/**
 * The Careplane compliance frontend plugin (new frontend system): HIPAA-mapped compliance
 * scorecards per service, team and safeguard, with evidence, history and exemptions.
 *
 * @packageDocumentation
 */

export { compliancePlugin as default } from './plugin';
export { hasComplianceScorecard } from './extensions/entityContent';
export { complianceApiRef, ComplianceClient, type ComplianceApi } from './api';
