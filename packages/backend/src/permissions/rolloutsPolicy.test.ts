import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import { permissionRules } from '@backstage/plugin-catalog-backend/alpha';
import type { Entity } from '@backstage/catalog-model';
import { rolloutsPermissions } from '@careplane/plugin-rollouts-common';
import { CareplanePermissionPolicy } from './CareplanePermissionPolicy';

// The rollouts permissions need no rule of their own: they are catalog-entity resource
// permissions, which the generic rule gives to the entity's owners (and admins everything).

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

const jordan = user('jordan.lee', ['group:default/telehealth-video']); // owner
const kenji = user('kenji.watanabe', ['group:default/scheduling']); // not an owner
const priya = user('priya.shah', ['group:default/platform-admins']); // admin

// video-consultation, owned by telehealth-video (catalog/components.yaml)
const video: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'video-consultation', namespace: 'default' },
  spec: { owner: 'telehealth-video' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/telehealth-video' }],
};

/** The decision as the catalog would apply it to video-consultation. */
function onVideo(decision: PolicyDecision): boolean {
  if (decision.result !== AuthorizeResult.CONDITIONAL) {
    return decision.result === AuthorizeResult.ALLOW;
  }
  const c = decision.conditions as unknown as {
    rule: string;
    params: { claims: string[] };
  };
  expect(c.rule).toBe('IS_ENTITY_OWNER');
  return permissionRules.isEntityOwner.apply(video, c.params);
}

describe('rollouts permissions in the Careplane policy', () => {
  const policy = new CareplanePermissionPolicy();

  it.each(rolloutsPermissions.map(p => [p.name, p] as const))(
    '%s: owner yes, non-owner no, admin yes',
    async (_, permission) => {
      expect(onVideo(await policy.handle({ permission }, jordan))).toBe(true);
      expect(onVideo(await policy.handle({ permission }, kenji))).toBe(false);
      expect(await policy.handle({ permission }, priya)).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    },
  );

  it('a backend acting as itself gets no rollout action', async () => {
    for (const permission of rolloutsPermissions) {
      expect(await policy.handle({ permission })).toEqual({
        result: AuthorizeResult.DENY,
      });
    }
  });
});
