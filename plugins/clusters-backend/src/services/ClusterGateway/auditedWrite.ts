import type {
  AuditorService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import type {
  AuditAction,
  AuditOutcome,
  AuditRecord,
} from '@careplane/plugin-clusters-common';
import type { Request } from 'express';
import { createHash, randomUUID } from 'node:crypto';
import type { AuditStore } from '../../database/AuditStore';
import { statusCodeOf } from '../KubeClient/errors';

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

/** Canonical JSON (sorted keys) so equal patches hash equally. Callers bound the depth first. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map(k => `${JSON.stringify(k)}:${canonical(record[k])}`)
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

const REFUSED = Symbol('careplane.refused');

/**
 * An error for a write Careplane refused itself (permission, write scope, validation, rate
 * limit): audited with outcome `denied`, as opposed to a failure of the cluster.
 * @internal
 */
export function refused<E extends Error>(error: E): E {
  return Object.assign(error, { [REFUSED]: true });
}

/** @internal */
export function denied(message: string): NotAllowedError {
  return refused(new NotAllowedError(message));
}

function outcomeOf(error: unknown): AuditOutcome {
  if ((error as { [REFUSED]?: boolean } | undefined)?.[REFUSED])
    return 'denied';
  const name = (error as Error)?.name;
  // our own validation errors carry no status code of a cluster answer
  if (
    statusCodeOf(error) === undefined &&
    ['InputError', 'NotAllowedError', 'NotFoundError'].includes(name)
  ) {
    return 'denied';
  }
  return 'failure';
}

/** What an audit record says about the target; filled in as the write learns it. */
export interface AuditTarget {
  entityRef: string;
  cluster: string;
  kind?: string;
  namespace?: string;
  name?: string;
  reason?: string;
  dryRun?: boolean;
  patchSha256?: string;
}

/** Caller-supplied text as it may be stored: a string, at most `max` characters. */
function clip(value: unknown, max = 253): string | undefined {
  if (value === undefined || value === null) return undefined;
  const s = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
  return s.length > max ? s.slice(0, max) : s;
}

/**
 * One audit session per write: created before anything is checked, completed exactly once —
 * succeeded, failed, or denied (refused by permission, scope, validation or rate limit) — in the
 * Backstage auditor and in the persisted audit table. Recording failures are logged and never
 * fail the call.
 * @internal
 */
export async function auditedWrite<T>(
  deps: {
    auditor: AuditorService;
    auditStore: AuditStore;
    logger: LoggerService;
  },
  action: AuditAction,
  target: AuditTarget,
  options: { credentials: BackstageCredentials; request?: Request },
  fn: (target: AuditTarget) => Promise<T>,
): Promise<{ auditId: string; result: T }> {
  const auditId = randomUUID();
  const { actor, actorType } = actorOf(options.credentials);
  // caller-supplied strings are clipped: an over-long name is refused, and recorded as such
  target.entityRef = clip(target.entityRef, 255) ?? '';
  target.cluster = clip(target.cluster, 255) ?? '';
  target.kind = clip(target.kind);
  target.namespace = clip(target.namespace);
  target.name = clip(target.name);
  target.reason = clip(target.reason, 1000);
  const meta = () => ({
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
  });
  let event: Awaited<ReturnType<AuditorService['createEvent']>> | undefined;
  try {
    event = await deps.auditor.createEvent({
      eventId:
        action === 'logs'
          ? 'pod-logs'
          : `resource-${action === 'create-namespace' ? 'create' : action}`,
      severityLevel: action === 'delete' ? 'high' : 'medium',
      request: options.request,
      meta: meta(),
    });
  } catch (e) {
    deps.logger.error('Failed to create audit event', {
      auditId,
      error: String(e),
    });
  }
  let outcome: AuditOutcome = 'success';
  let error: Error | undefined;
  try {
    const result = await fn(target);
    return { auditId, result };
  } catch (e) {
    error = e as Error;
    outcome = outcomeOf(e);
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
      error: clip(error?.message, 2000),
      patchSha256: target.patchSha256,
    };
    try {
      await deps.auditStore.insert(record);
    } catch (e) {
      deps.logger.error('Failed to persist audit record', {
        auditId,
        error: String(e),
      });
    }
    try {
      if (error) await event?.fail({ error, meta: { ...meta(), outcome } });
      else await event?.success({ meta: { ...meta(), outcome } });
    } catch (e) {
      deps.logger.error('Failed to complete audit event', {
        auditId,
        error: String(e),
      });
    }
  }
}

/**
 * Records a write refused before the gateway could read it (a malformed request body), so
 * that every refusal is in the audit log.
 */
export async function auditRefusal(
  deps: {
    auditor: AuditorService;
    auditStore: AuditStore;
    logger: LoggerService;
  },
  action: AuditAction,
  body: unknown,
  error: Error,
  options: { credentials: BackstageCredentials; request?: Request },
): Promise<never> {
  const b = (body && typeof body === 'object' ? body : {}) as Record<
    string,
    any
  >;
  const manifest =
    b.manifest && typeof b.manifest === 'object' ? b.manifest : {};
  await auditedWrite(
    deps,
    action,
    {
      entityRef: b.entityRef,
      cluster: b.cluster,
      kind: b.kind ?? manifest.kind ?? (action === 'logs' ? 'Pod' : undefined),
      namespace: b.namespace ?? manifest.metadata?.namespace,
      name: b.name ?? b.pod ?? manifest.metadata?.name,
      reason: b.reason,
      dryRun: b.dryRun === true,
    },
    options,
    async () => {
      throw refused(error);
    },
  );
  throw error;
}
