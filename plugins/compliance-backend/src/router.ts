import type {
  AuditorService,
  HttpAuthService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { parseInput, RouteResponse } from '@careplane/plugin-clusters-common';
import {
  complianceRoutes as routes,
  ComplianceCheck,
  definitionOf,
} from '@careplane/plugin-compliance-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import type { ExemptionService } from './services/Exemptions/ExemptionService';
import type { ScorecardService } from './services/Scorecards/ScorecardService';
import { evidenceRows, toCsv } from './services/Scorecards/exportEvidence';

/** @internal */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  auditor: AuditorService;
  scorecards: ScorecardService;
  exemptions: ExemptionService;
  checks: ReadonlyArray<ComplianceCheck>;
}

const entityRefOf = (req: Request) =>
  stringifyEntityRef({
    kind: req.params.kind,
    namespace: req.params.namespace,
    name: req.params.name,
  });

/**
 * HTTP ⇄ services. Reads come from the store; nothing here evaluates.
 * @internal
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, userInfo, auditor, scorecards, exemptions } = options;
  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  const actor = async (req: Request) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const { userEntityRef } = await userInfo.getUserInfo(credentials);
    return { credentials, userEntityRef, request: req };
  };
  const reader = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  /** Sends an answer typed by the route table. */
  const reply = <R extends (typeof routes)[keyof typeof routes]>(
    res: express.Response,
    _route: R,
    body: RouteResponse<R>,
    status = 200,
  ) => res.status(status).json(body);

  router.get(routes.checks.path, async (req, res) => {
    await reader(req);
    reply(res, routes.checks, { items: options.checks.map(definitionOf) });
  });

  router.get(routes.scorecard.path, async (req, res) => {
    await reader(req);
    reply(res, routes.scorecard, await scorecards.scorecard(entityRefOf(req)));
  });

  router.get(routes.history.path, async (req, res) => {
    await reader(req);
    reply(res, routes.history, await scorecards.history(entityRefOf(req)));
  });

  router.get(routes.overview.path, async (req, res) => {
    await reader(req);
    reply(res, routes.overview, await scorecards.overview());
  });

  router.get(routes.exportEvidence.path, async (req, res) => {
    const credentials = await reader(req);
    const q = parseInput(routes.exportEvidence.query, req.query);
    const filter = {
      entityRef: q.entityRef,
      owner: q.owner,
      system: q.system,
      safeguard: q.safeguard,
      phiOnly: q.phiOnly === 'true',
    };
    const exportedBy =
      'userEntityRef' in credentials.principal
        ? String(credentials.principal.userEntityRef)
        : `plugin:${
            (credentials.principal as { subject?: string }).subject ?? 'service'
          }`;
    const audit = await auditor.createEvent({
      eventId: 'evidence-export',
      severityLevel: 'medium',
      request: req,
      meta: { ...filter, format: q.format },
    });
    const rows = evidenceRows(
      await scorecards.results(filter),
      new Map(options.checks.map(c => [c.id, definitionOf(c)])),
    );
    const exportedAt = new Date().toISOString();
    const filterText =
      Object.entries(filter)
        .filter(([, v]) => v)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ') || 'all';
    await audit.success({ meta: { rows: rows.length } });
    const name = `compliance-evidence-${exportedAt.slice(0, 10)}.${q.format}`;
    res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    if (q.format === 'csv') {
      res
        .type('text/csv')
        .send(toCsv(rows, { exportedBy, exportedAt, filter: filterText }));
    } else {
      res.json({ exportedBy, exportedAt, filter, results: rows });
    }
  });

  router.get(routes.listExemptions.path, async (req, res) => {
    await reader(req);
    const { entityRef } = parseInput(routes.listExemptions.query, req.query);
    reply(res, routes.listExemptions, {
      items: await exemptions.list(entityRef),
    });
  });

  router.post(routes.requestExemption.path, async (req, res) => {
    const who = await actor(req);
    const body = parseInput(routes.requestExemption.body, req.body);
    reply(
      res,
      routes.requestExemption,
      await exemptions.request(body, who),
      201,
    );
  });

  router.post(routes.decideExemption.path, async (req, res) => {
    const who = await actor(req);
    const body = parseInput(routes.decideExemption.body, req.body);
    reply(
      res,
      routes.decideExemption,
      await exemptions.decide(req.params.id, body, who),
    );
  });

  return router;
}
