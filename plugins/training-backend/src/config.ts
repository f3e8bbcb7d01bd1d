import type { Config } from '@backstage/config';
import { readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import type { GpuType, Toleration } from '@careplane/plugin-training-common';

/** A GPU type as configured (clusters from config only; the rest comes from cluster labels). */
export type ConfiguredGpuType = Omit<GpuType, 'clusters'> & {
  clusters: string[];
};

/** The training plugin's config, read once. @internal */
export interface TrainingConfig {
  currency: string;
  gpuTypes: ConfiguredGpuType[];
  teamQuotas: Array<{
    team: string;
    cluster: string;
    gpuType: string;
    gpus: number;
  }>;
  idle: { threshold: number; minutes: number };
  reconcileIntervalMs: number;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const OPERATORS = ['Exists', 'Equal'];
const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

function fail(key: string, problem: string): never {
  throw new Error(`Invalid config at '${key}': ${problem}`);
}

function positive(c: Config, key: string, path: string, integer: boolean) {
  const v = c.getOptionalNumber(key);
  if (v === undefined) return undefined;
  if (!Number.isFinite(v) || v < 0 || (integer && !Number.isInteger(v))) {
    fail(
      `${path}.${key}`,
      integer ? 'must be a positive whole number' : 'must be 0 or more',
    );
  }
  return v;
}

function readTolerations(c: Config, path: string): Toleration[] {
  return (c.getOptionalConfigArray('tolerations') ?? []).map((t, i) => {
    const p = `${path}.tolerations[${i}]`;
    const operator = t.getOptionalString('operator');
    const effect = t.getOptionalString('effect');
    if (operator && !OPERATORS.includes(operator)) {
      fail(`${p}.operator`, `must be one of ${OPERATORS.join(', ')}`);
    }
    if (effect && !EFFECTS.includes(effect)) {
      fail(`${p}.effect`, `must be one of ${EFFECTS.join(', ')}`);
    }
    return {
      ...(t.getOptionalString('key') ? { key: t.getString('key') } : {}),
      ...(operator ? { operator: operator as Toleration['operator'] } : {}),
      ...(t.getOptionalString('value') ? { value: t.getString('value') } : {}),
      ...(effect ? { effect: effect as Toleration['effect'] } : {}),
    };
  });
}

function readGpuType(c: Config, i: number): ConfiguredGpuType {
  const path = `training.gpuTypes[${i}]`;
  const name = c.getOptionalString('name');
  if (!name) fail(`${path}.name`, 'is required');
  if (!DNS_LABEL.test(name))
    fail(`${path}.name`, `'${name}' is not a DNS label`);
  if (c.getOptionalNumber('pricePerGpuHour') === undefined) {
    fail(`${path}.pricePerGpuHour`, 'is required');
  }
  // label keys contain dots and slashes, so the map is read whole rather than key by key
  const rawSelector = c.getOptional('nodeSelector') ?? {};
  if (typeof rawSelector !== 'object' || Array.isArray(rawSelector)) {
    fail(`${path}.nodeSelector`, 'must be a map of label to value');
  }
  const nodeSelector: Record<string, string> = {};
  for (const [key, value] of Object.entries(rawSelector)) {
    if (typeof value !== 'string') {
      fail(`${path}.nodeSelector.${key}`, 'must be a string');
    }
    nodeSelector[key] = value;
  }
  return {
    name,
    title: c.getOptionalString('title') ?? name,
    resourceName: c.getOptionalString('resourceName') ?? 'nvidia.com/gpu',
    nodeSelector,
    tolerations: readTolerations(c, path),
    pricePerGpuHour: positive(c, 'pricePerGpuHour', path, false)!,
    maxPerRun: positive(c, 'maxPerRun', path, true) ?? 8,
    clusters: c.getOptionalStringArray('clusters') ?? [],
    migProfiles: (c.getOptionalConfigArray('migProfiles') ?? []).map((m, j) => {
      const p = `${path}.migProfiles[${j}]`;
      const profile = m.getOptionalString('name');
      if (!profile || !/^\d+g\.\d+gb$/.test(profile)) {
        fail(`${p}.name`, "is required and looks like '1g.10gb'");
      }
      if (m.getOptionalNumber('pricePerHour') === undefined) {
        fail(`${p}.pricePerHour`, 'is required');
      }
      return {
        name: profile,
        resourceName:
          m.getOptionalString('resourceName') ?? `nvidia.com/mig-${profile}`,
        pricePerHour: positive(m, 'pricePerHour', p, false)!,
      };
    }),
  };
}

/**
 * Reads `training.*` once; errors name the key.
 * @internal
 */
export function readTrainingConfig(root: Config): TrainingConfig {
  const c = root.getOptionalConfig('training');
  const gpuTypes = (c?.getOptionalConfigArray('gpuTypes') ?? []).map(
    readGpuType,
  );
  const seen = new Set<string>();
  gpuTypes.forEach((t, i) => {
    if (seen.has(t.name)) {
      fail(`training.gpuTypes[${i}].name`, `'${t.name}' is configured twice`);
    }
    seen.add(t.name);
  });
  const teamQuotas = (c?.getOptionalConfigArray('teamQuotas') ?? []).map(
    (q, i) => {
      const path = `training.teamQuotas[${i}]`;
      const gpuType = q.getString('gpuType');
      if (!seen.has(gpuType)) {
        fail(`${path}.gpuType`, `'${gpuType}' is not in training.gpuTypes`);
      }
      return {
        team: q.getString('team'),
        cluster: q.getString('cluster'),
        gpuType,
        gpus: positive(q, 'gpus', path, true) ?? 0,
      };
    },
  );
  const threshold = c?.getOptionalNumber('idle.threshold') ?? 0.1;
  if (!(threshold >= 0 && threshold <= 1)) {
    fail('training.idle.threshold', 'must be between 0 and 1');
  }
  const minutes = c?.getOptionalNumber('idle.minutes') ?? 15;
  if (!(minutes >= 1)) fail('training.idle.minutes', 'must be at least 1');
  let reconcileIntervalMs = 15_000;
  if (c?.has('reconcileInterval')) {
    try {
      reconcileIntervalMs = durationToMilliseconds(
        readDurationFromConfig(c, { key: 'reconcileInterval' }),
      );
    } catch (e) {
      fail('training.reconcileInterval', (e as Error).message);
    }
    if (reconcileIntervalMs < 1000) {
      fail('training.reconcileInterval', 'must be at least 1 second');
    }
  }
  return {
    currency: c?.getOptionalString('currency') ?? 'USD',
    gpuTypes,
    teamQuotas,
    idle: { threshold, minutes },
    reconcileIntervalMs,
  };
}
