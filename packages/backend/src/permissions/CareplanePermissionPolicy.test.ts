import {
  AuthorizeResult,
  createPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  taskCancelPermission,
  taskCreatePermission,
  templateManagementPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import {
  clustersAuditReadPermission,
  clustersClusterReadPermission,
  clustersPermissions,
  clustersPodLogsPermission,
  clustersResourcePatchPermission,
  clustersScopeOverridePermission,
} from '@careplane/plugin-clusters-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import { CareplanePermissionPolicy } from './CareplanePermissionPolicy';
import { user } from './__testUtils__/policyWorld';

const jordan = user('jordan.lee', ['group:default/telehealth-video']);
const priya = user('priya.shah', ['group:default/platform-admins']);

// The real permissions of the shared cluster plugin.
const resourcePatch = clustersResourcePatchPermission;
const podLogs = clustersPodLogsPermission;
const auditRead = clustersAuditReadPermission;
const clusterRead = clustersClusterReadPermission;
const unknownWrite = createPermission({
  name: 'someplugin.thing.create',
  attributes: { action: 'create' },
});

describe('CareplanePermissionPolicy', () => {
  const policy = new CareplanePermissionPolicy();
  const decide = (
    permission: Parameters<
      CareplanePermissionPolicy['handle']
    >[0]['permission'],
    who?: PolicyQueryUser,
  ): Promise<PolicyDecision> => policy.handle({ permission }, who);

  it('lets everyone read the catalog and cluster status', async () => {
    expect(await decide(catalogEntityReadPermission, jordan)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    expect(await decide(clusterRead, jordan)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });

  it('lets owners (through group membership) act on an entity, as a condition on ownership', async () => {
    const decision = await decide(resourcePatch, jordan);
    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: {
          claims: ['user:default/jordan.lee', 'group:default/telehealth-video'],
        },
      },
    });
    expect(await decide(catalogEntityDeletePermission, jordan)).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
    });
    expect(await decide(catalogEntityRefreshPermission, jordan)).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
    });
  });

  it('keeps pod logs to owners and the audit log to platform admins', async () => {
    expect(await decide(podLogs, jordan)).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: { rule: 'IS_ENTITY_OWNER' },
    });
    expect(await decide(auditRead, jordan)).toEqual({
      result: AuthorizeResult.DENY,
    });
    expect(await decide(auditRead, priya)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });

  it('lets anyone signed in run a template and register what it creates', async () => {
    expect(await decide(taskCreatePermission, jordan)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    expect(await decide(catalogLocationCreatePermission, jordan)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });

  it('lets only the person who started a task cancel it', async () => {
    expect(await decide(taskCancelPermission, jordan)).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'scaffolder',
      resourceType: 'scaffolder-task',
      conditions: {
        rule: 'IS_TASK_OWNER',
        resourceType: 'scaffolder-task',
        params: { createdBy: ['user:default/jordan.lee'] },
      },
    });
  });

  it('denies everything else to non-admins', async () => {
    for (const permission of [
      unknownWrite,
      catalogLocationDeletePermission,
      templateManagementPermission,
    ]) {
      expect(await decide(permission, jordan)).toEqual({
        result: AuthorizeResult.DENY,
      });
    }
  });

  it('decides every cluster permission for a team member as documented', async () => {
    const decisions = Object.fromEntries(
      await Promise.all(
        clustersPermissions.map(
          async p => [p.name, (await decide(p, jordan)).result] as const,
        ),
      ),
    );
    expect(decisions).toEqual({
      'clusters.cluster.read': AuthorizeResult.ALLOW,
      'clusters.resource.read': AuthorizeResult.ALLOW,
      'clusters.resource.apply': AuthorizeResult.CONDITIONAL,
      'clusters.resource.patch': AuthorizeResult.CONDITIONAL,
      'clusters.resource.delete': AuthorizeResult.CONDITIONAL,
      'clusters.pod.logs': AuthorizeResult.CONDITIONAL,
      // writing outside an entity's scope (cluster-scoped, kube-*, other teams' namespaces)
      'clusters.scope.override': AuthorizeResult.DENY,
      'clusters.audit.read': AuthorizeResult.DENY,
    });
  });

  it('lets platform admins do everything, unconditionally', async () => {
    for (const permission of [
      unknownWrite,
      resourcePatch,
      clustersScopeOverridePermission,
      podLogs,
      catalogLocationDeletePermission,
      templateManagementPermission,
    ]) {
      expect(await decide(permission, priya)).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it('gives calls without a user (service to service) reads only', async () => {
    expect(await decide(clusterRead)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    expect(await decide(resourcePatch)).toEqual({
      result: AuthorizeResult.DENY,
    });
    expect(await decide(taskCreatePermission)).toEqual({
      result: AuthorizeResult.DENY,
    });
  });
});
