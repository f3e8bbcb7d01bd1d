import type {
  AuditorService,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  ApplyRequest,
  AuditAction,
  CreateNamespaceRequest,
  CreateNamespaceResult,
  CAREPLANE_FIELD_MANAGER,
  clustersPodLogsPermission,
  clustersResourceApplyPermission,
  clustersResourceDeletePermission,
  clustersResourcePatchPermission,
  clustersScopeOverridePermission,
  DeleteRequest,
  KubeObject,
  PatchRequest,
  PodLogsRequest,
  WriteResult,
} from '@careplane/plugin-clusters-common';
import type { AuditStore } from '../../database/AuditStore';
import type { ClusterRegistry } from '../ClusterRegistry/ClusterRegistry';
import type { KindRegistry } from '../InformerCache/KindRegistry';
import { assertDepth } from '../WriteScope/depth';
import { assertNamespaceName, assertObjectName } from '../WriteScope/names';
import { buildNewNamespace } from '../WriteScope/newNamespace';
import { explainEmptyLog, POD_NOT_STARTED } from './podLogText';
import { sendNewNamespace } from './sendNewNamespace';
import {
  assertWritingJsonPatch,
  ownerLabelChange,
} from '../WriteScope/patchGuard';
import { RateLimiter } from '../WriteScope/RateLimiter';
import type { EntityScope, WriteScope } from '../WriteScope/WriteScope';
import {
  actorOf,
  auditedWrite,
  auditRefusal,
  AuditTarget,
  denied,
  hashOf,
  refused,
} from './auditedWrite';
import type { GatewayCallOptions } from './ClusterGateway';
import {
  envelopeOf,
  objectPath,
  requireReason,
  ScopeGuard,
  Target,
} from './writeTarget';

/** The audit target of a write to an existing object, as requested. */
function targetOf(request: PatchRequest | DeleteRequest): AuditTarget {
  const { entityRef, cluster, kind, namespace, name, reason, dryRun } = request;
  return { entityRef, cluster, kind, namespace, name, reason, dryRun };
}

/**
 * The write path of the gateway: every apply, patch, delete, pod-log read and new namespace is
 * validated, permission-checked with the caller's credentials, held to the entity's write scope
 * (README "Write scope"), rate-limited per person, and audited exactly once, whatever happens.
 * @internal
 */
export class WritePath {
  private readonly limiter: RateLimiter;
  private readonly guard: ScopeGuard;

  constructor(
    private readonly deps: {
      registry: ClusterRegistry;
      kinds: KindRegistry;
      permissions: PermissionsService;
      auditor: AuditorService;
      auditStore: AuditStore;
      logger: LoggerService;
      scope: WriteScope;
      rateLimit: { write: number; logs: number };
      scopeFor(
        entityRef: string,
        credentials: BackstageCredentials,
      ): Promise<EntityScope>;
    },
  ) {
    this.limiter = new RateLimiter(deps.rateLimit);
    this.guard = new ScopeGuard(deps.scope);
  }

  /** Records a write refused before the gateway could read it (see auditRefusal). */
  recordRefusal(
    action: AuditAction,
    body: unknown,
    error: Error,
    options: GatewayCallOptions,
  ): Promise<never> {
    return auditRefusal(this.deps, action, body, error, options);
  }

  /**
   * Runs one write: rate limit, audit session, then `fn`. `authorize` (inside `fn`) asks for the
   * entity permission and the scope override in one round trip.
   */
  private run<T>(
    action: AuditAction,
    target: AuditTarget,
    options: GatewayCallOptions,
    fn: (
      authorize: (permission: ResourcePermission) => Promise<{
        scope: EntityScope;
        admin: boolean;
      }>,
      target: AuditTarget,
    ) => Promise<T>,
  ) {
    return auditedWrite(this.deps, action, target, options, async t => {
      try {
        this.limiter.take(
          action === 'logs' ? 'logs' : 'write',
          actorOf(options.credentials).actor,
        );
      } catch (e) {
        throw refused(e as Error);
      }
      return fn(async permission => {
        const [entityDecision, overrideDecision] =
          await this.deps.permissions.authorize(
            [
              { permission, resourceRef: t.entityRef },
              { permission: clustersScopeOverridePermission },
            ],
            { credentials: options.credentials },
          );
        if (entityDecision.result !== AuthorizeResult.ALLOW) {
          throw denied(`Not allowed: ${permission.name} on ${t.entityRef}`);
        }
        const scope = await this.deps.scopeFor(
          t.entityRef,
          options.credentials,
        );
        return {
          scope,
          admin: overrideDecision.result === AuthorizeResult.ALLOW,
        };
      }, t);
    });
  }

  private resolve(
    cluster: string,
    kindName: unknown,
    namespace: unknown,
    name: unknown,
  ) {
    const kind = this.deps.kinds.get(String(kindName ?? ''));
    const client = this.deps.registry.get(cluster).client;
    return {
      kind,
      client,
      namespace: kind.namespaced ? assertNamespaceName(namespace) : undefined,
      name: assertObjectName(name, kind.kind),
    };
  }

  /**
   * The target of a write to an existing object, authorized; for callers inside the scope rules
   * (not admins) the object must exist and be in the entity's scope.
   */
  private async existingTarget(
    request: {
      cluster: string;
      kind: string;
      namespace?: string;
      name: string;
    },
    access: { scope: EntityScope; admin: boolean },
    kindPolicy: boolean,
  ): Promise<Target> {
    const target = {
      ...this.resolve(
        request.cluster,
        request.kind,
        request.namespace,
        request.name,
      ),
      ...access,
    };
    if (!target.admin) await this.guard.existing(target, kindPolicy);
    return target;
  }

  private result(
    t: Target,
    request: { cluster: string; dryRun?: boolean },
    auditId: string,
    object?: KubeObject,
  ): WriteResult {
    return {
      cluster: request.cluster,
      kind: t.kind.kind,
      namespace: t.namespace,
      name: t.name,
      dryRun: Boolean(request.dryRun),
      auditId,
      object:
        object && (object as any).kind !== 'Status' && object.metadata
          ? envelopeOf(request.cluster, t.kind, object)
          : undefined,
    };
  }

  async apply(
    request: ApplyRequest,
    options: GatewayCallOptions,
  ): Promise<WriteResult> {
    const manifest = request.manifest;
    let target!: Target;
    const { auditId, result } = await this.run(
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
        const resolved = this.resolve(
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
          await this.guard.check(target, true);
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
    return this.result(target, request, auditId, result);
  }

  async patch(
    request: PatchRequest,
    options: GatewayCallOptions,
  ): Promise<WriteResult> {
    let target!: Target;
    const { auditId, result } = await this.run(
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
        target = await this.existingTarget(
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
    return this.result(target, request, auditId, result);
  }

  async delete(
    request: DeleteRequest,
    options: GatewayCallOptions,
  ): Promise<WriteResult> {
    let target!: Target;
    const { auditId, result } = await this.run(
      'delete',
      targetOf(request),
      options,
      async authorize => {
        requireReason(request.reason, request.dryRun);
        target = await this.existingTarget(
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
    return this.result(target, request, auditId, result);
  }

  /**
   * Pod logs, held to the entity's scope like a write (logs of PHI workloads may carry PHI) and
   * audited. Returns the text, or a stream when `follow` (the caller must pipe it and abort
   * `signal` when the client leaves).
   */
  async podLogs(
    request: PodLogsRequest,
    options: GatewayCallOptions & { signal?: AbortSignal },
  ): Promise<{
    auditId: string;
    text?: string;
    stream?: NodeJS.ReadableStream;
  }> {
    const tailLines =
      request.tailLines ??
      (request.sinceSeconds === undefined ? 500 : undefined);
    const query = {
      container: request.container,
      previous: request.previous ? true : undefined,
      tailLines,
      sinceSeconds: request.sinceSeconds,
      follow: request.follow ? true : undefined,
      timestamps: true,
    };
    const { auditId, result } = await this.run(
      'logs',
      {
        entityRef: request.entityRef,
        cluster: request.cluster,
        kind: 'Pod',
        namespace: request.namespace,
        name: request.pod,
        reason: request.reason,
      },
      options,
      async authorize => {
        const resolved = this.resolve(
          request.cluster,
          'Pod',
          request.namespace,
          request.pod,
        );
        const target = {
          ...resolved,
          ...(await authorize(clustersPodLogsPermission)),
        };
        const live = target.admin
          ? undefined
          : await this.guard.existing(target, false);
        const path = `${objectPath(
          target.kind,
          target.namespace,
          target.name,
        )}/log`;
        // The API server answers 204 with no body for a pod without a node (LogLocation has no
        // location), which KubeClient hands back as empty. An empty answer is only then told
        // apart from an empty log: by the pod having no node.
        const notStarted = async () => {
          const pod = live?.spec?.nodeName
            ? live
            : await this.guard.live(target);
          return Boolean(pod && !pod.spec?.nodeName);
        };
        if (request.follow) {
          const upstream = await target.client.stream(
            { verb: 'logs', method: 'GET', path, query },
            options.signal ?? new AbortController().signal,
          );
          return { stream: explainEmptyLog(upstream, notStarted) };
        }
        const text = await target.client.requestText({
          verb: 'logs',
          method: 'GET',
          path,
          query,
          retry: 'idempotent',
        });
        return {
          text: text === '' && (await notStarted()) ? POD_NOT_STARTED : text,
        };
      },
    );
    return { auditId, ...result };
  }

  /**
   * Creates the entity's own namespace (POST, never apply: it must not exist yet) with the
   * platform's labels, then its guard-rail policies in it. The one way a service owner makes a
   * namespace; granting an existing one is a platform admin's label.
   */
  async createNamespace(
    request: CreateNamespaceRequest,
    options: GatewayCallOptions,
  ): Promise<CreateNamespaceResult> {
    const kind = this.deps.kinds.get('Namespace');
    let name = '';
    let policies: KubeObject[] = [];
    const { auditId, result } = await this.run(
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
        const client = this.deps.registry.get(request.cluster).client;
        const { scope, admin } = await authorize(
          clustersResourceApplyPermission,
        );
        const built = buildNewNamespace(
          scope,
          this.deps.scope.options.newNamespace,
          request,
        );
        name = built.namespace.metadata.name;
        policies = built.policies;
        audit.name = name;
        if (!admin && this.deps.scope.isSystemNamespace(name)) {
          throw denied(
            `Not allowed: namespace '${name}' is a system namespace; only platform admins create it`,
          );
        }
        return sendNewNamespace(
          client,
          this.deps.kinds,
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
}
