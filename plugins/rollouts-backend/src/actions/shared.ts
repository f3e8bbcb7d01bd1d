import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';

/** The normalised entity ref, or an InputError that says what a ref looks like. */
export function entityRefInput(value: string): string {
  try {
    return stringifyEntityRef(parseEntityRef(value));
  } catch {
    throw new InputError(
      `Invalid entity ref '${value}'; expected kind:namespace/name, e.g. component:default/video-consultation`,
    );
  }
}

/** Write actions act for a person only: a backend or an anonymous caller is refused. */
export function requireUser(credentials: BackstageCredentials): void {
  const principal = credentials.principal as { type?: unknown } | undefined;
  if (principal?.type !== 'user') {
    throw new NotAllowedError(
      'This action changes a cluster and needs a signed-in user; it is refused for service and anonymous callers',
    );
  }
}
