/*
 * The router's side of the HTTP contract (clustersRoutes in clusters-common): requests are parsed
 * with the route's schemas, answers are typed by them.
 */
import {
  parseInput,
  type RouteResponse,
  type RouteSpec,
} from '@careplane/plugin-clusters-common';
import type { Response } from 'express';

/**
 * Parses a body or query with its schema; a refusal throws `InputError` (400) naming each failing
 * field.
 * @internal
 */
export const parse = parseInput;

/**
 * Sends a route's JSON answer with the route's status; `body` must be the answer the contract
 * declares for the route.
 * @internal
 */
export function reply<R extends RouteSpec>(
  res: Response,
  route: R,
  body: RouteResponse<R>,
): void {
  res.status(route.status ?? 200).json(body);
}
