export { ComplianceCard } from './ComplianceCard';
export { EntityComplianceContent } from './EntityComplianceContent';
