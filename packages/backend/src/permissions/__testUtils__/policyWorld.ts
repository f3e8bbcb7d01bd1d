import type { Entity } from '@backstage/catalog-model';
import { permissionRules } from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';

/** A signed-in user of the demo organisation, as the permission backend hands it to the policy. */
export function user(name: string, groups: string[]): PolicyQueryUser {
  const userEntityRef = `user:default/${name}`;
  return {
    identity: {
      type: 'user',
      userEntityRef,
      ownershipEntityRefs: [userEntityRef, ...groups],
    },
    token: 'not-used',
    credentials: {
      $$type: '@backstage/BackstageCredentials',
      principal: { type: 'user', userEntityRef },
    },
    info: { userEntityRef, ownershipEntityRefs: [userEntityRef, ...groups] },
  } as PolicyQueryUser;
}

/** A component of the demo catalog owned by a team (catalog/components.yaml). */
export function componentOwnedBy(name: string, team: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: { owner: team },
    relations: [{ type: 'ownedBy', targetRef: `group:default/${team}` }],
  };
}

/**
 * The decision as the catalog would apply it to `entity`: ALLOW / DENY as they are, a
 * conditional decision must be the catalog's owner rule and is evaluated on the entity.
 */
export function decidedOn(entity: Entity, decision: PolicyDecision): boolean {
  if (decision.result !== AuthorizeResult.CONDITIONAL) {
    return decision.result === AuthorizeResult.ALLOW;
  }
  const c = decision.conditions;
  if (!('rule' in c)) throw new Error('expected a single condition');
  expect(c.rule).toBe('IS_ENTITY_OWNER');
  const claims: unknown = c.params?.claims;
  return permissionRules.isEntityOwner.apply(entity, {
    claims: Array.isArray(claims) ? claims.map(String) : [],
  });
}
