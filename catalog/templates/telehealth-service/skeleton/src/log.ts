/*
 * Structured JSON logs, one line per event, on stdout.
 *
 * Never log PHI: no request or response bodies, no query strings, no headers, no identifiers of
 * patients or clinicians. Log the route template ("/visits/:id"), never the concrete path.
 * `fields` only accepts numbers, booleans and a short list of known-safe keys, so a careless
 * call cannot leak a free-text value.
 */
const SAFE_STRING_KEYS = new Set([
  'method',
  'route',
  'event',
  'service',
  'version',
  'reason',
]);

type Level = 'debug' | 'info' | 'warn' | 'error';

export function log(
  level: Level,
  message: string,
  fields: Record<string, string | number | boolean> = {},
): void {
  const safe: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value !== 'string' || SAFE_STRING_KEYS.has(key)) {
      safe[key] = value;
    }
  }
  process.stdout.write(
    `${JSON.stringify({
      time: new Date().toISOString(),
      level,
      service: process.env.SERVICE_NAME,
      message,
      ...safe,
    })}\n`,
  );
}
