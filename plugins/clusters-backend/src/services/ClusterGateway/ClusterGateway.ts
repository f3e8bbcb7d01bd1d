import type {
  AuditorService,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef, parseEntityRef } from '@backstage/catalog-model';
import {
  InputError,
  NotAllowedError,
  NotFoundError,
  serializeError,
} from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  ApplyRequest,
  AuditAction,
  AuditOutcome,
  AuditRecord,
  CAREPLANE_FIELD_MANAGER,
  ClusterInfo,
  ClusterObjectsResult,
  ClusterResult,
  clustersPodLogsPermission,
  clustersResourceApplyPermission,
  clustersResourceDeletePermission,
  clustersResourcePatchPermission,
  ClusterWorkloads,
  DeleteRequest,
  EntityWorkloadsResponse,
  KindDescriptor,
  KindStatus,
  KubeObject,
  matchesLabelSelector,
  ObjectEnvelope,
  ObjectSelector,
  ObjectsResponse,
  parseLabelSelector,
  PatchRequest,
  PodLogsRequest,
  selectorForEntity,
  summarizePod,
  summarizeReplicas,
  workloadKinds,
  WriteResult,
} from '@careplane/plugin-clusters-common';
import type { Request } from 'express';
import { createHash, randomUUID } from 'node:crypto';
import type { AuditStore } from '../../database/AuditStore';
import type { ClusterRegistry } from '../ClusterRegistry/ClusterRegistry';
import type { ClusterProbe } from '../ClusterProbe/ClusterProbe';
import type { InformerCache } from '../InformerCache/InformerCache';
import { stripObject } from '../InformerCache/strip';
import { markImmutable } from '../serialize';

const DENIED = Symbol('careplane.denied');

/**
 * Workload items decorated with their summary, once per cached envelope (envelopes are
 * immutable): the hot path neither re-summarises nor re-serialises unchanged objects.
 */
const decorated = new WeakMap<ObjectEnvelope, object>();
function decorate<T extends object>(
  envelope: ObjectEnvelope,
  extra: () => T,
): ObjectEnvelope & T {
  let item = decorated.get(envelope);
  if (!item) {
    item = markImmutable({ ...envelope, ...extra() });
    decorated.set(envelope, item);
  }
  return item as ObjectEnvelope & T;
}

function denied(message: string): NotAllowedError {
  return Object.assign(new NotAllowedError(message), { [DENIED]: true });
}

/** Canonical JSON (sorted keys) so equal patches hash equally. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value as object)
      .sort()
      .map(k => `${JSON.stringify(k)}:${canonical((value as any)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * SHA-256 (hex) of the canonical JSON of a manifest or patch.
 * @internal
 */
export function hashOf(value: unknown): string {
  return createHash('sha256').update(canonical(value)).digest('hex');
}

const RANK: Record<string, number> = {
  ok: 0,
  'not-installed': 0,
  stale: 1,
  unavailable: 2,
};

/**
 * Aggregates per-kind statuses into a cluster's status.
 * @internal
 */
export function aggregate(cluster: string, kinds: KindStatus[]): ClusterResult {
  if (kinds.length > 0 && kinds.every(k => k.status === 'not-installed')) {
    return { cluster, status: 'not-installed', kinds };
  }
  const worst = kinds.reduce<KindStatus | undefined>(
    (w, k) => (!w || RANK[k.status] > RANK[w.status] ? k : w),
    undefined,
  );
  const status =
    !worst || worst.status === 'not-installed' ? 'ok' : worst.status;
  const stale = kinds.filter(k => k.status === 'stale');
  return {
    cluster,
    status,
    syncedAt: stale.length ? stale.map(k => k.syncedAt!).sort()[0] : undefined,
    ageMs: stale.length ? Math.max(...stale.map(k => k.ageMs ?? 0)) : undefined,
    error: worst && status !== 'ok' ? worst.error : undefined,
    kinds,
  };
}

/**
 * Who is calling, for audit records.
 * @internal
 */
export function actorOf(credentials: BackstageCredentials): {
  actor: string;
  actorType: 'user' | 'service';
} {
  const p = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (p.type === 'user') return { actor: p.userEntityRef!, actorType: 'user' };
  if (p.type === 'service')
    return { actor: p.subject ?? 'service', actorType: 'service' };
  return { actor: 'none', actorType: 'service' };
}

/**
 * Per-call context of the gateway.
 * @internal
 */
export interface GatewayCallOptions {
  credentials: BackstageCredentials;
  /** The HTTP request, when there is one, for the auditor. */
  request?: Request;
}

/**
 * The cluster gateway: reads from the informer cache, permission-checked and audited writes.
 * One instance per backend process (the clusters plugin's).
 * @internal
 */
export class ClusterGateway {
  private readonly selectorCache = new Map<
    string,
    { selector: ObjectSelector; at: number }
  >();

  constructor(
    private readonly deps: {
      registry: ClusterRegistry;
      cache: InformerCache;
      catalog: CatalogService;
      permissions: PermissionsService;
      auditor: AuditorService;
      auditStore: AuditStore;
      logger: LoggerService;
      entityTtlMs: number;
      /** The periodic probe (version, optional kinds); without it those fields are absent. */
      probe?: ClusterProbe;
    },
  ) {}

  get kinds() {
    return this.deps.cache.kinds;
  }

  listClusters(): ClusterInfo[] {
    return this.deps.registry.list().map(({ definition, source, client }) => {
      const labels = definition.labels ?? {};
      return {
        name: definition.name,
        title: definition.title,
        source,
        environment: labels.environment,
        region: labels.region,
        phi: labels.phi === 'true',
        gpu: labels.gpu,
        labels,
        health: client.health(),
        stats: {
          ...this.deps.cache.stats(definition.name),
          requests: { ...client.requests },
          throttled: client.throttled,
        },
        ...this.deps.probe?.snapshot(definition.name),
      };
    });
  }

  /** The entity's selector from its annotations (cached briefly). */
  async selectorFor(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<ObjectSelector> {
    let ref: string;
    try {
      ref = stringifyEntityRef(parseEntityRef(entityRef));
    } catch (e) {
      throw new InputError(`Invalid entity ref '${entityRef}'`);
    }
    const cached = this.selectorCache.get(ref);
    if (cached && Date.now() - cached.at < this.deps.entityTtlMs)
      return cached.selector;
    const entity = await this.deps.catalog.getEntityByRef(ref, { credentials });
    if (!entity) throw new NotFoundError(`Entity ${ref} not found`);
    const selector = selectorForEntity(entity);
    if (!selector) {
      throw new InputError(
        `Entity ${ref} has neither a backstage.io/kubernetes-id nor a backstage.io/kubernetes-label-selector annotation`,
      );
    }
    this.selectorCache.set(ref, { selector, at: Date.now() });
    return selector;
  }

  private clusterNames(only?: string[]): string[] {
    if (!only || only.length === 0) return this.deps.registry.names();
    for (const name of only) this.deps.registry.get(name);
    return only;
  }

  /** Objects of kinds matching a selector, one result per cluster; never rejects per cluster. */
  async query(
    selector: ObjectSelector,
    kindNames: string[],
    clusters?: string[],
  ): Promise<ObjectsResponse> {
    const requirements = parseLabelSelector(selector.labelSelector);
    if (kindNames.length === 0)
      throw new InputError('At least one kind is required');
    kindNames.forEach(k => this.kinds.get(k));
    const names = this.clusterNames(clusters);
    const results = await Promise.all(
      names.map(async (cluster): Promise<ClusterObjectsResult> => {
        try {
          const client = this.deps.registry.get(cluster).client;
          const informers = kindNames.map(k => this.deps.cache.get(cluster, k));
          await Promise.all(
            informers.map(i =>
              i.waitForFirstAttempt(client.firstSyncTimeoutMs),
            ),
          );
          const statuses = informers.map(i => i.status());
          const items = informers.flatMap((informer, i) =>
            statuses[i].status === 'ok' || statuses[i].status === 'stale'
              ? informer.select(requirements, selector.namespace)
              : [],
          );
          return { ...aggregate(cluster, statuses), items };
        } catch (e) {
          this.deps.logger.error('Cluster query failed', {
            cluster,
            error: String(e),
          });
          return {
            cluster,
            status: 'unavailable',
            error: serializeError(e as Error),
            kinds: [],
            items: [],
          };
        }
      }),
    );
    return { selector, clusters: results };
  }

  async entityWorkloads(
    entityRef: string,
    options: GatewayCallOptions & { clusters?: string[] },
  ): Promise<EntityWorkloadsResponse> {
    const selector = await this.selectorFor(entityRef, options.credentials);
    const res = await this.query(
      selector,
      [...workloadKinds],
      options.clusters,
    );
    const clusters = res.clusters.map((c): ClusterWorkloads => {
      const { items, ...rest } = c;
      const of = (kind: string) => items.filter(i => i.kind === kind);
      return {
        ...rest,
        deployments: of('Deployment').map(o =>
          decorate(o, () => ({ replicas: summarizeReplicas(o.object) })),
        ),
        statefulSets: of('StatefulSet').map(o =>
          decorate(o, () => ({ replicas: summarizeReplicas(o.object) })),
        ),
        pods: of('Pod').map(o =>
          decorate(o, () => ({ summary: summarizePod(o.object) })),
        ),
        services: of('Service'),
        horizontalPodAutoscalers: of('HorizontalPodAutoscaler'),
        podDisruptionBudgets: of('PodDisruptionBudget'),
        jobs: of('Job'),
      };
    });
    return {
      entityRef: stringifyEntityRef(parseEntityRef(entityRef)),
      selector,
      clusters,
    };
  }

  private objectPath(
    kind: KindDescriptor,
    namespace: string | undefined,
    name?: string,
  ) {
    const base = kind.group
      ? `/apis/${kind.group}/${kind.version}`
      : `/api/${kind.version}`;
    const ns = kind.namespaced
      ? `/namespaces/${encodeURIComponent(namespace!)}`
      : '';
    return `${base}${ns}/${kind.plural}${
      name ? `/${encodeURIComponent(name)}` : ''
    }`;
  }

  private assertBelongs(
    selector: ObjectSelector,
    kind: KindDescriptor,
    object: {
      namespace?: string;
      name: string;
      labels?: Record<string, string>;
    },
  ) {
    if (
      !matchesLabelSelector(
        parseLabelSelector(selector.labelSelector),
        object.labels,
      )
    ) {
      throw denied(
        `${kind.kind} ${object.name} does not belong to the entity (its labels do not match '${selector.labelSelector}')`,
      );
    }
    if (
      selector.namespace &&
      kind.namespaced &&
      object.namespace !== selector.namespace
    ) {
      throw denied(
        `${kind.kind} ${object.name} is outside the entity's namespace '${selector.namespace}'`,
      );
    }
  }

  private async getLive(
    cluster: string,
    kind: KindDescriptor,
    namespace: string | undefined,
    name: string,
  ) {
    return this.deps.registry.get(cluster).client.request<KubeObject>({
      verb: 'get',
      method: 'GET',
      path: this.objectPath(kind, namespace, name),
      retry: 'idempotent',
    });
  }

  private envelope(
    cluster: string,
    kind: KindDescriptor,
    obj: KubeObject,
  ): ObjectEnvelope {
    const stripped = stripObject(obj);
    return {
      cluster,
      kind: kind.kind,
      namespace: stripped.metadata?.namespace,
      name: stripped.metadata?.name,
      uid: stripped.metadata?.uid,
      resourceVersion: stripped.metadata?.resourceVersion,
      object: stripped,
    };
  }

  /**
   * Runs one audited, permission-checked action: authorizes against the entity, runs `fn`,
   * and records the outcome in the Backstage auditor and in the audit table. Recording failures
   * are logged and never fail the call.
   */
  private async audited<T>(
    action: AuditAction,
    permission: ResourcePermission | BasicPermission,
    target: {
      entityRef: string;
      cluster: string;
      kind?: string;
      namespace?: string;
      name?: string;
      reason?: string;
      dryRun?: boolean;
      patchSha256?: string;
    },
    options: GatewayCallOptions,
    fn: () => Promise<T>,
  ): Promise<{ auditId: string; result: T }> {
    const auditId = randomUUID();
    const { actor, actorType } = actorOf(options.credentials);
    const meta = {
      auditId,
      action,
      cluster: target.cluster,
      namespace: target.namespace ?? null,
      kind: target.kind ?? null,
      name: target.name ?? null,
      entityRef: target.entityRef,
      dryRun: Boolean(target.dryRun),
      patchSha256: target.patchSha256 ?? null,
      actorType,
      reason: target.reason ?? null,
    };
    let event: Awaited<ReturnType<AuditorService['createEvent']>> | undefined;
    try {
      event = await this.deps.auditor.createEvent({
        eventId: action === 'logs' ? 'pod-logs' : `resource-${action}`,
        severityLevel: action === 'delete' ? 'high' : 'medium',
        request: options.request,
        meta,
      });
    } catch (e) {
      this.deps.logger.error('Failed to create audit event', {
        auditId,
        error: String(e),
      });
    }
    let outcome: AuditOutcome = 'success';
    let error: Error | undefined;
    try {
      const decision = (
        await this.deps.permissions.authorize(
          [
            'resourceType' in permission
              ? { permission, resourceRef: target.entityRef }
              : { permission },
          ] as any,
          { credentials: options.credentials },
        )
      )[0];
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw denied(`Not allowed: ${permission.name} on ${target.entityRef}`);
      }
      const result = await fn();
      return { auditId, result };
    } catch (e) {
      error = e as Error;
      outcome = (e as any)?.[DENIED] ? 'denied' : 'failure';
      throw e;
    } finally {
      const record: AuditRecord = {
        id: auditId,
        occurredAt: new Date().toISOString(),
        actor,
        actorType,
        action,
        cluster: target.cluster,
        namespace: target.namespace,
        kind: target.kind,
        name: target.name,
        entityRef: target.entityRef,
        reason: target.reason,
        dryRun: Boolean(target.dryRun),
        outcome,
        error: error?.message,
        patchSha256: target.patchSha256,
      };
      try {
        await this.deps.auditStore.insert(record);
      } catch (e) {
        this.deps.logger.error('Failed to persist audit record', {
          auditId,
          error: String(e),
        });
      }
      try {
        if (error) await event?.fail({ error, meta: { outcome } });
        else await event?.success({ meta: { outcome } });
      } catch (e) {
        this.deps.logger.error('Failed to complete audit event', {
          auditId,
          error: String(e),
        });
      }
    }
  }

  /** Kind, namespace and cluster client of a write to an existing object. */
  private existingTarget(request: {
    cluster: string;
    kind: string;
    namespace?: string;
  }) {
    const kind = this.kinds.get(request.kind);
    const namespace = kind.namespaced ? request.namespace : undefined;
    if (kind.namespaced && !namespace)
      throw new InputError('namespace is required');
    const client = this.deps.registry.get(request.cluster).client;
    return { kind, namespace, client };
  }

  /**
   * Refuses an action on an existing object unless the live object carries the entity's labels
   * (and namespace): owning entity A never lets anyone touch entity B's objects.
   */
  private async assertLiveObjectBelongs(
    entityRef: string,
    cluster: string,
    kind: KindDescriptor,
    namespace: string | undefined,
    name: string,
    credentials: BackstageCredentials,
  ) {
    const selector = await this.selectorFor(entityRef, credentials);
    const live = await this.getLive(cluster, kind, namespace, name);
    this.assertBelongs(selector, kind, {
      namespace,
      name,
      labels: live.metadata?.labels,
    });
  }

  private requireReason(
    reason: string | undefined,
    dryRun: boolean | undefined,
  ) {
    if (!dryRun && !reason?.trim()) {
      throw new InputError(
        'A reason is required for changes (it is recorded in the audit log)',
      );
    }
  }

  async apply(
    request: ApplyRequest,
    options: GatewayCallOptions,
  ): Promise<WriteResult> {
    this.requireReason(request.reason, request.dryRun);
    const manifest = request.manifest;
    const kind = this.kinds.forManifest(manifest.apiVersion, manifest.kind);
    const name = manifest.metadata?.name;
    const namespace = kind.namespaced
      ? manifest.metadata?.namespace
      : undefined;
    if (!name) throw new InputError('manifest.metadata.name is required');
    if (kind.namespaced && !namespace)
      throw new InputError('manifest.metadata.namespace is required');
    const client = this.deps.registry.get(request.cluster).client;
    const { auditId, result } = await this.audited(
      'apply',
      clustersResourceApplyPermission,
      {
        entityRef: request.entityRef,
        cluster: request.cluster,
        kind: kind.kind,
        namespace,
        name,
        reason: request.reason,
        dryRun: request.dryRun,
        patchSha256: hashOf(manifest),
      },
      options,
      async () => {
        const selector = await this.selectorFor(
          request.entityRef,
          options.credentials,
        );
        this.assertBelongs(selector, kind, {
          namespace,
          name,
          labels: manifest.metadata.labels,
        });
        return client.request<KubeObject>({
          verb: 'apply',
          method: 'PATCH',
          path: this.objectPath(kind, namespace, name),
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
    return {
      cluster: request.cluster,
      kind: kind.kind,
      namespace,
      name,
      dryRun: Boolean(request.dryRun),
      auditId,
      object: this.envelope(request.cluster, kind, result),
    };
  }

  async patch(
    request: PatchRequest,
    options: GatewayCallOptions,
  ): Promise<WriteResult> {
    this.requireReason(request.reason, request.dryRun);
    const { kind, namespace, client } = this.existingTarget(request);
    const { auditId, result } = await this.audited(
      'patch',
      clustersResourcePatchPermission,
      {
        entityRef: request.entityRef,
        cluster: request.cluster,
        kind: kind.kind,
        namespace,
        name: request.name,
        reason: request.reason,
        dryRun: request.dryRun,
        patchSha256: hashOf({
          subresource: request.subresource ?? null,
          patch: request.patch,
        }),
      },
      options,
      async () => {
        await this.assertLiveObjectBelongs(
          request.entityRef,
          request.cluster,
          kind,
          namespace,
          request.name,
          options.credentials,
        );
        return client.request<KubeObject>({
          verb: 'patch',
          method: 'PATCH',
          path: `${this.objectPath(kind, namespace, request.name)}${
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
    return {
      cluster: request.cluster,
      kind: kind.kind,
      namespace,
      name: request.name,
      dryRun: Boolean(request.dryRun),
      auditId,
      object: this.envelope(request.cluster, kind, result),
    };
  }

  async delete(
    request: DeleteRequest,
    options: GatewayCallOptions,
  ): Promise<WriteResult> {
    this.requireReason(request.reason, request.dryRun);
    const { kind, namespace, client } = this.existingTarget(request);
    const { auditId, result } = await this.audited(
      'delete',
      clustersResourceDeletePermission,
      {
        entityRef: request.entityRef,
        cluster: request.cluster,
        kind: kind.kind,
        namespace,
        name: request.name,
        reason: request.reason,
        dryRun: request.dryRun,
      },
      options,
      async () => {
        await this.assertLiveObjectBelongs(
          request.entityRef,
          request.cluster,
          kind,
          namespace,
          request.name,
          options.credentials,
        );
        return client.request<KubeObject>({
          verb: 'delete',
          method: 'DELETE',
          path: this.objectPath(kind, namespace, request.name),
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
    return {
      cluster: request.cluster,
      kind: kind.kind,
      namespace,
      name: request.name,
      dryRun: Boolean(request.dryRun),
      auditId,
      object:
        result && (result as any).kind !== 'Status' && result.metadata
          ? this.envelope(request.cluster, kind, result)
          : undefined,
    };
  }

  /**
   * Pod logs, permission-checked against the owning entity and audited. Returns the text, or a
   * stream when `follow` (the caller must pipe it and abort `signal` when the client leaves).
   */
  async podLogs(
    request: PodLogsRequest,
    options: GatewayCallOptions & { signal?: AbortSignal },
  ): Promise<{
    auditId: string;
    text?: string;
    stream?: NodeJS.ReadableStream;
  }> {
    const kind = this.kinds.get('Pod');
    const client = this.deps.registry.get(request.cluster).client;
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
    const path = `${this.objectPath(kind, request.namespace, request.pod)}/log`;
    const { auditId, result } = await this.audited(
      'logs',
      clustersPodLogsPermission,
      {
        entityRef: request.entityRef,
        cluster: request.cluster,
        kind: 'Pod',
        namespace: request.namespace,
        name: request.pod,
        reason: request.reason,
      },
      options,
      async () => {
        await this.assertLiveObjectBelongs(
          request.entityRef,
          request.cluster,
          kind,
          request.namespace,
          request.pod,
          options.credentials,
        );
        if (request.follow) {
          return {
            stream: await client.stream(
              { verb: 'logs', method: 'GET', path, query },
              options.signal ?? new AbortController().signal,
            ),
          };
        }
        return {
          text: await client.requestText({
            verb: 'logs',
            method: 'GET',
            path,
            query,
            retry: 'idempotent',
          }),
        };
      },
    );
    return { auditId, ...result };
  }
}
