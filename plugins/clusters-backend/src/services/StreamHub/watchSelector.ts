import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  clustersResourceReadPermission,
  ObjectSelector,
} from '@careplane/plugin-clusters-common';
import { Authorize, isServiceCall } from '../../actions/authorize';

/**
 * The selector of a stream watch: an entity's (after a read check on it), or a raw selector, which
 * only backend callers may give.
 * @internal
 */
export async function watchSelector(
  body: { entityRef?: string; selector?: ObjectSelector },
  credentials: BackstageCredentials,
  deps: {
    /** Entity selector resolution (the gateway's). */
    gateway: {
      selectorFor(
        entityRef: string,
        credentials: BackstageCredentials,
      ): Promise<ObjectSelector>;
    };
    authorize: Authorize;
  },
): Promise<ObjectSelector> {
  if (body.entityRef) {
    await deps.authorize(
      credentials,
      clustersResourceReadPermission,
      body.entityRef,
    );
    return deps.gateway.selectorFor(body.entityRef, credentials);
  }
  if (!isServiceCall(credentials)) {
    throw new NotAllowedError(
      'Raw selector watches are for backend callers only',
    );
  }
  return body.selector!;
}
