import type { Response } from 'node-fetch';

/**
 * How long a 429 / 503 answer asks to wait (`Retry-After`, seconds or an HTTP date), in ms.
 * @internal
 */
export function retryAfterMs(res: Response): number | undefined {
  const value = res.headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

/**
 * The query string of a request, without undefined values.
 * @internal
 */
export function buildQuery(
  query: Record<string, string | number | boolean | undefined> | undefined,
): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined) params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

/**
 * What went wrong with a connection, without the request URL that node-fetch puts in its
 * messages (it names the API server's address and the path with its selectors).
 */
export function connectionErrorOf(e: unknown): string {
  const err = e as { code?: string; errno?: string; message?: string };
  const code = err.code ?? err.errno;
  if (code && /^[A-Z_]+$/.test(code)) return code;
  const reason = /reason: (.*)$/.exec(err.message ?? '')?.[1];
  return (reason ?? 'connection failed').replace(
    /\b(https?:\/\/\S+|\d{1,3}(\.\d{1,3}){3}(:\d+)?)/g,
    '<address>',
  );
}

/**
 * The JSON of an error answer, or undefined when it is not JSON (a proxy's HTML page): the
 * status code then says what happened, so the parse failure itself carries nothing to log.
 * @internal
 */
export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
