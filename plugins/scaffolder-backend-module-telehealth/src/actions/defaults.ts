import { z } from 'zod/v3';

/**
 * The scaffolder validates action input against the JSON Schema made from the zod shape, but does
 * not fill in zod `.default(...)` values. Parsing with the same shape here does, so the handler
 * sees exactly the types the schema declares.
 */
export function withDefaults<T>(
  shape: Record<string, (zImpl: any) => z.ZodType>,
  input: T,
): T {
  const object = z.object(
    Object.fromEntries(Object.entries(shape).map(([k, f]) => [k, f(z)])),
  );
  return object.parse(input) as T;
}
