import type { Server } from 'node:http';
import {
  RootHttpRouterConfigureContext,
  rootHttpRouterServiceFactory,
} from '@backstage/backend-defaults/rootHttpRouter';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { readJsonBodyGuardOptions } from './config';
import { createJsonBodyGuard } from './jsonBodyGuard';

type HumanDuration = ReturnType<typeof readDurationFromConfig>;

// As durationToMilliseconds in @backstage/types, which this package does not depend on.
function durationToMilliseconds(duration: HumanDuration): number {
  const {
    years = 0,
    months = 0,
    weeks = 0,
    days = 0,
    hours = 0,
    minutes = 0,
    seconds = 0,
    milliseconds = 0,
  } = duration;
  const totalDays = years * 365 + months * 30 + weeks * 7 + days;
  return (
    ((totalDays * 24 + hours) * 60 + minutes) * 60 * 1000 +
    seconds * 1000 +
    milliseconds
  );
}

/** `backend.server.*`, applied exactly as `applyDefaults` does. */
function applyServerOptions(
  server: Server,
  config: Config,
  logger: LoggerService,
) {
  const serverConfig = config.getOptionalConfig('backend.server');
  if (!serverConfig) {
    return;
  }
  const readDurationValue = (key: string): number | undefined => {
    if (!serverConfig.has(key)) {
      return undefined;
    }
    const value = serverConfig.getOptional(key);
    if (typeof value === 'number') {
      return value;
    }
    try {
      return durationToMilliseconds(
        readDurationFromConfig(serverConfig, { key }),
      );
    } catch (error) {
      logger.warn(
        `Failed to parse backend.server.${key} as duration: ${error}. Expected a number (milliseconds), duration string (e.g., '30s'), ISO duration (e.g., 'PT30S'), or duration object (e.g., {seconds: 30}). Falling back to number parsing.`,
      );
      return undefined;
    }
  };
  for (const key of [
    'headersTimeout',
    'requestTimeout',
    'keepAliveTimeout',
    'timeout',
  ] as const) {
    const value = readDurationValue(key);
    if (value !== undefined) {
      server[key] = value;
    }
  }
  for (const key of ['maxHeadersCount', 'maxRequestsPerSocket'] as const) {
    const value = serverConfig.getOptionalNumber(key);
    if (value !== undefined) {
      server[key] = value;
    }
  }
}

/**
 * Sets up the root HTTP router as Backstage's `applyDefaults` does, plus the JSON body guard right
 * before the plugin routes.
 *
 * `applyDefaults` offers no way to add a middleware between the health router and the routes, so
 * this mirrors it: the same settings and the same middleware in the same order, as of
 * `@backstage/backend-defaults` 0.18.0 (`rootHttpRouterServiceFactory.cjs.js`).
 * rootHttpRouter.test.ts compares the two and fails when an upgrade changes the defaults.
 *
 * Why there: after CORS (so that the browser can read the 400/413), logging and rate limiting, and
 * before the routes of every plugin, hence before their authentication and their own body parsers,
 * so that a deep body is refused even on unauthenticated routes (auth, events) and even without
 * credentials. The guard does bounded work (at most `maxJsonBody` bytes, one linear scan).
 *
 * @internal
 */
export function configureRootHttpRouter(
  context: RootHttpRouterConfigureContext,
): void {
  const { app, server, middleware, routes, healthRouter, config, logger } =
    context;
  const jsonBodyGuard = createJsonBodyGuard(readJsonBodyGuardOptions(config));

  if (process.env.NODE_ENV === 'development') {
    app.set('json spaces', 2);
  }
  const trustProxy = config.getOptional('backend.trustProxy');
  if (trustProxy !== undefined) {
    app.set('trust proxy', trustProxy);
  }
  applyServerOptions(server, config, logger);

  app.use(middleware.helmet());
  app.use(middleware.cors());
  app.use(middleware.compression());
  app.use(middleware.logging());
  app.use(middleware.rateLimit());
  app.use(healthRouter);
  app.use(jsonBodyGuard);
  app.use(routes);
  app.use(middleware.notFound());
  app.use(middleware.error());
}

/**
 * The root HTTP router of the Careplane backend: Backstage's, with JSON request bodies past
 * `backend.careplane.maxJsonBody` (413) or `backend.careplane.maxJsonDepth` (400) refused before
 * any plugin sees them.
 *
 * @internal
 */
export const careplaneRootHttpRouter = rootHttpRouterServiceFactory({
  configure: configureRootHttpRouter,
});
