import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  complianceExemptionApprovePermission,
  complianceExemptionRequestPermission,
} from '@careplane/plugin-compliance-common';
import { CareplanePermissionPolicy } from './CareplanePermissionPolicy';
import { componentOwnedBy, decidedOn, user } from './__testUtils__/policyWorld';

// The compliance permissions need no rule of their own: requesting an exemption is a
// catalog-entity resource permission (owners and admins, by the generic rule); approving is a
// plain permission that only platform admins hold (everything else is denied). The plugin also
// refuses an approval by the requester, whoever they are (four-eyes).

const owner = user('elena.petrova', ['group:default/clinical-records']); // owner
const kenji = user('kenji.watanabe', ['group:default/scheduling']); // not an owner
const priya = user('priya.shah', ['group:default/platform-admins']); // admin

// e-prescribing, owned by clinical-records (catalog/components.yaml)
const ePrescribing = componentOwnedBy('e-prescribing', 'clinical-records');

const onEntity = (decision: PolicyDecision) =>
  decidedOn(ePrescribing, decision);

describe('compliance permissions in the Careplane policy', () => {
  const policy = new CareplanePermissionPolicy();

  it('compliance.exemption.request: owner yes, non-owner no, admin yes', async () => {
    const permission = complianceExemptionRequestPermission;
    expect(onEntity(await policy.handle({ permission }, owner))).toBe(true);
    expect(onEntity(await policy.handle({ permission }, kenji))).toBe(false);
    expect(await policy.handle({ permission }, priya)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });

  it('compliance.exemption.approve: owner no (they request), non-owner no, admin yes', async () => {
    const permission = complianceExemptionApprovePermission;
    expect(await policy.handle({ permission }, owner)).toEqual({
      result: AuthorizeResult.DENY,
    });
    expect(await policy.handle({ permission }, kenji)).toEqual({
      result: AuthorizeResult.DENY,
    });
    expect(await policy.handle({ permission }, priya)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });

  it('a backend acting as itself may neither request nor approve', async () => {
    for (const permission of [
      complianceExemptionRequestPermission,
      complianceExemptionApprovePermission,
    ]) {
      expect(await policy.handle({ permission })).toEqual({
        result: AuthorizeResult.DENY,
      });
    }
  });
});
