/**
 * Backend of the Careplane compliance plugin: HIPAA-mapped compliance scorecards evaluated from
 * the live state of every workload.
 *
 * @packageDocumentation
 */

export { compliancePlugin as default } from './plugin';
export { clustersModuleComplianceKinds } from './module';
export {
  complianceChecksExtensionPoint,
  type ComplianceChecksExtensionPoint,
} from './extensions';
