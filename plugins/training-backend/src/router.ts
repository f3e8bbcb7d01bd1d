import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { parseInput, RouteResponse } from '@careplane/plugin-clusters-common';
import { trainingRoutes as routes } from '@careplane/plugin-training-common';
import express from 'express';
import Router from 'express-promise-router';
import type { TrainingService } from './services/TrainingService';

/** @internal */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  training: TrainingService;
}

/** Sends a JSON answer typed by its route. */
function send<R extends (typeof routes)[keyof typeof routes]>(
  res: express.Response,
  _route: R,
  body: RouteResponse<R>,
) {
  res.json(body);
}

/**
 * The HTTP surface of `/api/training`: validates with the contract's schemas and translates to
 * the service; people only (runs are launched and cancelled by a person).
 * @internal
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, training } = options;
  const router = Router();
  router.use(express.json({ limit: '256kb' }));
  const user = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user'] });

  router.get(routes.gpuTypes.path, async (req, res) => {
    send(
      res,
      routes.gpuTypes,
      await training.gpuTypes({ credentials: await user(req) }),
    );
  });

  router.get(routes.listRuns.path, async (req, res) => {
    const credentials = await user(req);
    const query = parseInput(routes.listRuns.query, req.query);
    send(res, routes.listRuns, await training.listRuns(query, { credentials }));
  });

  router.post(routes.launch.path, async (req, res) => {
    const credentials = await user(req);
    const body = parseInput(routes.launch.body, req.body);
    const answer = await training.launch(body, { credentials });
    res.status(answer.created ? 201 : 200);
    send(res, routes.launch, answer);
  });

  router.get(routes.getRun.path, async (req, res) => {
    const credentials = await user(req);
    send(
      res,
      routes.getRun,
      await training.getRun(req.params.id, { credentials }),
    );
  });

  router.post(routes.cancel.path, async (req, res) => {
    const credentials = await user(req);
    const body = parseInput(routes.cancel.body, req.body);
    send(
      res,
      routes.cancel,
      await training.cancel(req.params.id, body.reason, { credentials }),
    );
  });

  router.get(routes.pods.path, async (req, res) => {
    const credentials = await user(req);
    send(res, routes.pods, {
      items: await training.pods(req.params.id, { credentials }),
    });
  });

  router.get(routes.logs.path, async (req, res) => {
    const credentials = await user(req);
    const query = parseInput(routes.logs.query, req.query);
    const text = await training.logs(req.params.id, query, { credentials });
    res.type('text/plain').send(text);
  });

  router.get(routes.gpu.path, async (req, res) => {
    const credentials = await user(req);
    send(
      res,
      routes.gpu,
      await training.gpuMetrics(req.params.id, { credentials }),
    );
  });

  router.get(routes.quota.path, async (req, res) => {
    send(
      res,
      routes.quota,
      await training.quota({ credentials: await user(req) }),
    );
  });

  router.get(routes.usage.path, async (req, res) => {
    send(
      res,
      routes.usage,
      await training.usage({ credentials: await user(req) }),
    );
  });

  return router;
}
