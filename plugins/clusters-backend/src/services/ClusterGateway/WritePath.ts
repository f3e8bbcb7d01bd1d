import {
  ApplyRequest,
  AuditAction,
  CAREPLANE_FIELD_MANAGER,
  clustersResourceApplyPermission,
  clustersResourceDeletePermission,
  clustersResourcePatchPermission,
  CreateNamespaceRequest,
  CreateNamespaceResult,
  DeleteRequest,
  KubeObject,
  PatchRequest,
  PodLogsRequest,
  WriteResult,
} from '@careplane/plugin-clusters-common';
import { assertDepth } from '../WriteScope/depth';
import {
  assertWritingJsonPatch,
  ownerLabelChange,
} from '../WriteScope/patchGuard';
import { AuditTarget, denied, hashOf } from './auditedWrite';
import { createEntityNamespace } from './namespaceWrite';
import { PodLogAnswer, readPodLogs } from './podLogRead';
import { objectPath, requireReason, Target } from './writeTarget';
import { WriteCallOptions, WriteDeps, WriteSessions } from './WriteSession';

/** The audit target of a write to an existing object, as requested. */
function targetOf(request: PatchRequest | DeleteRequest): AuditTarget {
  const { entityRef, cluster, kind, namespace, name, reason, dryRun } = request;
  return { entityRef, cluster, kind, namespace, name, reason, dryRun };
}

/**
 * The write path of the gateway: every apply, patch, delete, pod-log read and new namespace is
 * validated, permission-checked with the caller's credentials, held to the entity's write scope
 * (README "Write scope"), rate-limited per person, and audited in one session that ends exactly
 * once, whatever happens (see {@link WriteSessions}).
 * @internal
 */
export class WritePath {
  private readonly sessions: WriteSessions;

  constructor(deps: WriteDeps) {
    this.sessions = new WriteSessions(deps);
  }

  private get deps() {
    return this.sessions.deps;
  }

  /** Records a write refused before the gateway could read it (see auditRefusal). */
  recordRefusal(
    action: AuditAction,
    body: unknown,
    error: Error,
    options: WriteCallOptions,
  ): Promise<never> {
    return this.sessions.recordRefusal(action, body, error, options);
  }

  async apply(
    request: ApplyRequest,
    options: WriteCallOptions,
  ): Promise<WriteResult> {
    const manifest = request.manifest;
    let target!: Target;
    const { auditId, result } = await this.sessions.run(
      'apply',
      {
        entityRef: request.entityRef,
        cluster: request.cluster,
        kind: manifest?.kind,
        namespace: manifest?.metadata?.namespace,
        name: manifest?.metadata?.name,
        reason: request.reason,
        dryRun: request.dryRun,
      },
      options,
      async (authorize, audit) => {
        requireReason(request.reason, request.dryRun);
        assertDepth(manifest, 'manifest');
        audit.patchSha256 = hashOf(manifest);
        const kind = this.deps.kinds.forManifest(
          manifest.apiVersion,
          manifest.kind,
        );
        const resolved = this.sessions.resolve(
          request.cluster,
          kind.kind,
          manifest.metadata?.namespace,
          manifest.metadata?.name,
        );
        target = {
          ...resolved,
          ...(await authorize(clustersResourceApplyPermission)),
        };
        if (!target.admin) {
          await this.sessions.guard.check(target, true);
          const violation = this.deps.scope.manifestViolation(
            target.scope,
            kind,
            target.name,
            manifest.metadata?.labels,
          );
          if (violation) throw denied(`Not allowed: ${violation}`);
        }
        return target.client.request<KubeObject>({
          verb: 'apply',
          method: 'PATCH',
          path: objectPath(kind, target.namespace, target.name),
          query: {
            fieldManager: CAREPLANE_FIELD_MANAGER,
            force: request.force ? true : undefined,
            dryRun: request.dryRun ? 'All' : undefined,
          },
          body: manifest,
          contentType: 'application/apply-patch+yaml',
          retry: 'throttled-only',
        });
      },
    );
    return this.sessions.result(target, request, auditId, result);
  }

  async patch(
    request: PatchRequest,
    options: WriteCallOptions,
  ): Promise<WriteResult> {
    let target!: Target;
    const { auditId, result } = await this.sessions.run(
      'patch',
      targetOf(request),
      options,
      async (authorize, audit) => {
        requireReason(request.reason, request.dryRun);
        assertDepth(request.patch, 'patch');
        if (request.patchType === 'json') assertWritingJsonPatch(request.patch);
        audit.patchSha256 = hashOf({
          subresource: request.subresource ?? null,
          patch: request.patch,
        });
        target = await this.sessions.existingTarget(
          request,
          await authorize(clustersResourcePatchPermission),
          true,
        );
        if (!target.admin) {
          const change = ownerLabelChange(
            request.patchType,
            request.patch,
            target.scope.id!,
          );
          if (change) throw denied(`Not allowed: ${change}`);
        }
        return target.client.request<KubeObject>({
          verb: 'patch',
          method: 'PATCH',
          path: `${objectPath(target.kind, target.namespace, target.name)}${
            request.subresource === 'status' ? '/status' : ''
          }`,
          query: {
            fieldManager: CAREPLANE_FIELD_MANAGER,
            dryRun: request.dryRun ? 'All' : undefined,
          },
          body: request.patch,
          contentType:
            request.patchType === 'json'
              ? 'application/json-patch+json'
              : 'application/merge-patch+json',
          retry: 'throttled-only',
        });
      },
    );
    return this.sessions.result(target, request, auditId, result);
  }

  async delete(
    request: DeleteRequest,
    options: WriteCallOptions,
  ): Promise<WriteResult> {
    let target!: Target;
    const { auditId, result } = await this.sessions.run(
      'delete',
      targetOf(request),
      options,
      async authorize => {
        requireReason(request.reason, request.dryRun);
        target = await this.sessions.existingTarget(
          request,
          await authorize(clustersResourceDeletePermission),
          true,
        );
        return target.client.request<KubeObject>({
          verb: 'delete',
          method: 'DELETE',
          path: objectPath(target.kind, target.namespace, target.name),
          query: { dryRun: request.dryRun ? 'All' : undefined },
          body: {
            apiVersion: 'v1',
            kind: 'DeleteOptions',
            propagationPolicy: request.propagationPolicy ?? 'Background',
          },
          retry: 'idempotent',
        });
      },
    );
    return this.sessions.result(target, request, auditId, result);
  }

  /** Pod logs, scope-checked and audited like a write (see readPodLogs). */
  podLogs(
    request: PodLogsRequest,
    options: WriteCallOptions & { signal?: AbortSignal },
  ): Promise<PodLogAnswer> {
    return readPodLogs(this.sessions, request, options);
  }

  /** The entity's own namespace, new (see createEntityNamespace). */
  createNamespace(
    request: CreateNamespaceRequest,
    options: WriteCallOptions,
  ): Promise<CreateNamespaceResult> {
    return createEntityNamespace(this.sessions, request, options);
  }
}
