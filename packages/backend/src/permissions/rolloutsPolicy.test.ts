import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { rolloutsPermissions } from '@careplane/plugin-rollouts-common';
import { CareplanePermissionPolicy } from './CareplanePermissionPolicy';
import { componentOwnedBy, decidedOn, user } from './__testUtils__/policyWorld';

// The rollouts permissions need no rule of their own: they are catalog-entity resource
// permissions, which the generic rule gives to the entity's owners (and admins everything).

const jordan = user('jordan.lee', ['group:default/telehealth-video']); // owner
const kenji = user('kenji.watanabe', ['group:default/scheduling']); // not an owner
const priya = user('priya.shah', ['group:default/platform-admins']); // admin

// video-consultation, owned by telehealth-video (catalog/components.yaml)
const video = componentOwnedBy('video-consultation', 'telehealth-video');

const onVideo = (decision: PolicyDecision) => decidedOn(video, decision);

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
