import type { AuditAction } from '@careplane/plugin-clusters-common';
import { z } from 'zod';
import { parse } from '../../schemas';
import type { ClusterGateway, GatewayCallOptions } from './ClusterGateway';

/**
 * Parses a write's body; a body the schema refuses is audited as a refused write (the gateway
 * records it) before the 400 goes out.
 * @internal
 */
export type WriteBodyParser = <T extends z.ZodTypeAny>(
  action: AuditAction,
  schema: T,
  value: unknown,
  call: GatewayCallOptions,
) => Promise<z.infer<T>>;

/**
 * The {@link WriteBodyParser} that records refusals through `gateway`.
 * @internal
 */
export function createWriteBodyParser(
  gateway: ClusterGateway,
): WriteBodyParser {
  return async (action, schema, value, call) => {
    try {
      return parse(schema, value);
    } catch (e) {
      return gateway.recordRefusal(action, value, e as Error, call);
    }
  };
}
