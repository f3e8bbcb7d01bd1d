import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
  SignInResolver,
} from '@backstage/plugin-auth-node';

/**
 * The provider id of the platform-admin persona. The app's sign-in page offers it next to the
 * guest (the demo engineer), so both sides of every permission can be seen in development.
 */
export const PLATFORM_ADMIN_PERSONA = 'platform-admin';

const DEFAULT_ADMIN = 'user:default/priya.shah';
const DEFAULT_ADMIN_OWNERSHIP = [
  DEFAULT_ADMIN,
  'group:default/platform-admins',
];

function isDevelopment() {
  return process.env.NODE_ENV === 'development';
}

/** A proxy authenticator with no credentials of its own: usable in development only. */
const developmentOnly = createProxyAuthenticator({
  defaultProfileTransform: async () => ({ profile: {} }),
  initialize: () => undefined,
  async authenticate() {
    if (!isDevelopment()) {
      throw new NotAllowedError(
        `The '${PLATFORM_ADMIN_PERSONA}' sign-in is a development persona and works only with NODE_ENV=development`,
      );
    }
    return { result: {} };
  },
});

/**
 * Signs in as the configured catalog user (`auth.providers.platform-admin.userEntityRef`,
 * default priya.shah of group platform-admins). Ownership comes from the catalog; the configured
 * `ownershipEntityRefs` are used only while the catalog has not read the demo organisation yet.
 */
export function signInAsPersona(config?: Config): SignInResolver<{}> {
  const userRef = config?.getOptionalString('userEntityRef') ?? DEFAULT_ADMIN;
  const ownership =
    config?.getOptionalStringArray('ownershipEntityRefs') ??
    (userRef === DEFAULT_ADMIN ? DEFAULT_ADMIN_OWNERSHIP : [userRef]);
  return async (_info, ctx) => {
    try {
      return await ctx.signInWithCatalogUser({ entityRef: userRef });
    } catch {
      return ctx.issueToken({ claims: { sub: userRef, ent: ownership } });
    }
  };
}

/**
 * Development personas: a second proxy sign-in next to the guest provider, for a platform admin.
 * Installed only outside production (see features.ts) and refusing to sign anyone in unless
 * NODE_ENV=development, like the guest provider.
 *
 * @public
 */
export const authModuleDevPersonas = createBackendModule({
  pluginId: 'auth',
  moduleId: 'careplane-dev-personas',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ providers, config }) {
        providers.registerProvider({
          providerId: PLATFORM_ADMIN_PERSONA,
          factory: createProxyAuthProviderFactory({
            authenticator: developmentOnly,
            signInResolver: signInAsPersona(
              config.getOptionalConfig(
                `auth.providers.${PLATFORM_ADMIN_PERSONA}`,
              ),
            ),
          }),
        });
      },
    });
  },
});
