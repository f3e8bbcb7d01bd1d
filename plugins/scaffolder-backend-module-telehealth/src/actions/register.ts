import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { TelehealthConfig } from '../config';
import { LOCAL_REPO_LOCATION_TYPE } from '../catalogModule';
import { withDefaults } from './defaults';
import type { z as zod } from 'zod/v3';
import { examples } from './register.examples';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

const inputShape = {
  catalogInfoUrl: (z: typeof zod) =>
    z
      .string()
      .optional()
      .describe('URL of catalog-info.yaml (publish:github / gitlab)'),
  catalogInfoPath: (z: typeof zod) =>
    z
      .string()
      .optional()
      .describe(
        'Absolute path of catalog-info.yaml on the backend host (telehealth:publish:local)',
      ),
  wait: (z: typeof zod) =>
    z
      .boolean()
      .default(true)
      .describe('Wait until the entity is processed with its owner'),
};

/**
 * `telehealth:catalog:register`: registers the new service's catalog-info.yaml (a `url`
 * location in production, a `file` location for local publishing) with the user's credentials,
 * and waits until the entity is in the catalog with its owner, so the gateway can authorise
 * writes against it.
 * @public
 */
export function createRegisterAction(deps: {
  catalog: CatalogService;
  config: TelehealthConfig;
  pollIntervalMs?: number;
}) {
  const { catalog, config } = deps;
  const pollIntervalMs = deps.pollIntervalMs ?? 1000;
  return createTemplateAction({
    id: 'telehealth:catalog:register',
    description:
      'Registers catalog-info.yaml as a catalog location (url or, for local publishing, file) as the user who runs the template, then waits until the entity has been processed with its owner.',
    examples,
    schema: {
      input: inputShape,
      output: {
        entityRef: z => z.string().describe('Ref of the registered component'),
        locationRef: z => z.string().describe('Ref of the new location'),
      },
    },
    async handler(ctx) {
      const input = withDefaults(inputShape, ctx.input);
      const { catalogInfoUrl, catalogInfoPath } = input;
      if (Boolean(catalogInfoUrl) === Boolean(catalogInfoPath)) {
        throw new InputError(
          'Give exactly one of catalogInfoUrl and catalogInfoPath',
        );
      }
      const location = catalogInfoUrl
        ? { type: 'url', target: catalogInfoUrl }
        : { type: LOCAL_REPO_LOCATION_TYPE, target: catalogInfoPath! };
      const credentials = await ctx.getInitiatorCredentials();
      const registered = await ctx.checkpoint({
        key: `telehealth:catalog:register:${location.type}:${location.target}`,
        fn: async () => {
          const res = await catalog.addLocation(location, { credentials });
          // The non-dry-run answer names no entities; a dry run reads the file to find them.
          const preview = await catalog.addLocation(
            { ...location, dryRun: true },
            { credentials },
          );
          const entity =
            preview.entities.find(e => e.kind === 'Component') ??
            preview.entities.find(e => e.kind !== 'Location');
          if (!entity) {
            throw new InputError(`${location.target} holds no entity`);
          }
          return {
            entityRef: stringifyEntityRef(entity),
            locationRef: `${res.location.type}:${res.location.target}`,
          };
        },
      });
      if (input.wait) {
        const deadline = Date.now() + config.registerTimeoutMs;
        for (;;) {
          const e = await catalog.getEntityByRef(registered.entityRef, {
            credentials,
          });
          if (e?.relations?.some(r => r.type === 'ownedBy')) break;
          if (Date.now() >= deadline || ctx.signal?.aborted) {
            throw new NotFoundError(
              `${registered.entityRef} was registered but has not appeared in the catalog within ${config.registerTimeoutMs} ms; check the location's processing errors`,
            );
          }
          await sleep(pollIntervalMs);
        }
      }
      ctx.logger.info(`Registered ${registered.entityRef}`);
      ctx.output('entityRef', registered.entityRef);
      ctx.output('locationRef', registered.locationRef);
    },
  });
}
