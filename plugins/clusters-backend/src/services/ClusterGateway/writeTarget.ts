import { InputError, NotFoundError } from '@backstage/errors';
import type {
  KindDescriptor,
  KubeObject,
  ObjectEnvelope,
} from '@careplane/plugin-clusters-common';
import { stripObject } from '../InformerCache/strip';
import { statusCodeOf } from '../KubeClient/errors';
import type { KubeClient } from '../KubeClient/KubeClient';
import type { EntityScope, WriteScope } from '../WriteScope/WriteScope';
import { denied, refused } from './auditedWrite';

/** @internal */
export function objectPath(
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

/** @internal */
export function envelopeOf(
  cluster: string,
  kind: KindDescriptor,
  obj: KubeObject,
): ObjectEnvelope {
  // redacted by the kind that was asked for, never by the answer's own `kind`
  const stripped = stripObject(obj, kind.kind);
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

export function requireReason(reason: string | undefined, dryRun?: boolean) {
  if (!dryRun && !reason?.trim()) {
    throw refused(
      new InputError(
        'A reason is required for changes (it is recorded in the audit log)',
      ),
    );
  }
}

/** The GET of an existing object, or undefined when the cluster says it does not exist. */
export async function getOptional(
  client: KubeClient,
  path: string,
): Promise<KubeObject | undefined> {
  try {
    return await client.request<KubeObject>({
      verb: 'get',
      method: 'GET',
      path,
      retry: 'idempotent',
    });
  } catch (e) {
    if (statusCodeOf(e) === 404) return undefined;
    throw e;
  }
}

/** The target of a write as the gateway checks it. */
export interface Target {
  scope: EntityScope;
  client: KubeClient;
  kind: KindDescriptor;
  namespace?: string;
  name: string;
  /** Whether the caller may write outside the entity's scope (platform admins). */
  admin: boolean;
}

function notFound(t: Target) {
  return refused(
    new NotFoundError(
      `${t.kind.kind} ${t.namespace ? `${t.namespace}/` : ''}${
        t.name
      } does not exist on cluster ${t.client.name}`,
    ),
  );
}

/**
 * The live checks of the write scope (see {@link WriteScope}), against what the cluster has.
 * @internal
 */
export class ScopeGuard {
  constructor(private readonly scope: WriteScope) {}

  /**
   * Refuses a target outside the entity's scope unless the caller is an admin: the kind, the
   * namespace (as the cluster has it) and, for an existing object, the live object's label —
   * in that order, so nothing about objects outside the scope (not even whether they exist) is
   * told to a caller who may not touch them. Returns the live object (undefined when absent).
   */
  async check(t: Target, kindPolicy: boolean): Promise<KubeObject | undefined> {
    const scope = this.scope;
    const violation =
      scope.staticViolation(t.scope, t.kind, t.namespace, kindPolicy) ??
      scope.namespaceViolation(
        t.scope,
        t.client.name,
        t.namespace!,
        await getOptional(
          t.client,
          `/api/v1/namespaces/${encodeURIComponent(t.namespace!)}`,
        ),
      );
    if (violation) throw denied(`Not allowed: ${violation}`);
    const existing = await getOptional(
      t.client,
      objectPath(t.kind, t.namespace, t.name),
    );
    const foreign =
      existing &&
      scope.objectViolation(t.scope, t.kind, t.name, existing.metadata?.labels);
    if (foreign) throw denied(`Not allowed: ${foreign}`);
    return existing;
  }

  /** {@link ScopeGuard.check} for an object that must exist. */
  async existing(t: Target, kindPolicy: boolean) {
    const existing = await this.check(t, kindPolicy);
    if (!existing) throw notFound(t);
    return existing;
  }

  async live(t: Target): Promise<KubeObject | undefined> {
    return getOptional(t.client, objectPath(t.kind, t.namespace, t.name));
  }
}
