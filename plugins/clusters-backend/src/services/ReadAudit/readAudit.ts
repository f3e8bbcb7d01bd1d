import type {
  AuditorService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { Request } from 'express';

/**
 * Runs a read inside a low-severity audit event. A failure to create or resolve the event is
 * logged and never fails the read.
 * @internal
 */
export type ReadAudit = <T>(
  req: Request,
  eventId: string,
  meta: Record<string, string | string[] | undefined | null>,
  fn: () => Promise<T>,
) => Promise<T>;

/**
 * Builds the {@link ReadAudit} of the router.
 * @internal
 */
export function createReadAudit(options: {
  auditor: AuditorService;
  logger: LoggerService;
}): ReadAudit {
  const { auditor, logger } = options;
  const warn = (eventId: string) => (e: unknown) => {
    logger.warn('Audit event failed', {
      eventId,
      error: e instanceof Error ? e.message : String(e),
    });
    return undefined;
  };
  return async (req, eventId, meta, fn) => {
    const event = await auditor
      .createEvent({
        eventId,
        severityLevel: 'low',
        request: req,
        meta: JSON.parse(JSON.stringify(meta)),
      })
      .catch(warn(eventId));
    try {
      const result = await fn();
      await event?.success().catch(warn(eventId));
      return result;
    } catch (e) {
      await event?.fail({ error: e as Error }).catch(warn(eventId));
      throw e;
    }
  };
}
