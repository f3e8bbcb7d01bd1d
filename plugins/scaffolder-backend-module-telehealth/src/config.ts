import type { Config } from '@backstage/config';
import { readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import path from 'node:path';

/** Service mesh that provides mTLS. @public */
export type MeshMode = 'linkerd' | 'istio' | 'none';

/** Publishing providers. @public */
export type PublishProvider = 'local' | 'github' | 'gitlab';

/**
 * Settings of the telehealth module (`scaffolder.telehealth` in app-config), with defaults.
 * @public
 */
export interface TelehealthConfig {
  mesh: MeshMode;
  gatewayNamespace: string;
  meshNamespace: string;
  starterImage: string;
  skipKinds: string[];
  publish: {
    provider: PublishProvider;
    localDirectory: string;
    host?: string;
    owner?: string;
  };
  registerTimeoutMs: number;
}

/**
 * A public, platform-maintained starter image, pinned by digest: it answers `/healthz` and
 * `/readyz` on 8080 so that a new service is deployable before its own pipeline has built an image.
 * @public
 */
export const DEFAULT_STARTER_IMAGE =
  'ghcr.io/northwind-health/telehealth-starter@sha256:6b1c2f0e5a3d4c7b8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5';

function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  key: string,
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new Error(
      `Invalid config scaffolder.telehealth.${key} '${value}': expected one of ${allowed.join(
        ', ',
      )}`,
    );
  }
  return value as T;
}

/**
 * Reads `scaffolder.telehealth` once, at start-up; invalid values stop the backend with the key.
 * @public
 */
export function readTelehealthConfig(
  root: Config,
  cwd: string = process.cwd(),
): TelehealthConfig {
  const c = root.getOptionalConfig('scaffolder.telehealth');
  const mesh = oneOf(
    c?.getOptionalString('mesh'),
    ['linkerd', 'istio', 'none'] as const,
    'mesh',
    'linkerd',
  );
  const provider = oneOf(
    c?.getOptionalString('publish.provider'),
    ['local', 'github', 'gitlab'] as const,
    'publish.provider',
    'local',
  );
  const host = c?.getOptionalString('publish.host');
  const owner = c?.getOptionalString('publish.owner');
  if (provider !== 'local' && (!host || !owner)) {
    throw new Error(
      `Invalid config scaffolder.telehealth.publish: provider '${provider}' needs 'host' and 'owner'`,
    );
  }
  const timeout = c?.has('registerTimeout')
    ? durationToMilliseconds(
        readDurationFromConfig(c, { key: 'registerTimeout' }),
      )
    : 120_000;
  return {
    mesh,
    gatewayNamespace:
      c?.getOptionalString('gatewayNamespace') ?? 'ingress-gateway',
    meshNamespace:
      c?.getOptionalString('meshNamespace') ??
      (mesh === 'istio' ? 'istio-system' : 'linkerd'),
    starterImage: c?.getOptionalString('starterImage') ?? DEFAULT_STARTER_IMAGE,
    skipKinds: c?.getOptionalStringArray('skipKinds') ?? [],
    publish: {
      provider,
      localDirectory: path.resolve(
        cwd,
        c?.getOptionalString('publish.localDirectory') ?? '.careplane/repos',
      ),
      host,
      owner,
    },
    registerTimeoutMs: timeout,
  };
}
