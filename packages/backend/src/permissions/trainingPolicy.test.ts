import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import { permissionRules } from '@backstage/plugin-catalog-backend/alpha';
import type { Entity } from '@backstage/catalog-model';
import {
  trainingRunCancelPermission,
  trainingRunCreatePermission,
  trainingRunReadPermission,
} from '@careplane/plugin-training-common';
import { CareplanePermissionPolicy } from './CareplanePermissionPolicy';

// The training permissions need no rule of their own: launch and cancel are catalog-entity
// resource permissions, which the generic rule gives to the entity's owners (admins get
// everything); reading runs is an open read.

function user(name: string, groups: string[]): PolicyQueryUser {
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

const li = user('li.wei', ['group:default/ml-platform']); // owner
const jordan = user('jordan.lee', ['group:default/telehealth-video']); // another team
const priya = user('priya.shah', ['group:default/platform-admins']); // admin

// triage-model-training, owned by ml-platform (catalog/components.yaml)
const training: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'triage-model-training', namespace: 'default' },
  spec: { owner: 'ml-platform' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/ml-platform' }],
};

/** The decision as the catalog would apply it to triage-model-training. */
function onTraining(decision: PolicyDecision): boolean {
  if (decision.result !== AuthorizeResult.CONDITIONAL) {
    return decision.result === AuthorizeResult.ALLOW;
  }
  const c = decision.conditions;
  if (!('rule' in c)) throw new Error('expected a single condition');
  expect(c.rule).toBe('IS_ENTITY_OWNER');
  const claims: unknown = c.params?.claims;
  return permissionRules.isEntityOwner.apply(training, {
    claims: Array.isArray(claims) ? claims.map(String) : [],
  });
}

describe('training permissions in the Careplane policy', () => {
  const policy = new CareplanePermissionPolicy();

  it.each(
    [trainingRunCreatePermission, trainingRunCancelPermission].map(
      p => [p.name, p] as const,
    ),
  )('%s: owner yes, another team no, admin yes', async (_, permission) => {
    expect(onTraining(await policy.handle({ permission }, li))).toBe(true);
    expect(onTraining(await policy.handle({ permission }, jordan))).toBe(false);
    expect(await policy.handle({ permission }, priya)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });

  it('lets everyone see runs', async () => {
    for (const who of [li, jordan, priya]) {
      expect(
        await policy.handle({ permission: trainingRunReadPermission }, who),
      ).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it('a backend acting as itself may not launch or cancel', async () => {
    for (const permission of [
      trainingRunCreatePermission,
      trainingRunCancelPermission,
    ]) {
      expect(await policy.handle({ permission })).toEqual({
        result: AuthorizeResult.DENY,
      });
    }
  });
});
