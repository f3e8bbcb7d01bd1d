import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';

/**
 * Checks one permission with the caller's credentials, as the HTTP routes do; a DENY throws
 * `NotAllowedError`.
 * @internal
 */
export async function authorizeAction(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  permission: BasicPermission | ResourcePermission,
  resourceRef?: string,
): Promise<void> {
  const [decision] = await permissions.authorize(
    [
      'resourceType' in permission
        ? { permission, resourceRef: resourceRef! }
        : { permission },
    ],
    { credentials },
  );
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(`Not allowed: ${permission.name}`);
  }
}

/**
 * {@link authorizeAction} bound to one `PermissionsService`.
 * @internal
 */
export type Authorize = (
  credentials: BackstageCredentials,
  permission: BasicPermission | ResourcePermission,
  resourceRef?: string,
) => Promise<void>;

/**
 * Binds {@link authorizeAction} to a `PermissionsService`, as the router uses it.
 * @internal
 */
export function createAuthorize(permissions: PermissionsService): Authorize {
  return (credentials, permission, resourceRef) =>
    authorizeAction(permissions, credentials, permission, resourceRef);
}

/**
 * Whether the caller is a backend acting as itself (a service principal), as
 * `httpAuth.credentials(req, { allow: ['service'] })` tells on the HTTP routes.
 * @internal
 */
export function isServiceCall(credentials: BackstageCredentials): boolean {
  const principal = credentials.principal as { type?: unknown } | undefined;
  return principal?.type === 'service';
}
