/**
 * Common library of the Careplane compliance plugin: the check catalog mapped to HIPAA
 * safeguards (as data and pure functions), score maths, exemptions and the four-eyes rule,
 * PolicyReport import, permissions, kinds and the API contract.
 *
 * @packageDocumentation
 */

export * from './types';
export * from './pod';
export * from './rbac';
export * from './catalog';
export * from './evaluate';
export * from './score';
export * from './exemptions';
export * from './policyReport';
export * from './permissions';
export * from './kinds';
export * from './workloads';
export * from './contract';
