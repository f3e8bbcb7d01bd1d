import {
  ConflictError,
  CustomErrorBase,
  ForwardedError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

/**
 * An API server answered 410 Gone: the resourceVersion is too old; the informer must re-list.
 * @internal
 */
export class GoneError extends CustomErrorBase {}

/**
 * The API server throttled us (429) and retries were exhausted.
 * @internal
 */
export class TooManyRequestsError extends CustomErrorBase {}

/**
 * Status code of an error from {@link toBackstageError}, if it came from an HTTP answer.
 * @internal
 */
export function statusCodeOf(error: unknown): number | undefined {
  return (error as { kubeStatusCode?: number })?.kubeStatusCode;
}

/**
 * Maps an API server failure to a Backstage error (our convention, STYLE.md §3): 404 →
 * NotFoundError, 409 → ConflictError, 403 → NotAllowedError, 400 / 422 → InputError, 410 →
 * GoneError, 429 → TooManyRequestsError, 503 → ServiceUnavailableError, anything else →
 * ForwardedError with the cluster in the message. The Kubernetes `Status.message` is kept; the
 * request URL (which may carry selectors) is not.
 * @internal
 */
export function toBackstageError(
  cluster: string,
  statusCode: number,
  body: unknown,
): Error {
  const status = body as { message?: string; reason?: string } | undefined;
  const message = `Cluster ${cluster}: ${
    status?.message ?? `HTTP ${statusCode}`
  }`;
  let error: Error;
  switch (statusCode) {
    case 400:
    case 422:
      error = new InputError(message);
      break;
    case 401:
    case 403:
      error = new NotAllowedError(message);
      break;
    case 404:
      error = new NotFoundError(message);
      break;
    case 409:
      error = new ConflictError(message);
      break;
    case 410:
      error = new GoneError(message);
      break;
    case 429:
      error = new TooManyRequestsError(message);
      break;
    case 503:
      error = new ServiceUnavailableError(message);
      break;
    default:
      if (statusCode >= 400 && statusCode < 500) {
        error = new InputError(message);
        break;
      }
      error = new ForwardedError(
        `Cluster ${cluster} request failed`,
        Object.assign(new Error(status?.message ?? `HTTP ${statusCode}`), {
          name: status?.reason ?? 'KubernetesApiError',
        }),
      );
  }
  // A 4xx of the cluster stays that 4xx for our caller (405, 413, 415, 422, 429, …), whatever
  // class carries it; the Backstage error handler answers with `statusCode`.
  const passThrough =
    statusCode >= 400 &&
    statusCode < 500 &&
    statusCode !== 401 &&
    statusCode !== 410;
  return Object.assign(error, {
    kubeStatusCode: statusCode,
    ...(passThrough ? { statusCode } : {}),
  });
}

/**
 * A 401, or a 403 on a read, from an API server on Careplane's own request (LIST, WATCH, GET, the
 * probe, a log read): the configured credentials are wrong or lack RBAC. Says so, and where to fix
 * it, instead of the server's bare "forbidden". Keeps the status code and class of
 * {@link toBackstageError}.
 * @internal
 */
export function credentialsRefused(
  cluster: string,
  statusCode: number,
  body: unknown,
): Error {
  const status = body as { message?: string } | undefined;
  const error = new NotAllowedError(
    `Cluster ${cluster} refused Careplane's credentials (HTTP ${statusCode}: ${
      status?.message ?? (statusCode === 401 ? 'Unauthorized' : 'Forbidden')
    }); check clusters.locations[].auth (token, kubeconfig) and the RBAC of Careplane's service account`,
  );
  return Object.assign(error, {
    kubeStatusCode: statusCode,
    ...(statusCode === 403 ? { statusCode } : {}),
  });
}
