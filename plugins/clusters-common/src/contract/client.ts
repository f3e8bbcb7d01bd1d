import { ResponseError } from '@backstage/errors';
import type {
  RouteAt,
  RouteInput,
  RouteMethod,
  RoutePath,
  RouteResponse,
  RouteSpec,
} from './route';
import { routeUrl } from './route';

/*
 * The typed side of a client: calls named by method and path, with inputs and answers typed from
 * a route table's type. No zod at runtime, so a frontend bundle pulls in no schema.
 */

/**
 * One HTTP request a {@link RouteClient} asks its sender to make.
 * @public
 */
export interface RouteRequest {
  method: RouteMethod;
  /** Path below the plugin's base URL, parameters encoded and query appended. */
  path: string;
  /** The JSON body, not yet serialised. */
  body?: unknown;
  /** `Accept` header, for answers that are not JSON. */
  accept?: string;
  signal?: AbortSignal;
}

/**
 * Sends a request: resolves the plugin's base URL, authenticates, serialises `body` as JSON.
 * @public
 */
export type RouteSender = (request: RouteRequest) => Promise<Response>;

/**
 * Per-call options of a {@link RouteClient}.
 * @public
 */
export interface RouteCallOptions {
  signal?: AbortSignal;
  /** `Accept` header, for answers that are not JSON. */
  accept?: string;
}

/**
 * The arguments after method and path: the route's input (optional when it needs none), then
 * call options.
 * @public
 */
export type RouteArgs<R extends RouteSpec> = Record<
  never,
  never
> extends RouteInput<R>
  ? [input?: RouteInput<R>, options?: RouteCallOptions]
  : [input: RouteInput<R>, options?: RouteCallOptions];

/**
 * A client typed from a route table: `call` answers the route's JSON, `open` the raw `Response`
 * (a log, the SSE stream, a download). Both throw `ResponseError` for a non-2xx answer.
 * @public
 */
export interface RouteClient<Routes extends Record<string, RouteSpec>> {
  call<M extends RouteMethod, P extends RoutePath<Routes, M>>(
    method: M,
    path: P,
    ...args: RouteArgs<RouteAt<Routes, M, P>>
  ): Promise<RouteResponse<RouteAt<Routes, M, P>>>;
  open<M extends RouteMethod, P extends RoutePath<Routes, M>>(
    method: M,
    path: P,
    ...args: RouteArgs<RouteAt<Routes, M, P>>
  ): Promise<Response>;
}

/**
 * A {@link RouteClient} over a sender. The answer is trusted to match the contract (the backend's
 * answers are typed by the same schemas); it is not validated again here.
 * @public
 */
export function createRouteClient<Routes extends Record<string, RouteSpec>>(
  send: RouteSender,
): RouteClient<Routes> {
  const open = async (
    method: RouteMethod,
    path: string,
    input: {
      params?: Record<string, string>;
      query?: object;
      body?: unknown;
    } = {},
    options: RouteCallOptions = {},
  ) => {
    const res = await send({
      method,
      path: routeUrl(path, input),
      body: input.body,
      accept: options.accept,
      signal: options.signal,
    });
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return res;
  };
  return {
    open,
    async call(method, path, ...[input, options]) {
      const res = await open(method, path, input, options);
      if (res.status === 204) return undefined as never;
      return res.json();
    },
  };
}
