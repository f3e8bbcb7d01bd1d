export { complianceApiRef, type ComplianceApi } from './ComplianceApi';
export { ComplianceClient } from './ComplianceClient';
