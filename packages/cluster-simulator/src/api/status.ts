import type { ResourceType } from '../resources';
import type { JsonObject } from '../util';

/**
 * `Status` bodies and the constructors kube-apiserver uses for them
 * (k8s.io/apimachinery/pkg/api/errors/errors.go), so that every failure the
 * simulator answers has the reason, message and details a client expects.
 */

/** A Kubernetes `Status` failure body. */
export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: JsonObject;
  status: 'Failure';
  message: string;
  reason: string;
  details?: JsonObject;
  code: number;
}

/** One entry of `details.causes` (a field.Error rendered by NewInvalid). */
export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

/** Builds a `Status` failure body. */
export function statusBody(
  code: number,
  reason: string,
  message: string,
  details?: JsonObject,
): StatusBody {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

/** An API failure that the HTTP layer renders as a `Status` body. */
export class ApiError extends Error {
  constructor(readonly body: StatusBody) {
    super(body.message);
  }
}

/** `group/resource` the way GroupResource.String() prints it (`deployments.apps`). */
export function qualifiedResource(type: {
  group: string;
  plural: string;
}): string {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}

/** `Kind.group` the way GroupKind.String() prints it (`Deployment.apps`). */
export function qualifiedKind(group: string, kind: string): string {
  return group ? `${kind}.${group}` : kind;
}

/** Details naming an object: kind is the *resource*, as the apiserver sets it. */
function objectDetails(type: ResourceType, name: string): JsonObject {
  return {
    ...(name ? { name } : {}),
    ...(type.group ? { group: type.group } : {}),
    kind: type.plural,
  };
}

/** NewBadRequest. */
export function badRequest(message: string): ApiError {
  return new ApiError(statusBody(400, 'BadRequest', message));
}

/** NewNotFound: `configmaps "x" not found`. */
export function notFound(type: ResourceType, name: string): ApiError {
  return new ApiError(
    statusBody(
      404,
      'NotFound',
      `${qualifiedResource(type)} "${name}" not found`,
      objectDetails(type, name),
    ),
  );
}

/** NewAlreadyExists. */
export function alreadyExists(type: ResourceType, name: string): ApiError {
  return new ApiError(
    statusBody(
      409,
      'AlreadyExists',
      `${qualifiedResource(type)} "${name}" already exists`,
      objectDetails(type, name),
    ),
  );
}

/** NewConflict for a stale resourceVersion (registry/generic/registry/store.go). */
export function conflict(type: ResourceType, name: string): ApiError {
  return new ApiError(
    statusBody(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualifiedResource(
        type,
      )} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      objectDetails(type, name),
    ),
  );
}

/**
 * A go-restful routing failure rendered by the apiserver's serviceErrorHandler
 * (apiserver/pkg/server/handler.go) through NewGenericServerResponse: generic
 * message, empty details.
 */
export function genericServerResponse(code: 404 | 405): ApiError {
  return new ApiError(
    code === 404
      ? statusBody(
          404,
          'NotFound',
          'the server could not find the requested resource',
          {},
        )
      : statusBody(
          405,
          'MethodNotAllowed',
          'the server does not allow this method on the requested resource',
          {},
        ),
  );
}

/** NewMethodNotSupported: `watch is not supported on resources of kind "x"`. */
export function methodNotSupported(
  type: ResourceType,
  action: string,
): ApiError {
  return new ApiError(
    statusBody(
      405,
      'MethodNotAllowed',
      `${action} is not supported on resources of kind "${qualifiedResource(
        type,
      )}"`,
      { ...(type.group ? { group: type.group } : {}), kind: type.plural },
    ),
  );
}

/** NewInvalid: `Kind.group "name" is invalid: a: b` (several errors in brackets). */
export function invalid(
  group: string,
  kind: string,
  name: string,
  causes: StatusCause[],
): ApiError {
  // ErrorList.ToAggregate drops duplicate messages; Aggregate.Error() brackets >1.
  const seen = new Set<string>();
  const msgs: string[] = [];
  for (const c of causes) {
    const m = c.field ? `${c.field}: ${c.message}` : c.message;
    if (!seen.has(m)) {
      seen.add(m);
      msgs.push(m);
    }
  }
  const agg = msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`;
  return new ApiError(
    statusBody(
      422,
      'Invalid',
      `${qualifiedKind(group, kind)} "${name}" is invalid: ${agg}`,
      {
        ...(name ? { name } : {}),
        ...(group ? { group } : {}),
        kind,
        causes,
      },
    ),
  );
}

/** NewResourceExpired (410 Expired). */
export function expired(message: string, continueToken?: string): ApiError {
  const body = statusBody(410, 'Expired', message);
  if (continueToken) body.metadata = { continue: continueToken };
  return new ApiError(body);
}

/** NewForbidden as written by responsewriters.Forbidden. */
export function forbidden(
  resource: { group: string; plural: string } | undefined,
  name: string | undefined,
  message: string,
): ApiError {
  const what = resource ? qualifiedResource(resource) : '';
  let text: string;
  if (!resource) text = `forbidden: ${message}`;
  else if (!name) text = `${what} is forbidden: ${message}`;
  else text = `${what} "${name}" is forbidden: ${message}`;
  return new ApiError(
    statusBody(403, 'Forbidden', text, {
      ...(name ? { name } : {}),
      ...(resource?.group ? { group: resource.group } : {}),
      ...(resource ? { kind: resource.plural } : {}),
    }),
  );
}

/** NewUnauthorized("Unauthorized") from the authentication filter. */
export function unauthorized(): ApiError {
  return new ApiError(statusBody(401, 'Unauthorized', 'Unauthorized'));
}

/** NewTooLargeResourceVersionError (apiserver/pkg/storage/errors.go). */
export function tooLargeResourceVersion(
  requested: number,
  current: number,
): ApiError {
  return new ApiError(
    statusBody(
      504,
      'Timeout',
      `Timeout: Too large resource version: ${requested}, current: ${current}`,
      {
        causes: [
          {
            reason: 'ResourceVersionTooLarge',
            message: 'Too large resource version',
          },
        ],
        retryAfterSeconds: 1,
      },
    ),
  );
}

/** A success `Status` (delete of an object whose store does not return it). */
export function successStatus(details: JsonObject): JsonObject {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details,
  };
}
