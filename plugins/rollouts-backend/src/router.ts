import type {
  AuditorService,
  AuthService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { ClustersService } from '@careplane/plugin-clusters-node';
import { parseInput, RouteResponse } from '@careplane/plugin-clusters-common';
import { rolloutsRoutes } from '@careplane/plugin-rollouts-common';
import express from 'express';
import Router from 'express-promise-router';
import type { RolloutsConfig } from './config';
import { entityRollouts } from './services/EntityRollouts';
import { EntityOwners } from './services/EntityOwners';
import { evaluateGate } from './services/ErrorBudgetGate';
import { FleetIndex } from './services/FleetIndex';
import { runAction } from './services/RolloutActions';
import { WaitingAnswers } from './services/waiting';

/** @internal */
export interface RouterOptions {
  clusters: ClustersService;
  catalog: CatalogService;
  httpAuth: HttpAuthService;
  auth: AuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  logger: LoggerService;
  config: RolloutsConfig;
  fleet: FleetIndex;
  owners: EntityOwners;
}

function entityRefOf(params: {
  kind: string;
  namespace: string;
  name: string;
}): string {
  try {
    return stringifyEntityRef({
      kind: params.kind,
      namespace: params.namespace,
      name: params.name,
    });
  } catch (e) {
    throw new InputError(
      `Invalid entity ${params.kind}:${params.namespace}/${params.name}: ${
        (e as Error).message
      }`,
    );
  }
}

/**
 * The HTTP surface of `/api/rollouts`: entity status, error-budget gate, actions and the fleet
 * query. Translation only; the logic is in services/.
 * @internal
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth } = options;
  const waiting = new WaitingAnswers(options.fleet, options.owners);
  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  const routes = rolloutsRoutes;
  const send = <T>(res: express.Response, body: T) => res.json(body);

  router.get(routes.entityRollouts.path, async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const query = parseInput(routes.entityRollouts.query, req.query);
    send<RouteResponse<typeof routes.entityRollouts>>(
      res,
      await entityRollouts(
        options,
        entityRefOf(req.params),
        credentials,
        query.clusters,
      ),
    );
  });

  router.get(routes.gate.path, async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const query = parseInput(routes.gate.query, req.query);
    send<RouteResponse<typeof routes.gate>>(
      res,
      await evaluateGate(
        options,
        entityRefOf(req.params),
        query.cluster ? [query.cluster] : undefined,
        credentials,
      ),
    );
  });

  router.post(routes.action.path, async (req, res) => {
    // Actions are a person's: never a backend acting as itself.
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const body = parseInput(routes.action.body, req.body);
    send<RouteResponse<typeof routes.action>>(
      res,
      await runAction(options, entityRefOf(req.params), body, credentials),
    );
  });

  router.get(routes.waiting.path, async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const query = parseInput(routes.waiting.query, req.query);
    // serialised once per change of the fleet (see WaitingAnswers), typed by the same schema
    res.type('application/json').send(await waiting.json(query));
  });

  return router;
}
