import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import {
  AuthorizeResult,
  PermissionCriteria,
  PermissionCondition,
  PermissionRuleParams,
} from '@backstage/plugin-permission-common';
import { clustersResourceApplyPermission } from '@careplane/plugin-clusters-common';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { CLUSTER_RESOURCE_TYPE } from '@careplane/plugin-clusters-common';
import { createHash } from 'node:crypto';

/** Whether an error (local or from another backend over HTTP) is a permission denial. */
export function isNotAllowed(e: unknown): boolean {
  if (!isError(e)) return false;
  return (
    e.name === 'NotAllowedError' ||
    (e as { statusCode?: number }).statusCode === 403
  );
}

/**
 * Whether an error (local or from another backend over HTTP) is a 409 conflict, e.g. the
 * gateway's answer to creating a namespace that exists.
 */
export function isConflict(e: unknown): boolean {
  if (!isError(e)) return false;
  return (
    e.name === 'ConflictError' ||
    (e as { statusCode?: number }).statusCode === 409
  );
}

/** Error message without the HTTP wrapper text of a ResponseError. */
export function messageOf(e: unknown): string {
  if (!isError(e)) return String(e);
  const cause = (e as { cause?: unknown }).cause;
  if (e.name === 'ResponseError' && isError(cause)) return cause.message;
  return e.message;
}

/** Short content hash used in checkpoint keys, so a changed manifest is applied again. */
export function shortHash(value: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(value))
    .digest('hex')
    .slice(0, 16);
}

type Criteria = PermissionCriteria<
  PermissionCondition<string, PermissionRuleParams>
>;

/**
 * Evaluates a conditional decision on `clusters.resource.apply` for an entity that does not exist
 * yet and would be owned by `ownerRef`. Knows the catalog's IS_ENTITY_OWNER rule; any other rule
 * makes the answer `undefined` (unknown), and then only the gateway decides.
 */
function evaluate(criteria: Criteria, ownerRef: string): boolean | undefined {
  if ('allOf' in criteria) {
    const r = criteria.allOf.map(c => evaluate(c, ownerRef));
    if (r.includes(false)) return false;
    return r.includes(undefined) ? undefined : true;
  }
  if ('anyOf' in criteria) {
    const r = criteria.anyOf.map(c => evaluate(c, ownerRef));
    if (r.includes(true)) return true;
    return r.includes(undefined) ? undefined : false;
  }
  if ('not' in criteria) {
    const r = evaluate(criteria.not, ownerRef);
    return r === undefined ? undefined : !r;
  }
  if (criteria.rule === 'IS_ENTITY_OWNER') {
    const claims = (criteria.params as { claims?: string[] })?.claims ?? [];
    return claims.includes(ownerRef);
  }
  return undefined;
}

/**
 * Asks the permission policy, with the user's credentials, whether they could apply to the
 * clusters on behalf of a new entity owned by `ownerRef`. An early, friendly answer only: the
 * gateway checks every write again against the registered entity.
 * @returns a problem sentence, or undefined when allowed or undecidable here.
 */
export async function ownershipProblem(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  ownerRef: string,
  userRef: string | undefined,
): Promise<string | undefined> {
  const [decision] = await permissions.authorizeConditional(
    [{ permission: clustersResourceApplyPermission }],
    { credentials },
  );
  const who = userRef ?? 'You';
  if (decision.result === AuthorizeResult.ALLOW) return undefined;
  if (decision.result === AuthorizeResult.DENY) {
    return `${who} may not apply objects to clusters at all (clusters.resource.apply is denied).`;
  }
  if (
    decision.result === AuthorizeResult.CONDITIONAL &&
    evaluate(decision.conditions as Criteria, ownerRef) === false
  ) {
    return `${who} is not a member of ${ownerRef}: the cluster writes of a service owned by it would be denied. Choose a group you belong to, or ask a platform admin.`;
  }
  return undefined;
}

/** `careplane.io/phi` of each cluster entity in the catalog, by cluster name. */
export async function catalogClusterPhi(
  catalog: CatalogService,
  credentials: BackstageCredentials,
): Promise<Record<string, boolean | undefined>> {
  const { items } = await catalog.getEntities(
    {
      filter: { kind: 'Resource', 'spec.type': CLUSTER_RESOURCE_TYPE },
      fields: ['metadata.name', 'metadata.labels'],
    },
    { credentials },
  );
  return Object.fromEntries(
    items.map(e => {
      const label = e.metadata.labels?.['careplane.io/phi'];
      return [
        e.metadata.name,
        label === undefined ? undefined : label === 'true',
      ];
    }),
  );
}
