import {
  clustersResourceApplyPermission,
  CreateNamespaceRequest,
  CreateNamespaceResult,
  KubeObject,
} from '@careplane/plugin-clusters-common';
import { assertDepth } from '../WriteScope/depth';
import { buildNewNamespace } from '../WriteScope/newNamespace';
import { denied, hashOf } from './auditedWrite';
import { sendNewNamespace } from './sendNewNamespace';
import { envelopeOf, requireReason } from './writeTarget';
import type { WriteCallOptions, WriteSessions } from './WriteSession';

/**
 * Creates the entity's own namespace (POST, never apply: it must not exist yet) with the
 * platform's labels, then its guard-rail policies in it, in one audit session. The one way a
 * service owner makes a namespace; granting an existing one is a platform admin's label.
 * @internal
 */
export async function createEntityNamespace(
  sessions: WriteSessions,
  request: CreateNamespaceRequest,
  options: WriteCallOptions,
): Promise<CreateNamespaceResult> {
  const { deps } = sessions;
  const kind = deps.kinds.get('Namespace');
  let name = '';
  let policies: KubeObject[] = [];
  const { auditId, result } = await sessions.run(
    'create-namespace',
    {
      entityRef: request.entityRef,
      cluster: request.cluster,
      kind: 'Namespace',
      reason: request.reason,
      dryRun: request.dryRun,
    },
    options,
    async (authorize, audit) => {
      requireReason(request.reason, request.dryRun);
      assertDepth(request, 'request');
      audit.patchSha256 = hashOf(request);
      const client = deps.registry.get(request.cluster).client;
      const { scope, admin } = await authorize(clustersResourceApplyPermission);
      const built = buildNewNamespace(
        scope,
        deps.scope.options.newNamespace,
        request,
      );
      name = built.namespace.metadata.name;
      policies = built.policies;
      audit.name = name;
      if (!admin && deps.scope.isSystemNamespace(name)) {
        throw denied(
          `Not allowed: namespace '${name}' is a system namespace; only platform admins create it`,
        );
      }
      return sendNewNamespace(
        client,
        deps.kinds,
        built,
        Boolean(request.dryRun),
        scope.id!,
      );
    },
  );
  return {
    cluster: request.cluster,
    kind: 'Namespace',
    name,
    dryRun: Boolean(request.dryRun),
    auditId,
    object: envelopeOf(request.cluster, kind, result),
    policies: policies.map(p => ({ kind: p.kind!, name: p.metadata.name })),
  };
}
