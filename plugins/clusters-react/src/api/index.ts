export { clustersApiRef } from './ClustersApi';
export type {
  AuditExportFormat,
  ClustersApi,
  ClustersWatch,
} from './ClustersApi';
export { ClustersClient } from './ClustersClient';
export { describeError } from './describeError';
