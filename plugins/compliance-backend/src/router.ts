import type {
  AuditorService,
  HttpAuthService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  createExemptionSchema,
  decideExemptionSchema,
  describeZodError,
  definitionOf,
  ComplianceCheck,
  SAFEGUARDS,
} from '@careplane/plugin-compliance-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
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

const exportQuery = z.object({
  format: z.enum(['csv', 'json']).default('json'),
  entityRef: z.string().optional(),
  owner: z.string().optional(),
  system: z.string().optional(),
  safeguard: z
    .string()
    .refine(
      s => SAFEGUARDS.some(g => g.id === s),
      `must be one of ${SAFEGUARDS.map(s => s.id).join(', ')}`,
    )
    .optional(),
  phiOnly: z.enum(['true', 'false']).optional(),
});

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new InputError(describeZodError(r.error));
  return r.data;
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

  router.get('/v1/checks', async (req, res) => {
    await reader(req);
    res.json({ items: options.checks.map(definitionOf) });
  });

  router.get('/v1/entities/:kind/:namespace/:name', async (req, res) => {
    await reader(req);
    res.json(await scorecards.scorecard(entityRefOf(req)));
  });

  router.get(
    '/v1/entities/:kind/:namespace/:name/history',
    async (req, res) => {
      await reader(req);
      res.json(await scorecards.history(entityRefOf(req)));
    },
  );

  router.get('/v1/overview', async (req, res) => {
    await reader(req);
    res.json(await scorecards.overview());
  });

  router.get('/v1/export', async (req, res) => {
    const credentials = await reader(req);
    const q = parse(exportQuery, req.query);
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

  router.get('/v1/exemptions', async (req, res) => {
    await reader(req);
    const entityRef =
      typeof req.query.entityRef === 'string' ? req.query.entityRef : undefined;
    res.json({ items: await exemptions.list(entityRef) });
  });

  router.post('/v1/exemptions', async (req, res) => {
    const who = await actor(req);
    const body = parse(createExemptionSchema, req.body);
    res.status(201).json(await exemptions.request(body, who));
  });

  router.post('/v1/exemptions/:id/decision', async (req, res) => {
    const who = await actor(req);
    const body = parse(decideExemptionSchema, req.body);
    res.json(await exemptions.decide(req.params.id, body, who));
  });

  return router;
}
