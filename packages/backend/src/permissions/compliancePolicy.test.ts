import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import { permissionRules } from '@backstage/plugin-catalog-backend/alpha';
import type { Entity } from '@backstage/catalog-model';
import {
  complianceExemptionApprovePermission,
  complianceExemptionRequestPermission,
} from '@careplane/plugin-compliance-common';
import { CareplanePermissionPolicy } from './CareplanePermissionPolicy';

// The compliance permissions need no rule of their own: requesting an exemption is a
// catalog-entity resource permission (owners and admins, by the generic rule); approving is a
// plain permission that only platform admins hold (everything else is denied). The plugin also
// refuses an approval by the requester, whoever they are (four-eyes).

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

const owner = user('elena.petrova', ['group:default/clinical-records']); // owner
const kenji = user('kenji.watanabe', ['group:default/scheduling']); // not an owner
const priya = user('priya.shah', ['group:default/platform-admins']); // admin

// e-prescribing, owned by clinical-records (catalog/components.yaml)
const ePrescribing: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'e-prescribing', namespace: 'default' },
  spec: { owner: 'clinical-records' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/clinical-records' }],
};

function onEntity(decision: PolicyDecision): boolean {
  if (decision.result !== AuthorizeResult.CONDITIONAL) {
    return decision.result === AuthorizeResult.ALLOW;
  }
  const c = decision.conditions as unknown as {
    rule: string;
    params: { claims: string[] };
  };
  expect(c.rule).toBe('IS_ENTITY_OWNER');
  return permissionRules.isEntityOwner.apply(ePrescribing, c.params);
}

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
