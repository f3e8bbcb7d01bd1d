import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** The rollouts plugin's configuration, read once at start. */
export interface RolloutsConfig {
  requestsMetric: string;
  serviceLabel: string;
  query: 'offset' | 'rate';
  ownersTtlMs: number;
}

const PROM_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const PROM_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Reads and validates `rollouts.*`; errors name the key. */
export function readRolloutsConfig(config: Config): RolloutsConfig {
  const requestsMetric =
    config.getOptionalString('rollouts.gate.requestsMetric') ??
    'http_requests_total';
  if (!PROM_NAME.test(requestsMetric)) {
    throw new InputError(
      `rollouts.gate.requestsMetric must be a Prometheus metric name, got '${requestsMetric}'`,
    );
  }
  const serviceLabel =
    config.getOptionalString('rollouts.gate.serviceLabel') ?? 'service';
  if (!PROM_LABEL.test(serviceLabel)) {
    throw new InputError(
      `rollouts.gate.serviceLabel must be a Prometheus label name, got '${serviceLabel}'`,
    );
  }
  const query = config.getOptionalString('rollouts.gate.query') ?? 'offset';
  if (query !== 'offset' && query !== 'rate') {
    throw new InputError(
      `rollouts.gate.query must be 'offset' or 'rate', got '${query}'`,
    );
  }
  const ttl =
    config.getOptionalNumber('rollouts.waiting.ownersTtlSeconds') ?? 60;
  if (!(ttl >= 0)) {
    throw new InputError(
      `rollouts.waiting.ownersTtlSeconds must be 0 or more, got ${ttl}`,
    );
  }
  return { requestsMetric, serviceLabel, query, ownersTtlMs: ttl * 1000 };
}
