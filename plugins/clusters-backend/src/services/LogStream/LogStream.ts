import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Response } from 'express';

/**
 * An `AbortSignal` that fires when the client goes away, so an upstream log follow stops with it.
 * @internal
 */
export function abortOnClose(res: Response): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => controller.abort());
  return controller.signal;
}

/**
 * Sends a pod log: the whole text, or a followed stream piped chunk by chunk (flushed, since the
 * root router may compress). An upstream stream error ends the response (the headers are gone)
 * and is logged.
 * @internal
 */
export function sendPodLog(
  res: Response,
  result: { auditId: string; text?: string; stream?: NodeJS.ReadableStream },
  logger: LoggerService,
): void {
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('X-Careplane-Audit-Id', result.auditId);
  const stream = result.stream;
  if (!stream) {
    res.send(result.text ?? '');
    return;
  }
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.flushHeaders();
  stream.on('data', chunk => {
    res.write(chunk);
    (res as unknown as { flush?: () => void }).flush?.();
  });
  stream.on('end', () => res.end());
  stream.on('error', e => {
    logger.warn('Pod log stream failed', {
      auditId: result.auditId,
      error: e instanceof Error ? e.message : String(e),
    });
    res.end();
  });
}
