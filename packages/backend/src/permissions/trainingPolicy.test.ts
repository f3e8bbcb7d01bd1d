import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  trainingRunCancelPermission,
  trainingRunCreatePermission,
  trainingRunReadPermission,
} from '@careplane/plugin-training-common';
import { CareplanePermissionPolicy } from './CareplanePermissionPolicy';
import { componentOwnedBy, decidedOn, user } from './__testUtils__/policyWorld';

// The training permissions need no rule of their own: launch and cancel are catalog-entity
// resource permissions, which the generic rule gives to the entity's owners (admins get
// everything); reading runs is an open read.

const li = user('li.wei', ['group:default/ml-platform']); // owner
const jordan = user('jordan.lee', ['group:default/telehealth-video']); // another team
const priya = user('priya.shah', ['group:default/platform-admins']); // admin

// triage-model-training, owned by ml-platform (catalog/components.yaml)
const training = componentOwnedBy('triage-model-training', 'ml-platform');

const onTraining = (decision: PolicyDecision) => decidedOn(training, decision);

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
