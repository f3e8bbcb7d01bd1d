import { InputError } from '@backstage/errors';
import { z } from 'zod/v3';

/**
 * The scaffolder validates action input against the JSON Schema made from the zod shape, but does
 * not fill in zod `.default(...)` values, and the JSON Schema loses the shape's refinements (entity
 * refs). Parsing with the same shape here does both, so the handler sees exactly the types the
 * schema declares; a refused value is an `InputError` that names the parameter.
 */
export function withDefaults<T>(
  shape: Record<string, (zImpl: any) => z.ZodType>,
  input: T,
): T {
  const object = z.object(
    Object.fromEntries(Object.entries(shape).map(([k, f]) => [k, f(z)])),
  );
  const result = object.safeParse(input);
  if (!result.success) {
    throw new InputError(
      `Invalid input: ${result.error.issues
        .map(i => `${i.path.join('.') || '(input)'}: ${i.message}`)
        .join('; ')}`,
    );
  }
  return result.data as T;
}
