import { InputError } from '@backstage/errors';
import type { z } from 'zod';

/*
 * The machinery of a plugin's HTTP contract: a route table names, per route, the method, the path
 * and the zod schemas of its body, query and answer. The backend validates with the schemas; both
 * clients are typed from the table without importing it (see the README, "API contract").
 */

/**
 * HTTP method of a contract route.
 * @public
 */
export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * One route of a plugin's HTTP contract.
 * @public
 */
export interface RouteSpec {
  method: RouteMethod;
  /** Express-style path below the plugin's base URL, e.g. `/v1/stream/:streamId/watches/:watchId`. */
  path: string;
  /** Schema of the JSON body. */
  body?: z.ZodType;
  /** Schema of the query string; values arrive as strings, so it coerces or transforms them. */
  query?: z.ZodType;
  /** Schema of the JSON answer. Without it the route answers 204, or `produces`. */
  response?: z.ZodType;
  /** Status of a successful JSON answer when it is not 200. */
  status?: 201;
  /** Content type of an answer that is not JSON (a log, the SSE stream). */
  produces?: 'text/plain' | 'text/event-stream';
}

/**
 * Declares a route table, keeping each route's literal method and path for the clients' types.
 * @public
 */
export function defineRoutes<const T extends Record<string, RouteSpec>>(
  routes: T,
): T {
  return routes;
}

/**
 * What a client sends as the JSON body of a route (`undefined` for routes without a body).
 * @public
 */
export type RouteBody<R extends RouteSpec> = R extends {
  body: infer S extends z.ZodType;
}
  ? z.input<S>
  : undefined;

/**
 * What a route's query means once parsed; clients send it as strings (see `routeUrl`).
 * @public
 */
export type RouteQuery<R extends RouteSpec> = R extends {
  query: infer S extends z.ZodType;
}
  ? z.output<S>
  : undefined;

/**
 * The JSON answer of a route (`void` for routes that answer 204 or a non-JSON body).
 * @public
 */
export type RouteResponse<R extends RouteSpec> = R extends {
  response: infer S extends z.ZodType;
}
  ? z.output<S>
  : void;

/**
 * The path parameters of an Express-style path: `'/a/:x/b/:y'` gives `{ x: string; y: string }`.
 * @public
 */
export type PathParams<P extends string> =
  P extends `${string}:${infer Name}/${infer Rest}`
    ? { [K in Name]: string } & PathParams<`/${Rest}`>
    : P extends `${string}:${infer Name}`
    ? { [K in Name]: string }
    : Record<never, never>;

/**
 * The route of a table with the given method and path: how a client finds the types of the call
 * it makes (`RouteAt<ClustersRoutes, 'GET', '/v1/clusters'>`).
 * @public
 */
export type RouteAt<
  Routes extends Record<string, RouteSpec>,
  M extends RouteMethod,
  P extends string,
> = Extract<Routes[keyof Routes], { method: M; path: P }>;

/**
 * The paths of a table's routes with the given method.
 * @public
 */
export type RoutePath<
  Routes extends Record<string, RouteSpec>,
  M extends RouteMethod,
> = Extract<Routes[keyof Routes], { method: M }>['path'];

/**
 * What a client passes to call a route: `params` when the path has some, `query` and `body` when
 * the route takes them.
 * @public
 */
export type RouteInput<R extends RouteSpec> = (keyof PathParams<
  R['path']
> extends never
  ? { params?: undefined }
  : { params: PathParams<R['path']> }) &
  (R extends { query: z.ZodType }
    ? { query: RouteQuery<R> }
    : { query?: undefined }) &
  (R extends { body: z.ZodType }
    ? { body: RouteBody<R> }
    : { body?: undefined });

/**
 * A query as URL search parameters: absent and empty values are left out, lists are joined with
 * commas, everything else is `String(value)`.
 * @public
 */
export function toSearchParams(query: object): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  return params;
}

/**
 * The URL (below the plugin's base URL) of a call: `:name` parameters filled in, each encoded
 * with `encodeURIComponent`, and the query appended.
 * @public
 */
export function routeUrl(
  path: string,
  input: { params?: Record<string, string>; query?: object } = {},
): string {
  const filled = path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = input.params?.[name];
    if (value === undefined) {
      throw new TypeError(`No value for path parameter '${name}' of ${path}`);
    }
    return encodeURIComponent(value);
  });
  const search = input.query ? toSearchParams(input.query).toString() : '';
  return search ? `${filled}?${search}` : filled;
}

/**
 * Parses a request's body or query with its schema; a refusal is an `InputError` (400) naming
 * each failing field: `kinds: Too small: expected array to have >=1 items; cluster: ...`.
 * @public
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InputError(
      result.error.issues
        .map(i => `${i.path.join('.') || 'body'}: ${i.message}`)
        .join('; '),
    );
  }
  return result.data;
}
