import { BackendFeature } from '@backstage/backend-plugin-api';
import appBackend from '@backstage/plugin-app-backend';
import proxyBackend from '@backstage/plugin-proxy-backend';
import eventsBackend from '@backstage/plugin-events-backend';
import authBackend from '@backstage/plugin-auth-backend';
import authBackendModuleGuestProvider from '@backstage/plugin-auth-backend-module-guest-provider';
import catalogBackend from '@backstage/plugin-catalog-backend';
import catalogBackendModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import catalogBackendModuleLogs from '@backstage/plugin-catalog-backend-module-logs';
import scaffolderBackend from '@backstage/plugin-scaffolder-backend';
import scaffolderBackendModuleGithub from '@backstage/plugin-scaffolder-backend-module-github';
import scaffolderBackendModuleGitlab from '@backstage/plugin-scaffolder-backend-module-gitlab';
import scaffolderBackendModuleNotifications from '@backstage/plugin-scaffolder-backend-module-notifications';
import permissionBackend from '@backstage/plugin-permission-backend';
import searchBackend from '@backstage/plugin-search-backend';
import searchBackendModulePg from '@backstage/plugin-search-backend-module-pg';
import searchBackendModuleCatalog from '@backstage/plugin-search-backend-module-catalog';
import userSettingsBackend from '@backstage/plugin-user-settings-backend';
import notificationsBackend from '@backstage/plugin-notifications-backend';
import signalsBackend from '@backstage/plugin-signals-backend';
import mcpActionsBackend from '@backstage/plugin-mcp-actions-backend';
import clustersBackend, {
  catalogModuleKubernetesClaims,
} from '@careplane/plugin-clusters-backend';
import scaffolderBackendModuleTelehealth from '@careplane/plugin-scaffolder-backend-module-telehealth';
import trainingBackend, {
  clustersModuleTrainingKinds,
  scaffolderModuleTraining,
} from '@careplane/plugin-training-backend';
import rolloutsBackend, {
  clustersModuleRolloutsKinds,
} from '@careplane/plugin-rollouts-backend';
import complianceBackend, {
  clustersModuleComplianceKinds,
} from '@careplane/plugin-compliance-backend';
import { permissionModuleCareplanePolicy } from './permissions';
import { authModuleDevPersonas } from './auth/devPersonas';
import { clustersModuleMigrationsKinds } from './modules/migrationsKinds';

/**
 * Every feature of the Careplane backend, in one list so that the start-up test starts exactly
 * what `npm start` starts.
 *
 * The guest sign-in exists for local development only (it refuses to sign anyone in outside
 * NODE_ENV=development, and is not even installed in production); production configures a real
 * identity provider.
 */
export function careplaneBackendFeatures(
  env: string | undefined = process.env.NODE_ENV,
): BackendFeature[] {
  return [
    appBackend,
    proxyBackend,
    // The event bus the catalog and signals subscribe to
    eventsBackend,

    // Auth
    authBackend,
    // Development personas: the demo engineer (guest) and a platform admin
    ...(env === 'production'
      ? []
      : [authBackendModuleGuestProvider, authModuleDevPersonas]),

    // Catalog
    catalogBackend,
    catalogBackendModuleScaffolderEntityModel,
    catalogBackendModuleLogs,
    // Careplane: an entity may not claim another entity's Kubernetes objects (kubernetes-id taken,
    // or a label selector not pinned to its own id) unless a platform-owned location defines it
    catalogModuleKubernetesClaims,

    // Scaffolder, publishing to GitHub or GitLab in production
    scaffolderBackend,
    scaffolderBackendModuleGithub,
    scaffolderBackendModuleGitlab,
    scaffolderBackendModuleNotifications,
    // Careplane: render, publish, register and apply telehealth services
    scaffolderBackendModuleTelehealth,

    // Permissions: Careplane's policy, never allow-all
    permissionBackend,
    permissionModuleCareplanePolicy,

    // Search: Lunr in memory in development, PostgreSQL in production
    searchBackend,
    searchBackendModulePg,
    searchBackendModuleCatalog,

    userSettingsBackend,
    notificationsBackend,
    signalsBackend,

    // Careplane: the shared cluster plugin
    clustersBackend,

    // Careplane: GPU training runs, their kinds in the cluster plugin, training:run:create
    trainingBackend,
    clustersModuleTrainingKinds,
    scaffolderModuleTraining,

    // Careplane: rollout status, guarded actions and error-budget gates (Argo / Flagger kinds
    // registered on the clusters plugin by its module)
    rolloutsBackend,
    clustersModuleRolloutsKinds,
    // the kinds the migrations feature reads (until it has a backend of its own)
    clustersModuleMigrationsKinds,

    // Careplane: compliance scorecards mapped to HIPAA (RBAC and report kinds registered on the
    // clusters plugin by its module)
    complianceBackend,
    clustersModuleComplianceKinds,

    // Actions of every plugin, reachable by assistants over MCP
    mcpActionsBackend,
  ];
}
