import { BackendFeature } from '@backstage/backend-plugin-api';
import { permissionModuleCareplanePolicy } from './permissions';

type Feature = BackendFeature | Promise<{ default: BackendFeature }>;

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
): Feature[] {
  return [
    import('@backstage/plugin-app-backend'),
    import('@backstage/plugin-proxy-backend'),

    // Auth
    import('@backstage/plugin-auth-backend'),
    ...(env === 'production'
      ? []
      : [import('@backstage/plugin-auth-backend-module-guest-provider')]),

    // Catalog
    import('@backstage/plugin-catalog-backend'),
    import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
    import('@backstage/plugin-catalog-backend-module-logs'),

    // Scaffolder, publishing to GitHub or GitLab in production
    import('@backstage/plugin-scaffolder-backend'),
    import('@backstage/plugin-scaffolder-backend-module-github'),
    import('@backstage/plugin-scaffolder-backend-module-gitlab'),
    import('@backstage/plugin-scaffolder-backend-module-notifications'),

    // Permissions: Careplane's policy, never allow-all
    import('@backstage/plugin-permission-backend'),
    permissionModuleCareplanePolicy,

    // Search: Lunr in memory in development, PostgreSQL in production
    import('@backstage/plugin-search-backend'),
    import('@backstage/plugin-search-backend-module-pg'),
    import('@backstage/plugin-search-backend-module-catalog'),

    import('@backstage/plugin-user-settings-backend'),
    import('@backstage/plugin-notifications-backend'),
    import('@backstage/plugin-signals-backend'),

    // Actions of every plugin, reachable by assistants over MCP
    import('@backstage/plugin-mcp-actions-backend'),
  ];
}
