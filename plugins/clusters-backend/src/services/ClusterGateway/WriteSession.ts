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
  AuditAction,
  clustersScopeOverridePermission,
  KubeObject,
  WriteResult,
} from '@careplane/plugin-clusters-common';
import type { Request } from 'express';
import type { AuditStore } from '../../database/AuditStore';
import type { ClusterRegistry } from '../ClusterRegistry/ClusterRegistry';
import type { KindRegistry } from '../InformerCache/KindRegistry';
import { assertNamespaceName, assertObjectName } from '../WriteScope/names';
import { RateLimiter } from '../WriteScope/RateLimiter';
import type { EntityScope, WriteScope } from '../WriteScope/WriteScope';
import {
  actorOf,
  auditedWrite,
  auditRefusal,
  AuditTarget,
  denied,
  refused,
} from './auditedWrite';
import { envelopeOf, ScopeGuard, Target } from './writeTarget';

/**
 * Per-call context of a write.
 * @internal
 */
export interface WriteCallOptions {
  credentials: BackstageCredentials;
  /** The HTTP request, when there is one, for the auditor. */
  request?: Request;
}

/**
 * What the write path needs.
 * @internal
 */
export interface WriteDeps {
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
}

/** The caller's access to an entity: its scope, and whether they may write outside it. */
export interface Access {
  scope: EntityScope;
  admin: boolean;
}

/** Asks for a permission on the write's entity (and the scope override) in one round trip. */
export type Authorize = (permission: ResourcePermission) => Promise<Access>;

/**
 * The steps every write shares: one audit session per write (see {@link auditedWrite}: started
 * before anything is checked, then succeeded or failed exactly once), the per-person rate limit,
 * one authorize call, and resolving and scope-checking the target.
 * @internal
 */
export class WriteSessions {
  readonly guard: ScopeGuard;
  private readonly limiter: RateLimiter;

  constructor(readonly deps: WriteDeps) {
    this.limiter = new RateLimiter(deps.rateLimit);
    this.guard = new ScopeGuard(deps.scope);
  }

  /** Records a write refused before the gateway could read it (see auditRefusal). */
  recordRefusal(
    action: AuditAction,
    body: unknown,
    error: Error,
    options: WriteCallOptions,
  ): Promise<never> {
    return auditRefusal(this.deps, action, body, error, options);
  }

  /**
   * Runs one write: audit session, rate limit, then `fn`. `authorize` (inside `fn`) asks for the
   * entity permission and the scope override in one round trip.
   */
  run<T>(
    action: AuditAction,
    target: AuditTarget,
    options: WriteCallOptions,
    fn: (authorize: Authorize, target: AuditTarget) => Promise<T>,
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

  /** The kind, client and validated names of a target. */
  resolve(
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
  async existingTarget(
    request: {
      cluster: string;
      kind: string;
      namespace?: string;
      name: string;
    },
    access: Access,
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

  /** The answer to a write: what was written, and the object as the cluster returned it. */
  result(
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
      // a DELETE may answer a Status (the object is gone), which is not an object of the kind
      object:
        object && object.kind !== 'Status' && object.metadata
          ? envelopeOf(request.cluster, t.kind, object)
          : undefined,
    };
  }
}
