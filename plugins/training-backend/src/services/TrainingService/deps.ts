import type {
  AuditorService,
  AuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { ClustersService } from '@careplane/plugin-clusters-node';
import type { TrainingConfig } from '../../config';
import type { RunStore } from '../../database/RunStore';

/** What the training service is built from. @internal */
export interface TrainingDeps {
  clusters: ClustersService;
  store: RunStore;
  catalog: CatalogService;
  permissions: PermissionsService;
  auditor: AuditorService;
  auth: AuthService;
  logger: LoggerService;
  config: TrainingConfig;
  /** Clock (ms since epoch), for tests. */
  now?: () => number;
  /** Run ids, for tests. */
  newId?: () => string;
}
